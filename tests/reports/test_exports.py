"""The quarterly report's exports on the demo data (Q1 2021 of the seed district): form II.06a
as XLSX and the written report as DOCX, directly and through ``quarterly_report``."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from docx import Document
from matplotlib.figure import Figure
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from org.models import Unit
from reports.charts import chart_png
from reports.exports import report_docx, report_xlsx
from reports.quarterly import quarterly_report

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def report(demo_data, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        root = Unit.objects.get(code="000.00.00.H21")
        return quarterly_report(year=2021, quarter=1, unit=root)


@pytest.fixture(scope="module")
def workbook(report):
    stream = io.BytesIO()
    report_xlsx(report, stream)
    stream.seek(0)
    return load_workbook(stream)


def column_values(sheet, column: str, first: int, last: int) -> list:
    return [sheet[f"{column}{row}"].value for row in range(first, last + 1)]


_SUM = re.compile(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)")


def evaluated(sheet, reference: str) -> int:
    """The cell's figure as a spreadsheet would compute it: a number, or a ``=SUM(X1:Y2)``
    formula evaluated here over the cells it names (themselves evaluated)."""
    value = sheet[reference].value
    if not isinstance(value, str):
        return value
    match = _SUM.fullmatch(value)
    assert match, f"{reference}: {value!r} is not a SUM formula"
    first_column, first_row, last_column, last_row = match.groups()
    return sum(
        evaluated(sheet, f"{get_column_letter(column)}{row}")
        for column in range(
            column_index_from_string(first_column), column_index_from_string(last_column) + 1
        )
        for row in range(int(first_row), int(last_row) + 1)
    )


def evaluated_column(sheet, column: str, first: int, last: int) -> list[int]:
    return [evaluated(sheet, f"{column}{row}") for row in range(first, last + 1)]


def test_it_has_a_summary_sheet_and_one_sheet_per_level(workbook):
    assert workbook.sheetnames == ["Tổng hợp", "Cấp huyện", "Cấp xã", "Cấp tỉnh"]


def test_the_header_is_form_06a(workbook):
    sheet = workbook["Cấp xã"]
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert {"A6:A7", "B6:B7", "C6:F6", "G6:J6", "K6:M6"} <= merged
    assert sheet["C6"].value == "Số hồ sơ nhận giải quyết"
    assert sheet["G6"].value == "Số hồ sơ đã giải quyết"
    assert sheet["K6"].value == "Số hồ sơ đang giải quyết"
    assert column_values(sheet, "C", 7, 7) + [sheet[f"{c}7"].value for c in "DEFGHIJKLM"] == [
        "Tổng số",
        "Trong đó: Trực tuyến",
        "Trực tiếp, bưu chính",
        "Từ kỳ trước chuyển qua",
        "Tổng số",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Tổng số",
        "Trong hạn",
        "Quá hạn",
    ]
    assert sheet["A6"].value == "STT" and sheet["B6"].value == "Đơn vị"
    assert sheet["A1"].value == "UBND TỈNH GIA LAI"
    assert sheet["A3"].value == "Kỳ báo cáo: Quý I/2021 (từ 01/01/2021 đến 31/03/2021)"
    assert "Cấp xã" in sheet["A4"].value and "dương lịch" in sheet["A4"].value


def test_the_district_sheet_has_the_district_desk(workbook):
    sheet = workbook["Cấp huyện"]
    assert sheet["A8"].value == 1
    assert sheet["C8"].value == "=SUM(D8:F8)"
    assert evaluated(sheet, "C8") == 193  # received
    assert evaluated(sheet, "G8") == 193  # resolved
    assert sheet["J8"].value == 0  # late
    assert evaluated(sheet, "K8") == 0  # in progress
    assert sheet["B9"].value is None and sheet["A9"].value == "Tổng cộng"
    assert sheet["C9"].value == "=SUM(C8:C8)"


def test_the_commune_sheet_lists_the_14_communes_and_adds_them_up(workbook, report):
    sheet = workbook["Cấp xã"]
    communes = [row for row in report["dossiers"]["by_unit"] if row["level"] == "commune"]
    assert len(communes) == 14
    assert column_values(sheet, "A", 8, 21) == list(range(1, 15))
    assert column_values(sheet, "B", 8, 21) == [row["name"] for row in communes]
    assert evaluated_column(sheet, "C", 8, 21) == [row["received_total"] for row in communes]
    assert sum(evaluated_column(sheet, "C", 8, 21)) == 3136
    assert sum(evaluated_column(sheet, "G", 8, 21)) == 3135
    assert sum(column_values(sheet, "J", 8, 21)) == 0  # none late
    assert sum(evaluated_column(sheet, "K", 8, 21)) == 1
    assert sum(column_values(sheet, "L", 8, 21)) == 1  # the open one is within its deadline
    assert sum(column_values(sheet, "M", 8, 21)) == 0
    # The totals row adds the rows up: 3,136 received, 3,135 resolved, 1 in progress.
    assert [evaluated(sheet, f"{c}22") for c in "CGK"] == [3136, 3135, 1]
    assert sheet["A22"].value == "Tổng cộng"
    assert [sheet[f"{c}22"].value for c in "CDGKM"] == [
        "=SUM(C8:C21)",
        "=SUM(D8:D21)",
        "=SUM(G8:G21)",
        "=SUM(K8:K21)",
        "=SUM(M8:M21)",
    ]
    assert sheet["A23"].value is None


def test_each_total_column_re_adds_its_parts_and_matches_the_report(workbook, report):
    """On every row of every sheet, "Tổng số" of each group is a formula over the group's
    other columns, which hold the report's figures: received = online + direct and postal +
    carried over, resolved = early + on time + late, in progress = within + overdue."""
    by_level = report["dossiers"]["by_level"]
    by_unit = {row["name"]: row for row in report["dossiers"]["by_unit"]}
    # A level's name: a row of the summary sheet, and the sheet of its units.
    levels = {"Cấp huyện": "district", "Cấp xã": "commune", "Cấp tỉnh": "province"}
    rows_checked = 0
    for sheet in workbook.worksheets:
        row = 8
        while sheet[f"A{row}"].value != "Tổng cộng":
            assert sheet[f"C{row}"].value == f"=SUM(D{row}:F{row})", (sheet.title, row)
            assert sheet[f"G{row}"].value == f"=SUM(H{row}:J{row})", (sheet.title, row)
            assert sheet[f"K{row}"].value == f"=SUM(L{row}:M{row})", (sheet.title, row)
            for column in "DEFHIJLM":
                assert isinstance(sheet[f"{column}{row}"].value, int), (sheet.title, row)
            label = sheet[f"B{row}"].value
            if sheet.title == "Tổng hợp":
                counters = by_level[levels[label]]
            else:
                counters = by_unit[label]
                assert counters["level"] == levels[sheet.title]
            expected = [
                counters["received_total"],
                counters["resolved"],
                counters["in_progress"],
            ]
            assert [evaluated(sheet, f"{c}{row}") for c in "CGK"] == expected, (sheet.title, row)
            rows_checked += 1
            row += 1
    # 3 levels on the summary, the district desk, 14 communes, the province's one row.
    assert rows_checked == 3 + 1 + 14 + 1
    summary = workbook["Tổng hợp"]
    assert [evaluated(summary, f"{c}11") for c in "CDEFGHIJKLM"] == [
        3329,
        report["dossiers"]["total"]["received_online"],
        report["dossiers"]["total"]["received_direct"]
        + report["dossiers"]["total"]["received_postal"],
        0,
        3328,
        report["dossiers"]["total"]["resolved_early"],
        report["dossiers"]["total"]["resolved_on_time"],
        0,
        1,
        1,
        0,
    ]


def test_the_summary_sheet_has_one_row_per_level(workbook):
    sheet = workbook["Tổng hợp"]
    assert sheet["B6"].value == "Cấp"
    assert column_values(sheet, "B", 8, 10) == ["Cấp huyện", "Cấp xã", "Cấp tỉnh"]
    assert evaluated_column(sheet, "C", 8, 10) == [193, 3136, 0]
    assert evaluated_column(sheet, "G", 8, 10) == [193, 3135, 0]
    assert sheet["C11"].value == "=SUM(C8:C10)"


def test_the_sheets_print_on_a4_landscape_with_frozen_headers(workbook):
    sheet = workbook["Cấp xã"]
    assert sheet["C8"].number_format == "#,##0"
    assert sheet["C22"].number_format == "#,##0"
    assert sheet.freeze_panes == "C8"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"  # A4
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.column_dimensions["B"].width == 36


def open_docx(report: dict, charts: dict | None = None):
    stream = io.BytesIO()
    report_docx(report, stream, charts)
    stream.seek(0)
    return Document(stream)


def docx_text(document) -> str:
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(texts)


def test_the_docx_is_an_official_report_with_the_narrative(report):
    document = open_docx(report)
    text = docx_text(document)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH GIA LAI",
        "BÁO CÁO",
        "Kết quả thực hiện cơ chế một cửa, một cửa liên thông Quý I/2021",
        "NGƯỜI LẬP BIỂU",
        "THỦ TRƯỞNG ĐƠN VỊ",
    ):
        assert expected in text, expected
    paragraphs = "\n".join(paragraph.text for paragraph in document.paragraphs)
    for figure in ("372", "193", "3.136", "3.135", "307/3.329"):
        assert figure in paragraphs, figure
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 13
    assert len(document.inline_shapes) == 0


def test_the_docx_table_is_06a_by_level_with_totals(report):
    document = open_docx(report)
    [table] = [t for t in document.tables if t.cell(0, 0).text == "STT"]
    assert table.cell(0, 2).text == "Số hồ sơ nhận giải quyết"
    assert table.cell(1, 2).text == "Tổng số"
    rows = [[cell.text for cell in row.cells] for row in table.rows[2:]]
    assert [row[1] for row in rows] == ["Cấp huyện", "Cấp xã", "Cấp tỉnh", "Tổng cộng"]
    assert rows[0][2] == "193" and rows[1][2] == "3.136"
    # Totals: received 3.329, online, direct+postal, carried 0; resolved 3.328, none late;
    # in progress 1, within 1, overdue 0.
    assert rows[-1][2] == "3.329"
    assert int(rows[-1][3].replace(".", "")) + int(rows[-1][4].replace(".", "")) == 3329
    assert rows[-1][5] == "0"
    assert rows[-1][6] == "3.328"
    assert rows[-1][9] == "0"
    assert rows[-1][10:] == ["1", "1", "0"]
    assert round(table.cell(0, 2).width.cm, 1) == 4.8  # a merged group spans its 4 columns
    shading = table.cell(0, 0)._tc.xml
    assert 'w:fill="D9E2F3"' in shading


def test_the_docx_holds_the_charts_it_is_given(report):
    png = chart_png(Figure(figsize=(1, 1)))
    document = open_docx(report, {"trend": png, "channels": png})
    assert len(document.inline_shapes) == 2
    text = docx_text(document)
    assert "Biểu đồ 1." in text and "Biểu đồ 2." in text


def quarterly_report_q1_2021(*options: str) -> None:
    call_command("quarterly_report", "--year", "2021", "--quarter", "1", *options)


def test_the_command_writes_xlsx_and_docx(demo_data, tmp_path):
    xlsx = tmp_path / "q1.xlsx"
    quarterly_report_q1_2021("--format", "xlsx", "--output", str(xlsx))
    workbook = load_workbook(xlsx)
    assert workbook["Cấp xã"]["C22"].value == "=SUM(C8:C21)"
    assert evaluated(workbook["Cấp huyện"], "C8") == 193

    docx = tmp_path / "q1.docx"
    quarterly_report_q1_2021("--format", "docx", "--output", str(docx))
    document = Document(str(docx))
    assert "3.136" in "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert len(document.inline_shapes) == 2  # the trend and the channel mix


@pytest.mark.parametrize("format_", ["xlsx", "docx"])
def test_the_command_refuses_a_binary_format_without_output(demo_data, format_):
    with translation.override("en"), pytest.raises(CommandError, match="--output") as raised:
        quarterly_report_q1_2021("--format", format_)
    assert raised.value.returncode == 1
