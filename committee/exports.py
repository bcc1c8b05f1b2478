"""The follow-up table as XLSX, for the next meeting of the committee.

Vietnamese data text (the workbook is a document of the office, like form II.06a), one row per
task with the same status and delay as the page. Every text a unit typed goes through
``text_neutralised`` so a cell starting with ``=``, ``+``, ``-`` or ``@`` is never run as a
formula by the spreadsheet (CWE-1236).
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from procedures.exports import text_neutralised

from .selectors import TaskRow
from .status import TaskStatus

STATUS_TEXT = {
    TaskStatus.NOT_STARTED: "Chưa thực hiện",
    TaskStatus.IN_PROGRESS_WITHIN: "Đang thực hiện, trong hạn",
    TaskStatus.IN_PROGRESS_OVERDUE: "Quá hạn, chưa hoàn thành",
    TaskStatus.DONE_ON_TIME: "Hoàn thành đúng hạn",
    TaskStatus.DONE_LATE: "Hoàn thành quá hạn",
}

# (header, column width)
COLUMNS: tuple[tuple[str, int], ...] = (
    ("STT", 5),
    ("Cuộc họp / Thông báo kết luận", 28),
    ("Kết luận số", 8),
    ("Nhiệm vụ", 45),
    ("Đơn vị chủ trì", 24),
    ("Đơn vị phối hợp", 28),
    ("Thời hạn", 11),
    ("Sản phẩm đầu ra", 28),
    ("Tiến độ (%)", 9),
    ("Kết quả thực hiện (báo cáo gần nhất)", 45),
    ("Ngày hoàn thành", 11),
    ("Tình trạng", 18),
    ("Số ngày làm việc quá hạn", 10),
)
HEADER_ROW = 4

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", start_color="D9E2F3", end_color="D9E2F3")
_LATE_FONT = Font(color="C00000", bold=True)
_WRAP = Alignment(vertical="top", wrap_text=True)


def _date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _meeting_text(row: TaskRow) -> str:
    meeting = row.task.conclusion.meeting
    text = f"{meeting.title} ({_date(meeting.held_on)})"
    if meeting.notice_number:
        text += f"; TB số {meeting.notice_number}"
        if meeting.notice_date:
            text += f" ngày {_date(meeting.notice_date)}"
    return text


def tasks_xlsx(rows: list[TaskRow], *, today: dt.date, heading: str) -> bytes:
    """The workbook's bytes: a title, the header row, one row per task."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Theo dõi nhiệm vụ"
    last_letter = get_column_letter(len(COLUMNS))
    titles = (
        (
            "BẢNG THEO DÕI THỰC HIỆN NHIỆM VỤ THEO KẾT LUẬN CỦA BAN CHỈ ĐẠO CCHC",
            Font(bold=True, size=13),
        ),
        (text_neutralised(heading), Font(bold=True)),
        (f"Tính đến ngày {_date(today)}", Font(italic=True)),
    )
    for number, (text, font) in enumerate(titles, start=1):
        sheet.merge_cells(f"A{number}:{last_letter}{number}")
        cell = sheet.cell(row=number, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center")
    for column, (header, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for index, row in enumerate(rows, start=1):
        _task_row_write(sheet, HEADER_ROW + index, index, row)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _task_row_write(sheet, excel_row: int, index: int, row: TaskRow) -> None:
    """One task's cells on ``excel_row``, the days overdue in red when the task is late."""
    task = row.task
    values = (
        index,
        text_neutralised(_meeting_text(row)),
        task.conclusion.number,
        text_neutralised(task.title),
        text_neutralised(task.lead_unit.name),
        text_neutralised("; ".join(row.supporting_names)),
        _date(task.deadline),
        text_neutralised(task.expected_output),
        task.progress,
        text_neutralised(getattr(task, "latest_report_text", None) or ""),
        _date(task.completed_on),
        STATUS_TEXT[row.status],
        row.days_overdue or "",
    )
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=excel_row, column=column, value=value)
        cell.border = _BORDER
        cell.alignment = _WRAP
        if column == len(COLUMNS) - 1 and row.status in (
            TaskStatus.IN_PROGRESS_OVERDUE,
            TaskStatus.DONE_LATE,
        ):
            cell.font = _LATE_FONT
