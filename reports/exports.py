"""Exports of the quarterly report (DESIGN §4 dictionary): form II.06a as XLSX, the report as DOCX.

Both are pure functions of the report dictionary (no ORM), so they show exactly the figures of
the JSON, the dashboard and the narrative. Their text is Vietnamese data text, like the form and
the narrative, and is not translated.

The XLSX follows the columns of form II.06a (Circular 01/2023/TT-VPCP): received (total, of
which online, direct and postal, carried over), resolved (total, early, on time, late) and in
progress (total, within, overdue). Unit rows hold the report's numbers, except each group's
"Tổng số" column, a ``SUM`` of the group's other columns on the row; the totals row holds ``SUM``
formulas over the unit rows. A clerk who corrects a figure sees every total follow.

:func:`dossiers_xlsx` lists the dossiers behind a figure (the drill-down), streamed row by row
so that a list of 100,000 dossiers never sits in memory.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO

from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from org.models import levels_in_order
from procedures.exports import text_neutralised

from .counters import counter_value
from .narrative import ROMAN_QUARTERS, format_date, format_number, report_narrative

SUMMARY_SHEET = "Tổng hợp"
LEVEL_SHEETS = {
    "province": "Cấp tỉnh",
    "department": "Sở, ban, ngành",
    "centre": "Trung tâm PVHCC",
    "district": "Cấp huyện",
    "commune": "Cấp xã",
}
SCHEME_NAMES = {
    "calendar": "Kỳ báo cáo theo quý dương lịch",
    "cutoff": "Kỳ báo cáo theo thời điểm chốt số liệu (Nghị định 09/2019/NĐ-CP)",
}

# The form's figure columns, from C on: (group, sub-header, value of a counters dict).
FIGURE_COLUMNS: tuple[tuple[str, str, Callable[[dict], int]], ...] = (
    ("Số hồ sơ nhận giải quyết", "Tổng số", lambda c: c["received_total"]),
    ("Số hồ sơ nhận giải quyết", "Trong đó: Trực tuyến", lambda c: c["received_online"]),
    (
        "Số hồ sơ nhận giải quyết",
        "Trực tiếp, bưu chính",
        lambda c: counter_value(c, "received_offline"),
    ),
    ("Số hồ sơ nhận giải quyết", "Từ kỳ trước chuyển qua", lambda c: c["carried_over"]),
    ("Số hồ sơ đã giải quyết", "Tổng số", lambda c: c["resolved"]),
    ("Số hồ sơ đã giải quyết", "Trước hạn", lambda c: c["resolved_early"]),
    ("Số hồ sơ đã giải quyết", "Đúng hạn", lambda c: c["resolved_on_time"]),
    ("Số hồ sơ đã giải quyết", "Quá hạn", lambda c: c["resolved_late"]),
    ("Số hồ sơ đang giải quyết", "Tổng số", lambda c: c["in_progress"]),
    ("Số hồ sơ đang giải quyết", "Trong hạn", lambda c: c["in_progress_within"]),
    ("Số hồ sơ đang giải quyết", "Quá hạn", lambda c: c["in_progress_overdue"]),
)
FIRST_FIGURE_COLUMN = 3  # C: A is STT, B the unit.


def _group_totals() -> dict[int, tuple[int, int]]:
    """The offsets of the "Tổng số" columns, each with the first and last offsets of the
    columns it adds up: the other columns of its group (received = online + direct and postal
    + carried over; resolved = early + on time + late; in progress = within + overdue)."""
    totals: dict[int, tuple[int, int]] = {}
    groups = [group for group, _header, _value in FIGURE_COLUMNS]
    for offset, (group, header, _value) in enumerate(FIGURE_COLUMNS):
        if header == "Tổng số":
            last = max(index for index, name in enumerate(groups) if name == group)
            totals[offset] = (offset + 1, last)
    return totals


GROUP_TOTALS = _group_totals()
HEADER_ROW = 6  # the two header rows are 6 and 7; unit rows start at 8.
FIRST_DATA_ROW = HEADER_ROW + 2
NUMBER_FORMAT = "#,##0"


def period_title(period: dict) -> str:
    """``"Quý I/2021 (từ 01/01/2021 đến 31/03/2021)"``."""
    quarter = ROMAN_QUARTERS[int(period["quarter"])]
    return (
        f"Quý {quarter}/{period['year']} (từ {format_date(period['start'])} "
        f"đến {format_date(period['end'])})"
    )


def report_levels(report: dict) -> list[str]:
    """The levels of ``report["dossiers"]["by_level"]`` in the order of the period's regime."""
    by_level = (report.get("dossiers") or {}).get("by_level") or {}
    order = levels_in_order(dt.date.fromisoformat(str(report["period"]["start"])))
    known = [level for level in order if level in by_level]
    return known + sorted(level for level in by_level if level not in order)


