import csv
import datetime as dt
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models.signals import post_save
from openpyxl import Workbook

from org.models import Unit, UnitLevel
from org.services import units_import
from tests.factories import UnitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = ["code", "name", "level", "parent_code", "valid_from", "valid_to"]

# The district of the seed article, its communes listed before it and before the province.
DISTRICT_FILE = [
    HEADER,
    ["X01", "Xã Tân Phú", "commune", "H01", "2019-01-01", ""],
    ["X02", "Thị trấn Tân Phú", "commune", "H01", "01/01/2019", "30/06/2025"],
    ["H01", "Huyện Tân Phú", "district", "T75", "2019-01-01", "2025-06-30"],
    ["T75", "Tỉnh Đồng Nai", "province", "", "", ""],
]


@pytest.fixture
def saves():
    saved: list[str] = []

    def receiver(sender, instance, **kwargs):
        saved.append(instance.code)

    post_save.connect(receiver, sender=Unit, weak=False)
    yield saved
    post_save.disconnect(receiver, sender=Unit)


def write_csv(tmp_path: Path, rows: list[list[str]], name: str = "units.csv", bom=False) -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(tmp_path: Path, rows: list[list], name: str = "units.xlsx") -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def run_import(path: Path) -> str:
    out = StringIO()
    call_command("import_units", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def run_failing_import(path: Path) -> tuple[list[str], CommandError]:
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_units", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines(), excinfo.value


def rows_of(lines: list[list[str]]):
    header, *body = lines
    return [(number, dict(zip(header, row, strict=True))) for number, row in enumerate(body, 2)]


def test_it_imports_children_listed_before_their_parents(tmp_path):
    output = run_import(write_csv(tmp_path, DISTRICT_FILE))

    assert output.strip() == "Units: 4 created, 0 updated, 0 unchanged."
    province = Unit.objects.get(code="T75")
    district = Unit.objects.get(code="H01")
    commune = Unit.objects.get(code="X02")
    assert province.parent is None
    assert province.level == UnitLevel.PROVINCE
    assert district.parent == province
    assert commune.parent == district
    assert commune.path == f"/{province.pk}/{district.pk}/{commune.pk}/"
    assert commune.valid_from == dt.date(2019, 1, 1)
    assert commune.valid_to == dt.date(2025, 6, 30)
    assert province.valid_from is None
    assert set(
        Unit.objects.filter(path__startswith=district.path).values_list("code", flat=True)
    ) == {
        "H01",
        "X01",
        "X02",
    }


def test_it_imports_xlsx_with_date_cells(tmp_path):
    path = write_xlsx(
        tmp_path,
        [
            [" Code", "Name", "LEVEL", "parent_code", "valid_from", "valid_to"],
            ["X01", "Xã Tân Phú", "commune", "H01", dt.date(2019, 1, 1), None],
            ["H01", "Huyện Tân Phú", "District", None, dt.date(2019, 1, 1), dt.date(2025, 6, 30)],
            [],
            [None, None, None],
        ],
    )

    assert run_import(path).strip() == "Units: 2 created, 0 updated, 0 unchanged."
    district = Unit.objects.get(code="H01")
    assert district.level == UnitLevel.DISTRICT
    assert district.valid_to == dt.date(2025, 6, 30)
    assert Unit.objects.get(code="X01").parent == district


def test_it_reads_a_csv_with_bom(tmp_path):
    run_import(write_csv(tmp_path, DISTRICT_FILE, bom=True))

    assert Unit.objects.count() == 4


def test_it_changes_nothing_when_the_same_file_is_imported_again(tmp_path, saves):
    path = write_csv(tmp_path, DISTRICT_FILE)
    run_import(path)
    before = list(Unit.objects.values())
    saves.clear()

    output = run_import(path)

    assert output.strip() == "Units: 0 created, 0 updated, 4 unchanged."
    assert saves == []
    assert list(Unit.objects.values()) == before


def test_it_changes_nothing_when_the_same_xlsx_is_imported_again(tmp_path, saves):
    path = write_xlsx(
        tmp_path,
        [HEADER, ["H01", "Huyện Tân Phú", "district", None, dt.date(2019, 1, 1), None]],
    )
    run_import(path)
    saves.clear()

    assert run_import(path).strip() == "Units: 0 created, 0 updated, 1 unchanged."
    assert saves == []


def test_it_updates_only_the_units_that_changed(tmp_path, saves):
    run_import(write_csv(tmp_path, DISTRICT_FILE))
    changed = [list(row) for row in DISTRICT_FILE]
    changed[1][1] = "Xã Tân Phú (mới)"
    saves.clear()

    output = run_import(write_csv(tmp_path, changed, name="changed.csv"))

    assert output.strip() == "Units: 0 created, 1 updated, 3 unchanged."
    assert saves == ["X01"]
    assert Unit.objects.get(code="X01").name == "Xã Tân Phú (mới)"


def test_it_moves_a_subtree_and_rewrites_its_paths(tmp_path):
    run_import(write_csv(tmp_path, DISTRICT_FILE))
    other = UnitFactory(code="T01", level=UnitLevel.PROVINCE)

    output = run_import(
        write_csv(tmp_path, [HEADER, ["H01", "Huyện Tân Phú", "district", "T01", "", ""]], "m.csv")
    )

    assert output.strip() == "Units: 0 created, 1 updated, 0 unchanged."
    district = Unit.objects.get(code="H01")
    assert district.parent == other
    for code in ("X01", "X02"):
        commune = Unit.objects.get(code=code)
        assert commune.path == f"/{other.pk}/{district.pk}/{commune.pk}/"


def test_it_leaves_fields_of_absent_columns_alone(tmp_path, saves):
    parent = UnitFactory(code="T75", level=UnitLevel.PROVINCE)
    UnitFactory(
        code="H01",
        name="Huyện Tân Phú",
        level=UnitLevel.DISTRICT,
        parent=parent,
        valid_from=dt.date(2019, 1, 1),
        statistical_code="734",
    )
    saves.clear()

    output = run_import(
        write_csv(tmp_path, [["code", "name", "level"], ["H01", "Huyện Tân Phú", "district"]])
    )

    assert output.strip() == "Units: 0 created, 0 updated, 1 unchanged."
    assert saves == []
    district = Unit.objects.get(code="H01")
    assert (district.parent, district.valid_from, district.statistical_code) == (
        parent,
        dt.date(2019, 1, 1),
        "734",
    )


def test_it_links_successors_in_either_order(tmp_path):
    lines = [
        [*HEADER, "successor_code", "statistical_code"],
        ["X01", "Xã Tân Phú", "commune", "", "2019-01-01", "2025-06-30", "X99", "26278"],
        ["X02", "Thị trấn Tân Phú", "commune", "", "2019-01-01", "2025-06-30", "X99", ""],
        ["X99", "Xã Tân Phú mới", "commune", "", "2025-07-01", "", "", "26300"],
    ]
    path = write_csv(tmp_path, lines)

    assert run_import(path).strip() == "Units: 3 created, 0 updated, 0 unchanged."
    new = Unit.objects.get(code="X99")
    assert set(new.predecessors.values_list("code", flat=True)) == {"X01", "X02"}
    assert not new.successors.exists()
    assert Unit.objects.get(code="X01").statistical_code == "26278"
    assert run_import(path).strip() == "Units: 0 created, 0 updated, 3 unchanged."


def test_it_links_a_successor_already_in_the_database(tmp_path, saves):
    UnitFactory(code="X99")
    UnitFactory(code="X01", name="Xã Tân Phú", level=UnitLevel.COMMUNE)
    saves.clear()
    path = write_csv(
        tmp_path,
        [["code", "name", "level", "successor_code"], ["X01", "Xã Tân Phú", "commune", "X99"]],
    )

    assert run_import(path).strip() == "Units: 0 created, 1 updated, 0 unchanged."
    assert saves == []  # only the link table is written
    assert list(Unit.objects.get(code="X01").successors.values_list("code", flat=True)) == ["X99"]


def test_it_accepts_in_memory_rows():
    result = units_import(rows=rows_of(DISTRICT_FILE))

    assert (result.ok, result.created, result.updated, result.unchanged) == (True, 4, 0, 0)


@pytest.mark.parametrize(
    "row, expected",
    [
        (["", "Xã A", "commune", "", "", ""], "row 2: code: is required"),
        (["A", " ", "commune", "", "", ""], "row 2: name: is required"),
        (["A", "Xã A", "", "", "", ""], "row 2: level: is required"),
        (
            ["A", "Xã A", "ward", "", "", ""],
            "row 2: level: 'ward' is not one of province, department, district, commune, centre",
        ),
        (
            ["A", "Xã A", "commune", "NOPE", "", ""],
            "row 2: parent_code: unknown unit 'NOPE': not in the database nor in this file",
        ),
        (
            ["A", "Xã A", "commune", "A", "", ""],
            "row 2: parent_code: a unit cannot be its own parent",
        ),
        (
            ["A", "Xã A", "commune", "", "2025-02-30", ""],
            "row 2: valid_from: '2025-02-30' is not a date; write YYYY-MM-DD or DD/MM/YYYY",
        ),
        (
            ["A", "Xã A", "commune", "", "", "07/01/25"],
            "row 2: valid_to: '07/01/25' is not a date; write YYYY-MM-DD or DD/MM/YYYY",
        ),
        (
            ["A", "Xã A", "commune", "", "01/07/2025", "2025-06-30"],
            "row 2: valid_to: 2025-06-30 is before valid_from 2025-07-01",
        ),
        (
            ["A" * 41, "Xã A", "commune", "", "", ""],
            "row 2: code: is 41 characters long, at most 40 allowed",
        ),
    ],
)
def test_it_reports_a_bad_row_and_writes_nothing(tmp_path, row, expected):
    UnitFactory(code="EXISTING")
    path = write_csv(tmp_path, [HEADER, row, ["OK", "Xã Hợp Lệ", "commune", "", "", ""]])

    lines, error = run_failing_import(path)

    assert lines == [expected]
    assert error.returncode == 1
    assert str(error) == "Nothing was imported: 1 error(s) in 1 row(s)."
    assert list(Unit.objects.values_list("code", flat=True)) == ["EXISTING"]


def test_it_reports_a_code_repeated_in_the_file(tmp_path):
    path = write_csv(
        tmp_path,
        [
            HEADER,
            ["A", "Xã A", "commune", "", "", ""],
            ["B", "Xã B", "commune", "", "", ""],
            ["A", "Xã A bis", "commune", "", "", ""],
        ],
    )

    lines, _ = run_failing_import(path)

    assert lines == ["row 4: code: 'A' is already on row 2"]
    assert Unit.objects.count() == 0


def test_it_reports_an_unknown_successor(tmp_path):
    path = write_csv(
        tmp_path, [["code", "name", "level", "successor_code"], ["A", "Xã A", "commune", "Z"]]
    )

    lines, _ = run_failing_import(path)

    assert lines == [
        "row 2: successor_code: unknown unit 'Z': not in the database nor in this file"
    ]


def test_it_reports_every_row_of_a_parent_cycle(tmp_path):
    path = write_csv(
        tmp_path,
        [
            HEADER,
            ["A", "Xã A", "commune", "B", "", ""],
            ["B", "Huyện B", "district", "C", "", ""],
            ["C", "Tỉnh C", "province", "A", "", ""],
            ["D", "Xã D", "commune", "A", "", ""],
        ],
    )

    lines, _ = run_failing_import(path)

    assert lines == [
        "row 2: parent_code: the parents form a cycle: A → B → C → A",
        "row 3: parent_code: the parents form a cycle: B → C → A → B",
        "row 4: parent_code: the parents form a cycle: C → A → B → C",
    ]


def test_it_reports_a_cycle_through_units_of_the_database(tmp_path):
    province = UnitFactory(code="T", level=UnitLevel.PROVINCE)
    UnitFactory(code="H", level=UnitLevel.DISTRICT, parent=province)
    path = write_csv(tmp_path, [HEADER, ["T", "Tỉnh", "province", "H", "", ""]])

    lines, _ = run_failing_import(path)

    assert lines == ["row 2: parent_code: the parents form a cycle: T → H → T"]
    assert Unit.objects.get(code="T").parent is None


def test_it_checks_the_date_range_against_the_stored_start(tmp_path):
    UnitFactory(code="A", valid_from=dt.date(2020, 1, 1))
    path = write_csv(
        tmp_path, [["code", "name", "level", "valid_to"], ["A", "Xã A", "commune", "2019-12-31"]]
    )

    lines, _ = run_failing_import(path)

    assert lines == ["row 2: valid_to: 2019-12-31 is before valid_from 2020-01-01"]


def test_it_reports_every_bad_row_and_writes_nothing(tmp_path):
    UnitFactory(code="T75", name="Tỉnh Đồng Nai", level=UnitLevel.PROVINCE)
    path = write_csv(
        tmp_path,
        [
            HEADER,
            ["H01", "Huyện Tân Phú", "district", "T75", "2019-01-01", ""],
            ["X01", "", "xa", "H99", "2019-01-01", "2018-01-01"],
            ["X02", "Xã Phú Lộc", "commune", "H01", "", ""],
            [],
            ["X01", "Xã Phú Thanh", "commune", "H01", "32/01/2019", ""],
            ["", "Xã Không Mã", "commune", "NOPE", "", ""],
        ],
    )

    lines, error = run_failing_import(path)

    assert lines == [
        "row 3: name: is required",
        "row 3: level: 'xa' is not one of province, department, district, commune, centre",
        "row 3: valid_to: 2018-01-01 is before valid_from 2019-01-01",
        "row 3: parent_code: unknown unit 'H99': not in the database nor in this file",
        "row 6: valid_from: '32/01/2019' is not a date; write YYYY-MM-DD or DD/MM/YYYY",
        "row 6: code: 'X01' is already on row 3",
        "row 7: code: is required",
        "row 7: parent_code: unknown unit 'NOPE': not in the database nor in this file",
    ]
    assert str(error) == "Nothing was imported: 8 error(s) in 3 row(s)."
    assert list(Unit.objects.values_list("code", "name")) == [("T75", "Tỉnh Đồng Nai")]


def test_it_reports_every_bad_row_of_an_xlsx(tmp_path):
    path = write_xlsx(
        tmp_path,
        [
            HEADER,
            ["H01", "Huyện Tân Phú", "district", None, dt.date(2019, 1, 1), dt.date(2018, 1, 1)],
            [None, None, None],
            ["X01", "Xã Tân Phú", "commune", "H02", None, None],
        ],
    )

    lines, _ = run_failing_import(path)

    assert lines == [
        "row 2: valid_to: 2018-01-01 is before valid_from 2019-01-01",
        "row 4: parent_code: unknown unit 'H02': not in the database nor in this file",
    ]
    assert Unit.objects.count() == 0


def test_it_rejects_a_file_without_a_required_column(tmp_path):
    path = write_csv(tmp_path, [["code", "name", "parent_code"], ["A", "Xã A", ""]])

    with pytest.raises(CommandError, match=r"units\.csv: missing required column\(s\): level"):
        run_import(path)


def test_it_rejects_a_csv_that_is_not_utf8(tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes("code,name,level\nA,Xã A,commune\n".encode("cp1252"))

    with pytest.raises(CommandError, match="row 2 is not UTF-8 text") as excinfo:
        run_import(path)

    assert excinfo.value.returncode == 1
    assert Unit.objects.count() == 0


def test_it_rejects_an_unknown_file_type(tmp_path):
    path = tmp_path / "units.ods"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match=r"unsupported file type '\.ods'"):
        run_import(path)


def test_it_exits_with_status_1_from_the_command_line(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    manage = [sys.executable, str(Path(django_settings.BASE_DIR) / "manage.py")]

    def run(*args: str) -> subprocess.CompletedProcess:
        # System checks look at the whole project; they are not what is tested here.
        return subprocess.run(
            [*manage, *args, "--skip-checks"], env=env, capture_output=True, text=True
        )

    assert run("migrate", "-v0").returncode == 0
    bad = write_csv(
        tmp_path,
        [HEADER, ["A", "Xã A", "commune", "", "", ""], ["B", "Xã B", "ward", "Z", "", ""]],
        name="bad.csv",
    )
    good = write_csv(tmp_path, DISTRICT_FILE, name="good.csv")

    def unit_count() -> int:
        with sqlite3.connect(database) as connection:
            return connection.execute("SELECT count(*) FROM org_unit").fetchone()[0]

    failed = run("import_units", str(bad))
    assert failed.returncode == 1
    assert failed.stderr.startswith("row 3: level: 'ward' ")
    assert failed.stderr.splitlines()[1].startswith("row 3: parent_code: ")
    assert unit_count() == 0

    assert run("import_units", str(good)).returncode == 0
    assert unit_count() == 4
    assert run("import_units", str(good)).returncode == 0
    assert unit_count() == 4


def test_it_does_not_compare_dates_when_one_cannot_be_read(tmp_path):
    UnitFactory(code="A", valid_from=dt.date(2020, 1, 1))
    path = write_csv(tmp_path, [HEADER, ["A", "Xã A", "commune", "", "hôm qua", "2019-12-31"]])

    lines, _ = run_failing_import(path)

    assert lines == ["row 2: valid_from: 'hôm qua' is not a date; write YYYY-MM-DD or DD/MM/YYYY"]
