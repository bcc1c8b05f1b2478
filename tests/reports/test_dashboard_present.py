"""The dashboard and the quarterly report in today's two-tier government (issue 15, item 7),
on the small province of :mod:`tests.reports.lineage_world` (its docstring draws it)."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dossiers.models import Dossier, DossierStatus
from org.models import Role
from reports.charts import quarter_trend
from reports.models import Rollup, RollupRun
from reports.periods import period_make
from reports.quarterly import quarterly_report, quarterly_report_build, report_root_unit
from reports.selectors import quarter_shown_by_default
from reports.services import rollups_refresh
from tests.factories import MembershipFactory, UserFactory
from tests.reports.lineage_world import ENDED, REFORM, VN, lineage_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    return lineage_world()


def quarter(year: int, index: int):
    return period_make(kind="quarter", year=year, index=index)


def member(unit, role: str = Role.UNIT_LEADER):
    user = UserFactory()
    MembershipFactory(user=user, unit=unit, role=role)
    return user


def dashboard(client, **params):
    return client.get(reverse("reports:dashboard"), params)


def card(response, name: str):
    return next(card for card in response.context["cards"] if card.name == name)


# Lineage: a successor's report over a period before it existed ---------------------------------


def test_a_new_communes_2021_quarter_sums_its_predecessors(world):
    report = quarterly_report(year=2021, quarter=1, unit=world["merged"])
    total = report["dossiers"]["total"]
    # A's 3 and B's 2; not C's 4 (C went to the other commune).
    assert total["received_total"] == 5
    assert total["resolved"] == 5
    assert (total["resolved_early"], total["resolved_on_time"], total["resolved_late"]) == (1, 3, 1)
    assert total["on_time_rate"] == 0.8
    assert [row["code"] for row in report["dossiers"]["by_unit"]] == ["001.H98", "002.H98"]
    a = quarterly_report(year=2021, quarter=1, unit=world["a"])["dossiers"]["total"]
    b = quarterly_report(year=2021, quarter=1, unit=world["b"])["dossiers"]["total"]
    for name in ("received_total", "resolved", "resolved_late", "resolved_on_time"):
        assert total[name] == a[name] + b[name], name


def test_the_new_province_sums_the_old_one_and_says_so(world):
    built = quarterly_report_build(year=2021, quarter=1, unit=world["new"])
    assert built.report["dossiers"]["total"]["received_total"] == 9
    assert [row["code"] for row in built.report["dossiers"]["by_unit"]] == [
        "000.00.00.H98",
        "001.H98",
        "002.H98",
        "003.H98",
    ]
    # The top of the inherited tree is named, not each of its communes.
    (note,) = built.notes
    assert note.before == REFORM
    assert [unit.code for unit in note.units] == ["000.00.00.H98"]
    assert built.report["narrative"].endswith(
        "Trước ngày 01/07/2025, số liệu được cộng từ các đơn vị tiền thân: UBND tỉnh Thử."
    )


def test_the_page_says_where_a_new_communes_old_figures_come_from(client, world):
    client.force_login(member(world["merged"]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = dashboard(client, year=2021, quarter=1)
    assert response.status_code == 200
    assert card(response, "received_total").figure.value == 5
    assert response.context["lineage_notes"] == [
        "Before 01/07/2025: figures summed from the predecessor units: UBND xã A, UBND xã B."
    ]
    assert 'data-testid="lineage-note"' in response.content.decode()
    # Its own quarters need no note.
    own = dashboard(client, year=2025, quarter=3)
    assert own.context["lineage_notes"] == []
    assert 'data-testid="lineage-note"' not in own.content.decode()


def test_a_unit_without_predecessors_has_no_note(world):
    built = quarterly_report_build(year=2021, quarter=1, unit=world["old"])
    assert built.notes == []
    assert "tiền thân" not in built.report["narrative"]


def test_the_drilldown_of_a_new_commune_lists_its_predecessors_dossiers(client, world):
    client.force_login(member(world["merged"]))
    response = client.get(
        reverse("reports:drilldown"),
        {"period": "calendar:quarter:2021:1", "unit": "X98001", "counter": "received_total"},
    )
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 5
    codes = {dossier.receiving_unit.code for dossier in response.context["page_obj"]}
    assert codes == {"001.H98", "002.H98"}


def test_a_successors_first_quarter_includes_what_its_predecessors_carried_over(world):
    total = quarterly_report(year=2025, quarter=3, unit=world["merged"])["dossiers"]["total"]
    # B's dossier of 20/06 (open on 01/07) and the commune's own 2 of August.
    assert (total["carried_over"], total["received_in_period"]) == (1, 2)
    assert total["resolved"] == 3
    assert total["resolved_late"] == 1


# The trend chart across the reform -------------------------------------------------------------


def test_the_trend_of_a_successor_continues_its_predecessors_series(world):
    rows = quarter_trend(unit=world["merged"], year=2025, quarter=3, count=3)
    assert [label for label, _counters in rows] == ["Quý I/2025", "Quý II/2025", "Quý III/2025"]
    received = [counters["received_total"] for _label, counters in rows]
    resolved = [counters["resolved"] for _label, counters in rows]
    # Q2: A's May dossier and B's June one (still open at the end of June); Q3: that one carried
    # over and the commune's own two.
    assert received == [0, 2, 3]
    assert resolved == [0, 1, 3]
    # The other commune's series is C's, not A's or B's.
    other = quarter_trend(unit=world["other"], year=2021, quarter=1, count=1)
    assert other[0][1]["received_total"] == 4


# The default root of the quarterly report ---------------------------------------------------


def test_the_default_root_is_the_one_in_force_on_the_periods_last_day(world):
    assert report_root_unit(on=dt.date(2021, 3, 31)).code == "000.00.00.H98"
    assert report_root_unit(on=ENDED).code == "000.00.00.H98"
    assert report_root_unit(on=REFORM).code == "T98"
    assert report_root_unit(on=dt.date(2026, 12, 31)).code == "T98"
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="choose the unit with --unit"),
    ):
        report_root_unit()


def test_the_report_command_picks_the_root_of_the_quarter(world):
    import json
    from io import StringIO

    def run(*args: str) -> dict:
        out = StringIO()
        call_command("quarterly_report", *args, stdout=out)
        return json.loads(out.getvalue())

    old = run("--year", "2021", "--quarter", "1")
    assert old["unit"]["code"] == "000.00.00.H98"
    assert old["dossiers"]["total"]["received_total"] == 9
    new = run("--year", "2025", "--quarter", "3")
    assert new["unit"]["code"] == "T98"
    # The 2 of August and B's dossier carried over from June.
    assert new["dossiers"]["total"]["received_total"] == 3


# The quarter the dashboard opens on ---------------------------------------------------------


def test_it_opens_on_the_current_quarter_when_it_has_dossiers(client, world, today_is):
    today_is(dt.date(2025, 8, 20))
    client.force_login(member(world["merged"]))
    response = dashboard(client)
    assert response.status_code == 200
    assert response.context["period"].key == "calendar:quarter:2025:3"
    assert response.context["default_note"] == ""
    assert card(response, "received_total").figure.value == 3


def test_it_opens_on_the_latest_quarter_with_dossiers_when_the_current_has_none(
    client,
    world,
    today_is,
):
    today_is(dt.date(2026, 12, 7))
    # The quarters computed so far (by the sweep, by earlier looks); Q4 2025 has no dossiers.
    for year, index in ((2021, 1), (2025, 2), (2025, 3), (2025, 4)):
        rollups_refresh(period=quarter(year, index))
    client.force_login(member(world["merged"]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = dashboard(client)
    assert response.context["period"].key == "calendar:quarter:2025:3"
    assert response.context["default_note"] == (
        "Quarter 4/2026 has no dossiers yet: showing Quarter 3/2025, the latest quarter with "
        "dossiers."
    )
    assert (response.context["year"], response.context["quarter"]) == (2025, 3)
    # The page's charts, tables and exports ask for that quarter.
    assert response.context["export_fields"]["quarter"] == 3
    # The old province's latest quarter with dossiers is Q3 2025 too (B's, carried over);
    # without B's, Q2 2025 (A's of May).
    old = {world[name].pk for name in ("old", "a", "b", "c")}
    today = dt.date(2026, 12, 7)
    assert quarter_shown_by_default(unit_ids=old, scheme="calendar", today=today) == (2025, 3)
    without_b = old - {world["b"].pk}
    assert quarter_shown_by_default(unit_ids=without_b, scheme="calendar", today=today) == (
        2025,
        2,
    )


def test_choosing_the_quarter_shown_only_reads_the_rollups(world):
    # Nothing computed yet: the current quarter has no rows, so it is the one shown, and the
    # selector wrote nothing (computing is the view's explicit rollups_compute_missing).
    old = {world[name].pk for name in ("old", "a", "b", "c")}
    today = dt.date(2026, 12, 7)
    assert quarter_shown_by_default(unit_ids=old, scheme="calendar", today=today) == (2026, 4)
    assert not RollupRun.objects.exists()
    assert not Rollup.objects.exists()


def test_it_opens_on_the_current_quarter_when_no_quarter_has_dossiers(client, world, today_is):
    today_is(dt.date(2026, 12, 7))
    rollups_refresh(period=quarter(2021, 1))
    client.force_login(member(world["centre"]))
    response = dashboard(client)
    assert response.context["period"].key == "calendar:quarter:2026:4"
    assert response.context["default_note"] == ""


def test_a_quarter_asked_for_is_shown_even_without_dossiers(client, world, today_is):
    today_is(dt.date(2026, 12, 7))
    client.force_login(member(world["merged"]))
    response = dashboard(client, year=2026, quarter=4)
    assert response.context["period"].key == "calendar:quarter:2026:4"
    assert card(response, "received_total").figure.value == 0


def test_the_default_quarter_costs_the_same_queries_with_more_history(client, world, today_is):
    today_is(dt.date(2026, 12, 7))
    for year, index in ((2021, 1), (2025, 2), (2025, 3)):
        rollups_refresh(period=quarter(year, index))
    client.force_login(member(world["merged"]))
    dashboard(client)  # warm: the current quarter computed, caches filled
    with CaptureQueriesContext(connection) as before:
        assert dashboard(client).status_code == 200
    # Eight more quarters of history with dossiers.
    version = Dossier.objects.first().procedure_version
    for year in (2022, 2023):
        for index in range(1, 5):
            Dossier(
                code=f"X-{year}-{index}",
                procedure_version=version,
                receiving_unit=world["a"],
                handling_unit=world["a"],
                channel="online",
                applicant_name="Trần Thị B",
                received_at=dt.datetime(year, 3 * index - 1, 2, 9, tzinfo=VN),
                due_at=dt.datetime(year, 3 * index - 1, 12, 17, tzinfo=VN),
                original_due_at=dt.datetime(year, 3 * index - 1, 12, 17, tzinfo=VN),
                finished_at=dt.datetime(year, 3 * index - 1, 5, 10, tzinfo=VN),
                status=DossierStatus.FINISHED,
            ).save()
            rollups_refresh(period=quarter(year, index))
    with CaptureQueriesContext(connection) as after:
        response = dashboard(client)
    assert response.context["period"].key == "calendar:quarter:2025:3"
    assert len(after) == len(before)


# The change against the previous quarter -------------------------------------------------------


def test_the_change_is_shown_when_the_previous_quarter_has_data(client, world):
    client.force_login(member(world["merged"]))
    response = dashboard(client, year=2025, quarter=3)
    # Q2 2025 of its predecessors: 2 received (A's and B's); Q3: 3.
    assert response.context["previous_has_data"]
    assert card(response, "received_total").change == "+1"
    assert card(response, "resolved").change == "+2"
    # On-time rate: Q2 1/1 = 100%, Q3 2/3 = 66.67%: −33.33 points.
    assert card(response, "on_time_rate").change == "−33,33"


def test_the_change_is_a_dash_when_the_previous_quarter_has_no_data(client, world):
    client.force_login(member(world["merged"]))
    response = dashboard(client, year=2025, quarter=2)
    # Q1 2025: nothing anywhere in the lineage.
    assert not response.context["previous_has_data"]
    assert all(card.change is None for card in response.context["cards"])
    page = response.content.decode()
    assert page.count("—<span") == len(response.context["cards"])
    assert "+2" not in [card.change for card in response.context["cards"]]
