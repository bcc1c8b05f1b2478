"""Exporting the catalogue in the import's columns: the export re-imports unchanged."""

import csv
import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from org.tabular import TabularFile
from procedures.exports import procedures_export_rows, write_csv, write_xlsx
from procedures.imports import PROCEDURE_COLUMNS, PROCEDURE_REQUIRED_COLUMNS, procedures_import
from procedures.models import Procedure, ProcedureVersion
from procedures.selectors import versions_in_force
from procedures.services import DocumentSpec
from tests.factories import SectorFactory, UnitFactory, published_procedure

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def catalogue():
    units = [UnitFactory(code="X01"), UnitFactory(code="X02")]
    sector = SectorFactory(code="HT", name="Hộ tịch")
    published_procedure(
        code="1.000948",
        sector=sector,
        name='=HYPERLINK("http://evil")',
        levels=("commune", "district"),
        processing_time=Decimal("0.5"),
        fee=Decimal(50000),
        fee_description="-5% online",
        legal_basis="@Luật Hộ tịch 2014",
        result_description="'+ trích lục",
        decision_number="1872/QĐ-BTP",
        decision_date=D(2020, 10, 1),
        decision_effective_date=D(2020, 10, 15),
        fully_online_eligible=True,
        documents=(DocumentSpec("Tờ khai", 1), DocumentSpec("+Giấy chứng sinh", 1, 2, 3)),
        implementing_unit_ids=frozenset(unit.pk for unit in units),
    )
    published_procedure(code="1.001234", name="Cấp giấy chứng nhận", valid_from=D(2019, 5, 1))


def reimport(path):
    with TabularFile(path, required=PROCEDURE_REQUIRED_COLUMNS) as table:
        return procedures_import(rows=table)


def test_it_uses_the_import_columns(catalogue):
    rows = list(procedures_export_rows(versions_in_force(on=D(2021, 1, 1))))

    assert [list(row) for row in rows] == [list(PROCEDURE_COLUMNS)] * 2
    first = rows[0]
    assert first["level"] == "commune;district"
    assert first["processing_time"] == "0.5"
    assert first["fee"] == "50000"
    assert first["implementing_unit_codes"] == "X01;X02"
    assert first["documents"] == "Tờ khai|1|0|0;+Giấy chứng sinh|1|2|3"
    assert first["valid_from"] == "2020-01-01"


def test_it_neutralises_formulas_in_csv(catalogue, tmp_path):
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        write_csv(versions_in_force(on=D(2021, 1, 1)), stream)

    with path.open(encoding="utf-8", newline="") as stream:
        first = next(csv.DictReader(stream))
    assert first["name"] == '\'=HYPERLINK("http://evil")'
    assert first["fee_description"] == "'-5% online"
    assert first["legal_basis"] == "'@Luật Hộ tịch 2014"
    assert first["result"] == "''+ trích lục"
    assert first["documents"] == "Tờ khai|1|0|0;+Giấy chứng sinh|1|2|3"


def test_it_writes_no_formula_cells_in_xlsx(catalogue, tmp_path):
    path = tmp_path / "export.xlsx"
    write_xlsx(versions_in_force(on=D(2021, 1, 1)), path)

    sheet = load_workbook(path).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["B2"].value == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_it_reimports_its_own_export_unchanged(catalogue, tmp_path, suffix):
    path = tmp_path / f"export.{suffix}"
    call_command("export_procedures", str(path), "--on", "2021-01-01", stdout=StringIO())
    before = list(ProcedureVersion.objects.values_list("pk", "valid_to"))

    result = reimport(path)

    assert result.ok, result.errors.lines()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert list(ProcedureVersion.objects.values_list("pk", "valid_to")) == before


def test_it_recreates_the_catalogue_from_its_export_in_an_empty_database(catalogue, tmp_path):
    path = tmp_path / "export.csv"
    call_command("export_procedures", str(path), "--on", "2021-01-01", stdout=StringIO())
    exported = path.read_text(encoding="utf-8")
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()

    result = reimport(path)

    assert result.created == 2
    path.unlink()
    call_command("export_procedures", str(path), "--on", "2021-01-01", stdout=StringIO())
    assert path.read_text(encoding="utf-8") == exported


def test_it_exports_only_the_versions_in_force_on_the_day(catalogue, tmp_path):
    rows = list(procedures_export_rows(versions_in_force(on=D(2019, 12, 31))))

    assert [row["code"] for row in rows] == ["1.001234"]


def test_its_query_count_does_not_grow_with_rows(catalogue):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            list(procedures_export_rows(versions_in_force(on=D(2021, 1, 1))))
        return len(captured)

    few = queries()
    for number in range(10):
        published_procedure(
            code=f"2.{number:06d}",
            documents=(DocumentSpec("Tờ khai", 1),),
            implementing_unit_ids=frozenset([UnitFactory().pk]),
        )
    assert queries() == few
