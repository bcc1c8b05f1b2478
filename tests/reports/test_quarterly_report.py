"""``quarterly_report`` on the demo data reproduces the seed article's Q1 2021 figures
(DESIGN §4) and follows the JSON contract; bad arguments are refused with exit status 1."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from reports.counters import COUNTERS, RATES

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def report(demo_data, django_db_blocker) -> dict:
    with django_db_blocker.unblock(), translation.override("en"):
        return run("--year", "2021", "--quarter", "1")


def run(*args: str) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("quarterly_report", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_reports_the_seed_districts_quarter(report):
    assert report["period"] == {
        "year": 2021,
        "quarter": 1,
        "scheme": "calendar",
        "start": "2021-01-01",
        "end": "2021-03-31",
    }
    assert report["unit"] == {"code": "000.00.00.H21", "name": "UBND tỉnh Gia Lai"}
    assert report["procedures"]["total"] == 372
    assert report["procedures"]["by_level"] == {"province": 47, "district": 200, "commune": 125}

    district = report["dossiers"]["by_level"]["district"]
    assert district["received_total"] == 193
    assert district["resolved"] == 193
    assert district["resolved_late"] == 0
    assert district["in_progress"] == 0

    communes = report["dossiers"]["by_level"]["commune"]
    assert communes["received_total"] == 3136
    assert communes["resolved"] == 3135
    assert communes["resolved_late"] == 0
    assert communes["in_progress"] == 1
    assert communes["in_progress_within"] == 1

    total = report["dossiers"]["total"]
    assert total["received_total"] == 3329
    assert total["carried_over"] == 0
    assert total["digitised"] == 307
    assert total["digitisation_ratio"] == pytest.approx(307 / 3329, abs=1e-4)
    assert total["on_time_rate"] == 1.0
    assert total["received_total"] == total["resolved"] + total["in_progress"] + total["withdrawn"]


def test_every_counter_is_there_under_its_name(report):
    expected = set(COUNTERS) | set(RATES)
    assert set(report["dossiers"]["total"]) == expected
    for counters in report["dossiers"]["by_level"].values():
        assert set(counters) == expected
    for row in report["dossiers"]["by_unit"]:
        assert set(row) == expected | {"code", "name", "level"}
    units = [row["code"] for row in report["dossiers"]["by_unit"]]
    assert units[:2] == ["000.00.00.H21", "000.00.37.H21"]
    assert len(units) == 16  # the province, the district and its 14 communes as they were


def test_the_units_add_up_to_the_total(report):
    rows = report["dossiers"]["by_unit"]
    for name in COUNTERS:
        assert sum(row[name] for row in rows) == report["dossiers"]["total"][name], name


def test_the_narrative_states_the_figures(report):
    narrative = report["narrative"]
    for figure in ("372", "193", "3.136", "3.135", "307"):
        assert figure in narrative, figure


def test_a_unit_reports_its_own_subtree(demo_data):
    commune = run("--year", "2021", "--quarter", "1", "--unit", "001.37.H21")
    assert [row["code"] for row in commune["dossiers"]["by_unit"]] == ["001.37.H21"]
    assert commune["dossiers"]["total"]["received_total"] > 0
    later = run("--year", "2021", "--quarter", "2", "--unit", "001.37.H21")
    # The one dossier still in progress at the end of March is carried over into April.
    assert later["dossiers"]["total"]["carried_over"] == 1
    assert later["dossiers"]["total"]["received_in_period"] == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "2021", "--quarter", "1", "--unit", "NOPE"], "Unknown unit NOPE."),
        (["--year", "1999", "--quarter", "1"], "The year must be between 2000 and 2100."),
        (["--year", "2021", "--quarter", "1", "--format", "docx"], "give its name with --output"),
    ],
)
def test_it_refuses_bad_arguments(demo_data, args, message):
    with translation.override("en"), pytest.raises(CommandError, match=message) as raised:
        call_command("quarterly_report", *args)
    assert raised.value.returncode == 1


def test_without_a_unit_it_reports_the_root_in_force_on_the_quarters_last_day(demo_data):
    # Two roots: the province until 30/06/2025 and the one formed on 01/07/2025.
    later = run("--year", "2025", "--quarter", "3")
    assert later["unit"]["code"] == "T52"
    assert run("--year", "2025", "--quarter", "2")["unit"]["code"] == "000.00.00.H21"


def test_the_new_province_reports_the_seed_quarter_of_its_predecessor(report):
    successor = run("--year", "2021", "--quarter", "1", "--unit", "T52")
    assert successor["dossiers"]["total"] == report["dossiers"]["total"]
    assert successor["procedures"] == report["procedures"]
    assert [row["code"] for row in successor["dossiers"]["by_unit"]] == [
        row["code"] for row in report["dossiers"]["by_unit"]
    ]
    assert successor["narrative"].endswith(
        "Trước ngày 01/07/2025, số liệu được cộng từ các đơn vị tiền thân: UBND tỉnh Gia Lai."
    )


def test_a_new_commune_reports_the_sum_of_the_communes_it_absorbed(report):
    # Xã Phú Túc: the town of Phú Túc and the communes Phú Cần, Chư Ngọc, Ia Mlăh, Đất Bằng
    # (Resolution 1664/NQ-UBTVQH15, DESIGN §1).
    predecessors = {"001.37.H21", "013.37.H21", "004.37.H21", "008.37.H21", "006.37.H21"}
    commune = run("--year", "2021", "--quarter", "1", "--unit", "X24076")
    assert {row["code"] for row in commune["dossiers"]["by_unit"]} == predecessors
    rows = [row for row in report["dossiers"]["by_unit"] if row["code"] in predecessors]
    for name in COUNTERS:
        assert commune["dossiers"]["total"][name] == sum(row[name] for row in rows), name
    assert commune["dossiers"]["total"]["received_total"] > 0