def level_name(level: str) -> str:
    return LEVEL_SHEETS.get(level, level)


# --- XLSX -------------------------------------------------------------------------------------

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", start_color="D9E2F3", end_color="D9E2F3")
_TOTAL_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def report_xlsx(
    report: dict,
    path_or_stream: str | Path | IO[bytes],
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write form II.06a of ``report``: a "Tổng hợp" sheet by level, then one sheet per level
    with one row per unit of that level. ``progress(done, total)`` is called after each sheet."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = SUMMARY_SHEET
    dossiers = report.get("dossiers") or {}
    levels = report_levels(report)
    _sheet_write(
        summary,
        report,
        subtitle="Tổng hợp theo cấp",
        rows=[(level_name(level), dossiers["by_level"][level]) for level in levels],
        first_header="Cấp",
    )
    if progress is not None:
        progress(1, len(levels) + 1)
    for number, level in enumerate(levels, start=2):
        sheet = workbook.create_sheet(level_name(level)[:31])
        units = [row for row in dossiers.get("by_unit") or [] if row.get("level") == level]
        _sheet_write(
            sheet,
            report,
            subtitle=level_name(level),
            rows=[(text_neutralised(str(row["name"])), row) for row in units],
            first_header="Đơn vị",
        )
        if progress is not None:
            progress(number, len(levels) + 1)
    workbook.save(path_or_stream)


def _sheet_write(
    sheet: Worksheet,
    report: dict,
    *,
    subtitle: str,
    rows: list[tuple[str, dict]],
    first_header: str,
) -> None:
    """One sheet of form II.06a: titles, the two header rows, a row per entry of ``rows``
    (name, counters), the totals row, and the page set up for A4 landscape."""
    last_column = FIRST_FIGURE_COLUMN + len(FIGURE_COLUMNS) - 1
    _sheet_titles(sheet, report, subtitle=subtitle, last_column=last_column)
    _sheet_header(sheet, first_header=first_header, last_column=last_column)
    _sheet_rows(sheet, rows, last_column=last_column)
    _sheet_total(sheet, rows, last_column=last_column)
    _sheet_page_setup(sheet, last_column=last_column)


def _sheet_titles(sheet: Worksheet, report: dict, *, subtitle: str, last_column: int) -> None:
    """The four title lines above the table and the unit of the figures."""
    last_letter = get_column_letter(last_column)
    period = report["period"]
    titles = [
        (text_neutralised(str(report["unit"]["name"])).upper(), Font(bold=True, size=12)),
        ("BIỂU TỔNG HỢP KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", Font(bold=True, size=14)),
        (f"Kỳ báo cáo: {period_title(period)}", Font(italic=True)),
        (
            f"{subtitle} - {SCHEME_NAMES.get(period.get('scheme'), period.get('scheme'))}",
            Font(italic=True),
        ),
    ]
    for row_number, (text, font) in enumerate(titles, start=1):
        sheet.merge_cells(f"A{row_number}:{last_letter}{row_number}")
        cell = sheet.cell(row=row_number, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center")
    unit_cell = sheet.cell(row=HEADER_ROW - 1, column=last_column, value="Đơn vị tính: hồ sơ")
    unit_cell.alignment = Alignment(horizontal="right")
    unit_cell.font = Font(italic=True, size=10)


def _sheet_header(sheet: Worksheet, *, first_header: str, last_column: int) -> None:
    """The two header rows: the groups of columns, then their sub-headers."""
    top, sub = HEADER_ROW, HEADER_ROW + 1
    sheet.merge_cells(start_row=top, start_column=1, end_row=sub, end_column=1)
    sheet.merge_cells(start_row=top, start_column=2, end_row=sub, end_column=2)
    sheet.cell(row=top, column=1, value="STT")
    sheet.cell(row=top, column=2, value=first_header)
    column = FIRST_FIGURE_COLUMN
    for group in dict.fromkeys(group for group, _sub, _value in FIGURE_COLUMNS):
        width = sum(1 for g, _sub, _value in FIGURE_COLUMNS if g == group)
        sheet.merge_cells(
            start_row=top, start_column=column, end_row=top, end_column=column + width - 1
        )
        sheet.cell(row=top, column=column, value=group)
        column += width
    for offset, (_group, header, _value) in enumerate(FIGURE_COLUMNS):
        sheet.cell(row=sub, column=FIRST_FIGURE_COLUMN + offset, value=header)
    for row_number in (top, sub):
        for column in range(1, last_column + 1):
            cell = sheet.cell(row=row_number, column=column)
            cell.font = Font(bold=True)
            cell.alignment = _CENTRE
            cell.fill = _HEADER_FILL
            cell.border = _BORDER


def _sheet_rows(sheet: Worksheet, rows: list[tuple[str, dict]], *, last_column: int) -> None:
    """A row per (name, counters); each group's "Tổng số" a ``SUM`` of its other columns."""
    for index, (name, counters) in enumerate(rows, start=1):
        row_number = FIRST_DATA_ROW + index - 1
        sheet.cell(row=row_number, column=1, value=index).alignment = _CENTRE
        sheet.cell(row=row_number, column=2, value=name)
        for offset, (_group, _header, value) in enumerate(FIGURE_COLUMNS):
            figure: int | str = int(value(counters))
            if offset in GROUP_TOTALS:
                first, last = (
                    get_column_letter(FIRST_FIGURE_COLUMN + part) for part in GROUP_TOTALS[offset]
                )
                figure = f"=SUM({first}{row_number}:{last}{row_number})"
            cell = sheet.cell(row=row_number, column=FIRST_FIGURE_COLUMN + offset, value=figure)
            cell.number_format = NUMBER_FORMAT
        for column in range(1, last_column + 1):
            sheet.cell(row=row_number, column=column).border = _BORDER


def _sheet_total(sheet: Worksheet, rows: list[tuple[str, dict]], *, last_column: int) -> None:
    """The totals row: ``SUM`` formulas over the rows above it (0 without rows)."""
    total_row = FIRST_DATA_ROW + len(rows)
    sheet.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=2)
    sheet.cell(row=total_row, column=1, value="Tổng cộng").alignment = _CENTRE
    for offset in range(len(FIGURE_COLUMNS)):
        letter = get_column_letter(FIRST_FIGURE_COLUMN + offset)
        value = f"=SUM({letter}{FIRST_DATA_ROW}:{letter}{total_row - 1})" if rows else 0
        cell = sheet.cell(row=total_row, column=FIRST_FIGURE_COLUMN + offset, value=value)
        cell.number_format = NUMBER_FORMAT
    for column in range(1, last_column + 1):
        cell = sheet.cell(row=total_row, column=column)
        cell.font = Font(bold=True)
        cell.fill = _TOTAL_FILL
        cell.border = _BORDER


def _sheet_page_setup(sheet: Worksheet, *, last_column: int) -> None:
    """Column widths, frozen headers, and A4 landscape fitted to the page width."""
    top, sub = HEADER_ROW, HEADER_ROW + 1
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 36
    for column in range(FIRST_FIGURE_COLUMN, last_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.row_dimensions[sub].height = 45
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=FIRST_FIGURE_COLUMN)
    sheet.print_title_rows = f"{top}:{sub}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True


# --- XLSX: the dossiers behind a figure -------------------------------------------------------

# (header, width): STT, then the values of each row given to dossiers_xlsx, in this order.
DOSSIER_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 8),
    ("Mã hồ sơ", 24),
    ("Mã thủ tục", 11),
    ("Tên thủ tục", 48),
    ("Người nộp", 26),
    ("Đơn vị tiếp nhận", 30),
    ("Kênh", 14),
    ("Ngày tiếp nhận", 16),
    ("Hạn giải quyết", 16),
    ("Ngày kết thúc", 16),
    ("Trạng thái", 22),
    ("Số hóa", 8),
)
DOSSIERS_SHEET = "Danh sách hồ sơ"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# How often dossiers_xlsx reports its progress.
PROGRESS_EVERY_ROWS = 1000


