"""Importing a framework: every kind of bad file is refused whole, with `row N: column: …`."""

from __future__ import annotations

import csv
from decimal import Decimal
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from audit.models import AuditEntry
from committee.parindex.imports import framework_import
from committee.parindex.models import Criterion, Framework, FrameworkStatus, ScoringMethod
from tests.parindex.conftest import SMALL_FRAMEWORK, numbered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in English, whatever the default language (Vietnamese).
    with translation.override("en"):
        yield


HEADER = ["code", "name", "max_points", "method"]


def write_csv(path: Path, rows: list[dict], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_import(rows: list[dict]):
    return framework_import(rows=numbered(rows), name="Bộ chỉ số", year_from=2021)


def with_row(target: str, **changes) -> list[dict]:
    return [dict(row, **changes) if row["code"] == target else dict(row) for row in SMALL_FRAMEWORK]


def test_it_imports_the_tree_with_parents_and_leaves() -> None:
    result = run_import(SMALL_FRAMEWORK)
    assert result.ok
    framework = result.framework
    assert (framework.version, framework.status) == (1, FrameworkStatus.DRAFT)
    assert (framework.year_from, framework.year_to) == (2021, 2021)
    criteria = {c.code: c for c in framework.criteria.all()}
    assert len(criteria) == 8
    assert criteria["1.1.1"].parent == criteria["1.1"]
    assert criteria["1.1"].parent == criteria["1"]
    assert criteria["1.1.1"].max_points == Decimal("2.50")  # "2,5" in the file
    assert criteria["1.1.1"].depth == 3
    assert not criteria["1.1"].is_leaf
    assert criteria["1.1"].method == ""
    assert criteria["2.2"].method == ScoringMethod.SURVEY
    assert [c.code for c in framework.criteria.order_by("sort_key")] == [
        "1", "1.1", "1.1.1", "1.1.2", "1.2", "2", "2.1", "2.2",
    ]  # fmt: skip


def test_it_accepts_rows_in_any_order_and_sorts_10_after_9() -> None:
    rows = [
        {"code": "1.10", "name": "Mười", "max_points": "1", "method": "survey"},
        {"code": "1", "name": "Lĩnh vực", "max_points": "10", "method": ""},
    ] + [
        {"code": f"1.{n}", "name": f"Tiêu chí {n}", "max_points": "1", "method": "self_assessed"}
        for n in range(1, 10)
    ]
    result = run_import(rows)
    assert result.ok, result.errors.lines()
    codes = list(result.framework.criteria.order_by("sort_key").values_list("code", flat=True))
    assert codes[-2:] == ["1.9", "1.10"]


def test_it_numbers_a_new_version_of_the_same_name_and_audits_it(django_user_model) -> None:
    user = django_user_model.objects.create_user("bcd")
    first = run_import(SMALL_FRAMEWORK).framework
    second = framework_import(
        rows=numbered(SMALL_FRAMEWORK), name="Bộ chỉ số", year_from=2022, by=user
    ).framework
    assert (first.version, second.version) == (1, 2)
    entry = AuditEntry.objects.get(action="import", object_id=str(second.pk))
    assert entry.actor == user
    assert entry.changes["criteria"] == [None, 8]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (with_row("1.2", code="1..2"), "row 6: code: '1..2' is not an outline number"),
        (with_row("1.2", code="A.2"), "row 6: code: 'A.2' is not an outline number"),
        (with_row("1.2", code="0"), "row 6: code: '0' is not an outline number"),
        (with_row("1.2", code="1.1.1.1"), "row 6: code: '1.1.1.1' is deeper than 3 levels"),
        (with_row("1.2", code=""), "row 6: code: is required"),
    ],
)
def test_it_refuses_bad_codes(rows, expected) -> None:
    result = run_import(rows)
    assert not result.ok
    assert any(line.startswith(expected) for line in result.errors.lines()), result.errors.lines()
    assert not Framework.objects.exists()


def test_it_refuses_a_duplicate_code() -> None:
    rows = [*SMALL_FRAMEWORK, {"code": "2.1", "name": "Lặp", "max_points": "1", "method": "survey"}]
    lines = run_import(rows).errors.lines()
    assert "row 10: code: '2.1' is already on row 8" in lines


