"""The all-or-nothing catalogue import (DESIGN §4): rows matched by code, versions published."""

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from org.tabular import TabularFile
from procedures.imports import PROCEDURE_REQUIRED_COLUMNS, procedures_import
from procedures.models import Procedure, ProcedureVersion, RequiredDocument, Sector
from procedures.selectors import versions_in_force
from procedures.services import DocumentSpec, ProcedureContent
from tests.factories import UnitFactory, published_procedure

pytestmark = pytest.mark.django_db

D = dt.date

HEADER = [
    *PROCEDURE_REQUIRED_COLUMNS,
    "fee",
    "valid_from",
    "implementing_unit_codes",
    "documents",
]
BIRTH = [
    "1.000948",
    "Đăng ký khai sinh",
    "HT",
    "Hộ tịch",
    "commune",
    "4",
    "3",
    "working_days",
    "",
    "2021-01-01",
    "",
    "Tờ khai|1|0|0;Giấy chứng sinh|1",
]
LAND = [
    "1.001234",
    "Cấp giấy chứng nhận quyền sử dụng đất",
    "DD",
    "Đất đai",
    "district;province",
    "partial",
    "0,5",
    "calendar_days",
    "100.000",
    "2021-01-01",
    "",
    "",
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def write_csv(tmp_path: Path, rows: list[list[str]], name: str = "procedures.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(tmp_path: Path, rows: list[list[str]], name: str = "procedures.xlsx") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


def import_file(path: Path, **kwargs):
    with TabularFile(path, required=PROCEDURE_REQUIRED_COLUMNS) as table:
        return procedures_import(rows=table, **kwargs)


def row_with(row: list[str], **changes: str) -> list[str]:
    changed = list(row)
    for column, value in changes.items():
        changed[HEADER.index(column)] = value
    return changed


def counts() -> tuple[int, ...]:
    return (
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        Sector.objects.count(),
        RequiredDocument.objects.count(),
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_it_creates_published_versions_in_force(tmp_path, kind):
    result = import_file(WRITERS[kind](tmp_path, [HEADER, BIRTH, LAND]))

    assert result.ok, result.errors.lines()
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    in_force = versions_in_force(on=D(2021, 3, 31)).order_by("procedure__code")
    assert [v.procedure.code for v in in_force] == ["1.000948", "1.001234"]
    land = in_force.get(procedure__code="1.001234")
    assert land.processing_time == Decimal("0.5")
    assert land.processing_unit == "calendar_days"
    assert land.fee == Decimal(100000)
    assert land.online_level == "partial"
    assert land.sector.name == "Đất đai"
    assert not versions_in_force(on=D(2020, 12, 31)).exists()


def test_it_reads_several_levels():
    result = procedures_import(rows=[(2, dict(zip(HEADER, LAND, strict=True)))])

    assert result.ok, result.errors.lines()
    version = ProcedureVersion.objects.get(procedure__code="1.001234")
    assert sorted(level.level for level in version.levels.all()) == ["district", "province"]


def test_it_reads_documents_with_their_counts():
    row = row_with(BIRTH, documents="Tờ khai|1|0|0 ; Giấy chứng sinh|1 ;; CMND|0|1|2")

    result = procedures_import(rows=[(2, dict(zip(HEADER, row, strict=True)))])

    assert result.ok, result.errors.lines()
    version = ProcedureVersion.objects.get(procedure__code="1.000948")
    assert ProcedureContent.of(version).documents == (
        DocumentSpec("Tờ khai", 1, 0, 0),
        DocumentSpec("Giấy chứng sinh", 1, 0, 0),
        DocumentSpec("CMND", 0, 1, 2),
    )


def test_it_links_implementing_units():
    first, second = UnitFactory(code="X01"), UnitFactory(code="X02")
    row = row_with(BIRTH, implementing_unit_codes="X01; X02")

    procedures_import(rows=[(2, dict(zip(HEADER, row, strict=True)))])

    version = ProcedureVersion.objects.get(procedure__code="1.000948")
    assert set(version.implementing_units.all()) == {first, second}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_it_changes_nothing_when_the_same_file_is_imported_again(tmp_path, kind):
    UnitFactory(code="X01")
    path = WRITERS[kind](tmp_path, [HEADER, row_with(BIRTH, implementing_unit_codes="X01"), LAND])
    import_file(path)
    before = list(ProcedureVersion.objects.values_list("pk", "number", "valid_to"))

    result = import_file(path)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert list(ProcedureVersion.objects.values_list("pk", "number", "valid_to")) == before


def test_it_publishes_version_2_and_closes_version_1_when_a_row_changed(tmp_path):
    import_file(write_csv(tmp_path, [HEADER, BIRTH, LAND]))
    changed = row_with(BIRTH, processing_time="5", valid_from="2022-07-01")

    result = import_file(write_csv(tmp_path, [HEADER, changed, LAND], name="v2.csv"))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    first, second = ProcedureVersion.objects.filter(procedure__code="1.000948").order_by("number")
    assert (first.valid_from, first.valid_to) == (D(2021, 1, 1), D(2022, 6, 30))
    assert (second.number, second.status, second.valid_from, second.valid_to) == (
        2,
        "published",
        D(2022, 7, 1),
        None,
    )
    assert second.processing_time == Decimal(5)
    assert [d.name for d in second.documents.all()] == ["Tờ khai", "Giấy chứng sinh"]


def test_it_takes_the_valid_from_argument_for_rows_without_one():
    row = row_with(BIRTH, valid_from="")

    procedures_import(rows=[(2, dict(zip(HEADER, row, strict=True)))], valid_from=D(2023, 5, 1))

    assert ProcedureVersion.objects.get().valid_from == D(2023, 5, 1)


def test_it_keeps_what_a_file_without_an_optional_column_does_not_say():
    documents = (DocumentSpec("Tờ khai", 1),)
    published_procedure(code="1.000948", name="Đăng ký khai sinh", documents=documents)
    sector = ProcedureVersion.objects.get().sector
    header = list(PROCEDURE_REQUIRED_COLUMNS)
    row = row_with(BIRTH, sector_code=sector.code, sector_name=sector.name)[: len(header)]

    result = procedures_import(rows=[(2, dict(zip(header, row, strict=True)))])

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert ProcedureContent.of(ProcedureVersion.objects.get()).documents == documents


def test_it_refuses_a_changed_row_that_does_not_start_after_the_current_version(tmp_path):
    import_file(write_csv(tmp_path, [HEADER, BIRTH]))
    before = counts()
    changed = row_with(BIRTH, name="Đăng ký khai sinh (mới)", valid_from="2021-01-01")

    result = import_file(write_csv(tmp_path, [HEADER, changed], name="v2.csv"))

    assert [(e.row, e.column) for e in result.errors] == [(2, "valid_from")]
    assert counts() == before


def test_it_reports_every_bad_row_and_writes_nothing(tmp_path):
    UnitFactory(code="X01")
    import_file(write_csv(tmp_path, [HEADER, LAND]))
    before = counts()
    rows = [
        HEADER,
        BIRTH,  # row 2: good
        row_with(BIRTH, code="1.948"),  # row 3
        row_with(LAND, level="ward", online_level="5"),  # row 4: two errors
        row_with(BIRTH, code="1.000001", processing_time="-1", processing_unit="weeks"),  # 5
        BIRTH,  # row 6: duplicate of row 2
        row_with(BIRTH, code="1.000002", implementing_unit_codes="X01;Z99"),  # row 7
        row_with(BIRTH, code="1.000003", sector_name="Tư pháp"),  # row 8: conflicts with row 2
        row_with(BIRTH, code="1.000004", fee="abc", documents="Tờ khai|x"),  # row 9
        row_with(BIRTH, code="1.000005", name="", valid_from="31/02/2021"),  # row 10
        row_with(BIRTH, code="1.000006", sector_name="Tư pháp", fee="?"),  # row 11
    ]

    result = import_file(write_csv(tmp_path, rows))

    assert result.errors.lines() == [
        "row 3: code: A procedure code looks like 1.000948, or 1.000948.H30 when localised.",
        "row 4: level: 'ward' is not one of province|district|commune",
        "row 4: online_level: '5' is not one of 1|2|3|4|partial|full",
        "row 5: processing_time: '-1' is not a non-negative number",
        "row 5: processing_unit: 'weeks' is not one of working_days|working_hours|calendar_days",
        "row 6: code: '1.000948' is already on row 2",
        "row 7: implementing_unit_codes: unknown unit(s): Z99",
        "row 8: sector_name: sector 'HT' is named 'Hộ tịch' on row 2",
        "row 9: fee: 'abc' is not a whole number of VND",
        "row 9: documents: document 1: 'x' is not a number of copies",
        "row 10: name: is required",
        "row 10: valid_from: '31/02/2021' is not a date; write YYYY-MM-DD or DD/MM/YYYY",
        "row 11: fee: '?' is not a whole number of VND",
        "row 11: sector_name: sector 'HT' is named 'Hộ tịch' on row 2",
    ]
    assert counts() == before


def test_it_strips_the_apostrophe_an_export_put_before_a_formula():
    row = row_with(BIRTH, name="'=HYPERLINK(1)", documents="''+x|1")

    procedures_import(rows=[(2, dict(zip(HEADER, row, strict=True)))])

    version = ProcedureVersion.objects.get()
    assert version.name == "=HYPERLINK(1)"
    assert version.documents.get().name == "'+x"


def test_it_keeps_an_apostrophe_that_does_not_protect_a_formula():
    row = row_with(BIRTH, name="'Quote")

    procedures_import(rows=[(2, dict(zip(HEADER, row, strict=True)))])

    assert ProcedureVersion.objects.get().name == "'Quote"


def test_the_command_prints_a_summary(tmp_path, capsys):
    call_command("import_procedures", str(write_csv(tmp_path, [HEADER, BIRTH, LAND])))

    assert "2 created, 0 updated, 0 unchanged" in capsys.readouterr().out


def test_the_command_fails_with_status_1_and_every_error(tmp_path, capsys):
    path = write_csv(tmp_path, [HEADER, row_with(BIRTH, code="x"), row_with(LAND, level="")])

    with pytest.raises(CommandError) as raised:
        call_command("import_procedures", str(path))

    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    assert "row 2: code:" in err
    assert "row 3: level: is required" in err
    assert Procedure.objects.count() == 0


def test_it_numbers_bad_rows_as_excel_shows_them(tmp_path):
    rows = [
        HEADER,
        BIRTH,
        ["", "", "", "", "", "", "", "", "", "", "", ""],
        row_with(LAND, fee="x"),
    ]

    result = import_file(write_xlsx(tmp_path, rows))

    assert [(e.row, e.column) for e in result.errors] == [(4, "fee")]
    assert Procedure.objects.count() == 0


@pytest.mark.parametrize(
    "text, fee",
    [("", None), ("0", 0), ("1500000", 1500000), ("1.500.000", 1500000), ("1,500,000", 1500000)],
)
def test_it_reads_a_fee_in_whole_vnd(text, fee):
    procedures_import(rows=[(2, dict(zip(HEADER, row_with(BIRTH, fee=text), strict=True)))])

    expected = None if fee is None else Decimal(fee)
    assert ProcedureVersion.objects.get().fee == expected


@pytest.mark.parametrize("text", ["1.5", "-100", "1.50.000", "10 VND"])
def test_it_refuses_a_fee_that_is_not_whole_vnd(text):
    result = procedures_import(
        rows=[(2, dict(zip(HEADER, row_with(BIRTH, fee=text), strict=True)))]
    )

    assert [(e.row, e.column) for e in result.errors] == [(2, "fee")]


@pytest.mark.parametrize("text", ["-1", "1e30", "NaN", "2.555", "100000", "ba"])
def test_it_refuses_a_processing_time_that_is_not_a_small_non_negative_number(text):
    row = row_with(BIRTH, processing_time=text)

    result = procedures_import(rows=[(2, dict(zip(HEADER, row, strict=True)))])

    assert [(e.row, e.column) for e in result.errors] == [(2, "processing_time")]


@pytest.mark.parametrize("text, time", [("3", "3"), ("3.5", "3.5"), ("0,5", "0.5"), ("0", "0")])
def test_it_reads_a_processing_time_with_a_dot_or_a_comma(text, time):
    procedures_import(
        rows=[(2, dict(zip(HEADER, row_with(BIRTH, processing_time=text), strict=True)))]
    )

    assert ProcedureVersion.objects.get().processing_time == Decimal(time)


def test_it_renames_a_sector_without_a_new_version(tmp_path):
    import_file(write_csv(tmp_path, [HEADER, BIRTH]))

    result = import_file(
        write_csv(tmp_path, [HEADER, row_with(BIRTH, sector_name="Hộ tịch (mới)")], "v2.csv")
    )

    assert result.unchanged == 1
    assert Sector.objects.get(code="HT").name == "Hộ tịch (mới)"
    assert ProcedureVersion.objects.count() == 1


def test_it_refuses_to_overwrite_a_pending_draft(tmp_path):
    from procedures.services import procedure_draft_new

    import_file(write_csv(tmp_path, [HEADER, BIRTH]))
    procedure_draft_new(procedure=Procedure.objects.get(), by=None)
    changed = row_with(BIRTH, name="Đăng ký khai sinh (mới)", valid_from="2022-01-01")

    result = import_file(write_csv(tmp_path, [HEADER, changed], name="v2.csv"))

    assert [(e.row, e.column) for e in result.errors] == [(2, "code")]
    assert ProcedureVersion.objects.count() == 2


def test_it_rolls_everything_back_when_a_service_refuses_a_row(tmp_path, monkeypatch):
    from django.core.exceptions import ValidationError

    import procedures.imports
    from procedures.services import procedure_publish

    import_file(write_csv(tmp_path, [HEADER, BIRTH, LAND]))
    before = counts()

    def publish_all_but_land(*, version, **kwargs):
        if version.procedure.code == "1.001234":
            raise ValidationError("refused")
        return procedure_publish(version=version, **kwargs)

    monkeypatch.setattr(procedures.imports, "procedure_publish", publish_all_but_land)
    rows = [HEADER, *(row_with(r, valid_from="2022-01-01", fee="1") for r in (BIRTH, LAND))]
    new = row_with(BIRTH, code="1.000777")

    result = import_file(write_csv(tmp_path, [*rows, new], name="v2.csv"))

    assert result.errors.lines() == ["row 3: code: refused"]
    assert counts() == before


def test_it_writes_a_new_procedure_exactly_as_the_services_do():
    from procedures.services import procedure_create, procedure_publish
    from tests.factories import UserFactory

    user = UserFactory()
    unit = UnitFactory(code="X01")
    row = row_with(BIRTH, implementing_unit_codes="X01", fee="20000")
    procedures_import(rows=[(2, dict(zip(HEADER, row, strict=True)))], by=user)
    imported = ProcedureVersion.objects.get()
    content = ProcedureContent.of(imported)
    assert content.implementing_unit_ids == {unit.pk}

    by_service = procedure_publish(
        version=procedure_create(code="1.000949", content=content, by=user),
        valid_from=imported.valid_from,
        by=user,
    )

    fields = ["number", "status", "valid_from", "valid_to", "abolished", "created_by_id"]
    fields += ["published_by_id", "change_note"]
    for name in fields:
        assert getattr(imported, name) == getattr(by_service, name), name
    assert ProcedureContent.of(imported) == ProcedureContent.of(by_service)
    assert imported.search_text == by_service.search_text.replace("1.000949", "1.000948")
    assert imported.created_at and imported.published_at
    assert [d.position for d in imported.documents.all()] == [
        d.position for d in by_service.documents.all()
    ]