def dossiers_xlsx(
    rows: Iterable[Sequence],
    stream: str | Path | IO[bytes],
    *,
    titles: Sequence[str],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write a list of dossiers: the ``titles`` lines, the header of :data:`DOSSIER_COLUMNS`,
    then one numbered line per row of ``rows`` (the values of the columns after "STT").

    Streams (openpyxl's write-only mode): memory stays flat whatever the number of rows. Text is
    neutralised against formula injection; aware date-times are written in local time.
    ``progress(rows written)`` is called every :data:`PROGRESS_EVERY_ROWS` rows. Returns the
    number of rows written.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(DOSSIERS_SHEET)
    for index, (_header, width) in enumerate(DOSSIER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_row = len(titles) + 2
    sheet.freeze_panes = f"C{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.orientation = "landscape"
    for number, text in enumerate(titles):
        cell = WriteOnlyCell(sheet, value=text_neutralised(str(text)))
        cell.font = Font(bold=True, size=13) if number == 0 else Font(italic=True)
        sheet.append([cell])
    sheet.append([])
    header = []
    for text, _width in DOSSIER_COLUMNS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill, cell.border, cell.alignment = (
            Font(bold=True),
            _HEADER_FILL,
            _BORDER,
            _CENTRE,
        )
        header.append(cell)
    sheet.append(header)
    written = 0
    zone = timezone.get_current_timezone()
    for written, row in enumerate(rows, start=1):
        sheet.append([written, *(_dossier_cell(sheet, value, zone) for value in row)])
        if progress is not None and written % PROGRESS_EVERY_ROWS == 0:
            progress(written)
    workbook.save(stream)
    return written


def _dossier_cell(sheet, value, zone: dt.tzinfo):
    if isinstance(value, str):
        return text_neutralised(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(zone).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    return value


# --- DOCX -------------------------------------------------------------------------------------

CHART_CAPTIONS = {
    "trend": "Biểu đồ 1. Số hồ sơ tiếp nhận, đã giải quyết và đang giải quyết quá hạn theo quý",
    "channels": "Biểu đồ 2. Hồ sơ tiếp nhận trong kỳ theo kênh",
    "on_time": "Biểu đồ 3. Tỷ lệ giải quyết đúng hạn theo đơn vị",
}


def report_docx(
    report: dict, stream: str | Path | IO[bytes], charts: dict[str, bytes] | None = None
) -> None:
    """Write the quarterly report as an A4 portrait Word document in the shape of a Vietnamese
    administrative report (Decree 30/2020: Times New Roman 13 pt, the national motto)."""
    document = _docx_document()

    period = report["period"]
    quarter = f"Quý {ROMAN_QUARTERS[int(period['quarter'])]}/{period['year']}"
    unit_name = str(report["unit"]["name"])

    _docx_heading(document, unit_name=unit_name, quarter=quarter)

    narrative = report.get("narrative") or report_narrative(report)
    for text in narrative.split("\n\n"):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1)

    heading = document.add_paragraph()
    heading.paragraph_format.keep_with_next = True
    heading.add_run(
        f"Biểu tổng hợp kết quả giải quyết thủ tục hành chính {period_title(period)}"
    ).bold = True
    _docx_table(document, report)

    for key, png in (charts or {}).items():
        picture = document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(io.BytesIO(png), width=Cm(16))
        caption = document.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.add_run(CHART_CAPTIONS.get(key, key)).italic = True

    document.add_paragraph()
    signature = _borderless_table(document, 2)
    for column, (title, note) in enumerate(
        (("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)"), ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký tên, đóng dấu)"))
    ):
        _cell_lines(signature.cell(0, column), [(title, True, False, 13), (note, False, True, 13)])
    document.save(stream)


def _docx_document() -> DocxDocument:
    """An empty A4 portrait document: Decree 30/2020 margins, Times New Roman 13 pt."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(6)
    document.core_properties.title = "Báo cáo kết quả thực hiện cơ chế một cửa"
    return document


def _docx_heading(document: DocxDocument, *, unit_name: str, quarter: str) -> None:
    """The unit and the national motto side by side, then the report's title."""
    header = _borderless_table(document, 2)
    _cell_lines(header.cell(0, 0), [(unit_name.upper(), True, False, 12)])
    _cell_lines(
        header.cell(0, 1),
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 12),
            ("Độc lập - Tự do - Hạnh phúc", True, False, 13),
            ("", False, False, 13),
            ("……, ngày … tháng … năm …", False, True, 13),
        ],
    )

    for text, size in (
        ("BÁO CÁO", 14),
        (f"Kết quả thực hiện cơ chế một cửa, một cửa liên thông {quarter}", 13),
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    document.add_paragraph()


def _docx_table(document, report: dict) -> None:
    """Form II.06a by level, with a totals row, as a Word table with shaded headers."""
    dossiers = report.get("dossiers") or {}
    levels = report_levels(report)
    columns = 2 + len(FIGURE_COLUMNS)
    table = document.add_table(rows=2, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.cell(0, 0).merge(table.cell(1, 0)).text = "STT"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "Cấp"
    column = 2
    for group in dict.fromkeys(group for group, _sub, _value in FIGURE_COLUMNS):
        width = sum(1 for g, _sub, _value in FIGURE_COLUMNS if g == group)
        table.cell(0, column).merge(table.cell(0, column + width - 1)).text = group
        column += width
    for offset, (_group, header, _value) in enumerate(FIGURE_COLUMNS):
        table.cell(1, 2 + offset).text = header
    rows = [
        (str(index), level_name(level), dossiers["by_level"][level])
        for index, level in enumerate(levels, start=1)
    ]
    rows.append(("", "Tổng cộng", dossiers.get("total") or {}))
    for index, name, counters in rows:
        cells = table.add_row().cells
        cells[0].text = index
        cells[1].text = name
        for offset, (_group, _header, value) in enumerate(FIGURE_COLUMNS):
            cells[2 + offset].text = format_number(int(value(counters))) if counters else "0"
    last = len(table.rows) - 1
    table.autofit = False
    widths = [Cm(0.9), Cm(2.3)] + [Cm(1.2)] * len(FIGURE_COLUMNS)  # 16.4 cm: the text width
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        # A merged cell appears once per grid column it spans: give it their summed width.
        spans: dict[int, tuple[object, int]] = {}
        for cell, width in zip(row.cells, widths, strict=True):
            held, total = spans.get(id(cell._tc), (cell, 0))
            spans[id(cell._tc)] = (held, total + width)
        for cell, total in spans.values():
            cell.width = total
    for row_index, row in enumerate(table.rows):
        for column_index, cell in enumerate(row.cells):
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.alignment = (
                    WD_ALIGN_PARAGRAPH.LEFT
                    if column_index == 1 and row_index > 1
                    else WD_ALIGN_PARAGRAPH.CENTER
                    if row_index < 2 or column_index == 0
                    else WD_ALIGN_PARAGRAPH.RIGHT
                )
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                    run.bold = row_index < 2 or row_index == last
            if row_index < 2:
                _cell_shade(cell, "D9E2F3")


def _cell_shade(cell, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    for old in properties.findall(qn("w:shd")):
        properties.remove(old)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _borderless_table(document, columns: int):
    table = document.add_table(rows=1, cols=columns)
    table.autofit = True
    return table  # the default "Normal Table" style has no borders.


def _cell_lines(cell, lines: list[tuple[str, bool, bool, int]]) -> None:
    """Centred lines in a table cell: (text, bold, italic, size in pt)."""
    paragraph = cell.paragraphs[0]
    for number, (text, bold, italic, size) in enumerate(lines):
        if number:
            paragraph = cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