def test_it_refuses_an_orphan() -> None:
    rows = [
        *SMALL_FRAMEWORK,
        {"code": "3.1", "name": "Mồ côi", "max_points": "1", "method": "survey"},
    ]
    assert run_import(rows).errors.lines() == ["row 10: code: its parent '3' is not in the file"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "row 6: max_points: 'abc' is not a number"),
        ("-1", "row 6: max_points: must be greater than 0, not -1"),
        ("0", "row 6: max_points: must be greater than 0, not 0"),
        ("1.234", "row 6: max_points: '1.234' has more than 2 decimal places"),
        ("", "row 6: max_points: is required"),
        ("NaN", "row 6: max_points: 'NaN' is not a number"),
    ],
)
def test_it_refuses_bad_points(value, message) -> None:
    lines = run_import(with_row("1.2", max_points=value)).errors.lines()
    assert lines[0] == message
    assert not Framework.objects.exists()


def test_it_refuses_children_that_do_not_add_up_to_the_parent() -> None:
    lines = run_import(with_row("1.1.2", max_points="3")).errors.lines()
    # 1.1 = 6 but 2.5 + 3 = 5.5, and then area 1 = 10 still holds only on paper: 6 + 4.
    assert lines == ["row 3: max_points: the sub-criteria 1.1.1, 1.1.2 add up to 5.50, not 6.00"]


def test_it_refuses_areas_whose_criteria_do_not_add_up() -> None:
    lines = run_import(with_row("2", max_points="12")).errors.lines()
    assert lines == ["row 7: max_points: the sub-criteria 2.1, 2.2 add up to 10.00, not 12.00"]


def test_it_refuses_an_unknown_method_and_a_leaf_without_one() -> None:
    lines = run_import(with_row("2.1", method="phỏng vấn")).errors.lines()
    assert lines[0] == "row 8: method: 'phỏng vấn' is not one of self_assessed|survey"
    lines = run_import(with_row("1.2", method="")).errors.lines()
    assert lines == [
        "row 6: method: is required on a scored criterion (one without sub-criteria): "
        "self_assessed|survey"
    ]


def test_it_reports_every_bad_row_at_once_in_file_order() -> None:
    rows = with_row("1.2", max_points="x")
    rows = [dict(row, method="bogus") if row["code"] == "2.1" else row for row in rows]
    rows.append({"code": "9.9", "name": "", "max_points": "1", "method": "survey"})
    lines = run_import(rows).errors.lines()
    assert lines == [
        "row 6: max_points: 'x' is not a number",
        "row 8: method: 'bogus' is not one of self_assessed|survey",
        "row 10: name: is required",
        "row 10: code: its parent '9' is not in the file",
    ]


def test_it_refuses_an_empty_file_body() -> None:
    assert run_import([]).errors.lines() == [
        "row 2: code: the file has no criteria below the header row"
    ]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": " "}, "name"),
        ({"year_from": 1990}, "year_from"),
        ({"year_from": 2022, "year_to": 2021}, "year_to"),
        ({"level": "hamlet"}, "level"),
        ({"bands": [{"min": "x", "label": "Tốt"}]}, "bands"),
    ],
)
def test_it_refuses_bad_arguments(arguments, field) -> None:
    fields = {"name": "Bộ chỉ số", "year_from": 2021, **arguments}
    with pytest.raises(ValidationError) as error:
        framework_import(rows=numbered(SMALL_FRAMEWORK), **fields)
    assert field in error.value.message_dict


# The management command ----------------------------------------------------------------------


def test_it_imports_a_csv_with_the_command(tmp_path) -> None:
    path = write_csv(tmp_path / "bo-chi-so.csv", SMALL_FRAMEWORK)
    out = StringIO()
    call_command(
        "import_par_framework", str(path), "--name", "Bộ chỉ số xã", "--year", "2020-2022",
        stdout=out,
    )  # fmt: skip
    framework = Framework.objects.get()
    assert (framework.name, framework.year_from, framework.year_to) == ("Bộ chỉ số xã", 2020, 2022)
    assert framework.source_filename == "bo-chi-so.csv"
    assert "8" in out.getvalue()


def test_it_imports_an_xlsx_and_publishes_on_request(tmp_path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in SMALL_FRAMEWORK:
        # Excel stores numbers as numbers: 2.5, not "2,5".
        points = float(row["max_points"].replace(",", "."))
        sheet.append([row["code"], row["name"], points, row["method"]])
    path = tmp_path / "bo-chi-so.xlsx"
    workbook.save(path)
    call_command(
        "import_par_framework", str(path), "--name", "Bộ chỉ số", "--year", "2021",
        "--level", "commune", "--publish", stdout=StringIO(),
    )  # fmt: skip
    framework = Framework.objects.get()
    assert framework.status == FrameworkStatus.PUBLISHED
    assert Criterion.objects.get(code="1.1.1").max_points == Decimal("2.50")


def test_the_command_prints_every_error_and_exits_1(tmp_path) -> None:
    rows = with_row("1.1.2", max_points="-2")
    path = write_csv(tmp_path / "sai.csv", rows)
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_par_framework", str(path), "--name", "X", "--year", "2021", stderr=err)
    assert error.value.returncode == 1
    assert "row 5: max_points: must be greater than 0, not -2" in err.getvalue()
    assert not Framework.objects.exists()


def test_the_command_refuses_a_file_that_is_not_utf8(tmp_path) -> None:
    path = tmp_path / "windows-1258.csv"
    path.write_bytes("code,name,max_points,method\n1,Cải cách,10,survey\n".encode("utf-16"))
    with pytest.raises(CommandError) as error:
        call_command("import_par_framework", str(path), "--name", "X", "--year", "2021")
    assert error.value.returncode == 1
    assert "is not UTF-8 text" in str(error.value)
    assert not Framework.objects.exists()


def test_the_command_refuses_an_empty_file_and_a_missing_column(tmp_path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="row 1 must be the header row") as error:
        call_command("import_par_framework", str(empty), "--name", "X", "--year", "2021")
    assert error.value.returncode == 1
    header_only = write_csv(tmp_path / "header.csv", [])
    with pytest.raises(CommandError) as error:
        call_command(
            "import_par_framework", str(header_only), "--name", "X", "--year", "2021",
            stderr=StringIO(),
        )  # fmt: skip
    assert error.value.returncode == 1
    no_method = write_csv(tmp_path / "no-method.csv", SMALL_FRAMEWORK, header=HEADER[:3])
    with pytest.raises(CommandError, match="missing required column"):
        call_command("import_par_framework", str(no_method), "--name", "X", "--year", "2021")


def test_the_command_refuses_bad_years(tmp_path) -> None:
    path = write_csv(tmp_path / "ok.csv", SMALL_FRAMEWORK)
    with pytest.raises(CommandError) as error:
        call_command("import_par_framework", str(path), "--name", "X", "--year", "2022-2020")
    assert error.value.returncode == 1
    assert not Framework.objects.exists()


def test_the_demo_framework_file_imports_cleanly() -> None:
    from committee.parindex.demo import DEMO_FRAMEWORK
    from org.tabular import read_rows

    result = framework_import(rows=read_rows(DEMO_FRAMEWORK), name="Demo", year_from=2021)
    assert result.ok, result.errors.lines()
    framework = result.framework
    areas = framework.criteria.filter(depth=1)
    assert areas.count() == 8
    assert sum(area.max_points for area in areas) == Decimal("100")
    assert framework.criteria.filter(is_leaf=True).count() == 53


def test_the_command_takes_the_frameworks_own_bands(tmp_path) -> None:
    path = write_csv(tmp_path / "ok.csv", SMALL_FRAMEWORK)
    call_command(
        "import_par_framework", str(path), "--name", "X", "--year", "2021",
        "--bands", "85:Xuất sắc, 50:Đạt,0:Chưa đạt", stdout=StringIO(),
    )  # fmt: skip
    assert Framework.objects.get().bands == [
        {"min": "85", "label": "Xuất sắc"},
        {"min": "50", "label": "Đạt"},
        {"min": "0", "label": "Chưa đạt"},
    ]


def test_a_published_framework_is_frozen() -> None:
    from committee.parindex.services import framework_publish

    framework = framework_publish(framework=run_import(SMALL_FRAMEWORK).framework, by=None)
    criterion = framework.criteria.get(code="1.2")
    criterion.max_points = Decimal("5")
    with pytest.raises(ValidationError, match="cannot be changed"):
        criterion.save()
    assert framework.criteria.get(code="1.2").max_points == Decimal("4")
