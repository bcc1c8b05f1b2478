"""The register (sổ theo dõi hồ sơ): its query and its XLSX export.

One query for any number of rows: the procedure name comes with ``select_related`` and the
first hand-over ("transferred to") with two correlated subqueries served by the
``event_dossier_at`` index. The XLSX is written with openpyxl's write-only mode (rows go to a
temporary file as they are read in chunks), so memory stays flat at any size.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from org.models import Unit
from procedures.exports import text_neutralised

from .models import Dossier, DossierStatus, Event, EventKind
from .printing import FormSpec, RegisterRange, RegisterRow, register_rows
from .selectors import dossiers_visible_to

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_SIZE = 2000


def register_dossiers(
    *,
    user: AbstractBaseUser | AnonymousUser,
    period: RegisterRange,
    unit: Unit | None = None,
) -> QuerySet[Dossier]:
    """Dossiers the user may see, received in the period (local dates, inclusive).

    Refusals at intake are left out: they were never received (DESIGN §3). ``unit`` narrows the
    register to dossiers received by that unit or a unit under it.
    """
    first_transfer = Event.objects.filter(
        dossier=OuterRef("pk"), kind=EventKind.TRANSFERRED
    ).order_by("at", "id")
    dossiers = (
        dossiers_visible_to(user)
        .filter(received_date__gte=period.start, received_date__lte=period.end)
        .exclude(status=DossierStatus.REFUSED)
        .select_related("procedure_version")
        .annotate(
            transferred_to_name=Subquery(first_transfer.values("to_unit__name")[:1]),
            transferred_at=Subquery(first_transfer.values("at")[:1]),
        )
        .order_by("received_at", "id")
    )
    if unit is not None:
        dossiers = dossiers.filter(receiving_unit__path__startswith=unit.path)
    return dossiers


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: write the wall-clock time of Hà Nội, naive."""
    if moment is None:
        return None
    return timezone.localtime(moment, timezone.get_default_timezone()).replace(tzinfo=None)


# (header, width, number format for dates) in the order of the printed register.
def _columns() -> list[tuple[str, int, str | None]]:
    return [
        (_("No."), 6, None),
        (_("Dossier code"), 22, None),
        (_("Procedure"), 45, None),
        (_("Applicant"), 24, None),
        (_("Address"), 30, None),
        (_("Received at"), 17, "dd/mm/yyyy hh:mm"),
        (_("Due at"), 17, "dd/mm/yyyy hh:mm"),
        (_("Transferred to"), 28, None),
        (_("Transferred at"), 17, "dd/mm/yyyy hh:mm"),
        (_("Finished at"), 17, "dd/mm/yyyy hh:mm"),
        (_("Returned at"), 17, "dd/mm/yyyy hh:mm"),
        (_("Result"), 18, None),
        (_("Note"), 30, None),
    ]


def _text(value: str | None) -> str | None:
    """Text as a spreadsheet shows it, never run: an applicant named "=HYPERLINK(…)" stays a
    name (CWE-1236)."""
    return text_neutralised(str(value)) if value else value


def _values(row: RegisterRow) -> list:
    return [
        row.number,
        _text(row.code),
        _text(row.procedure_name),
        _text(row.applicant_name),
        _text(row.applicant_address),
        _local(row.received_at),
        _local(row.due_at),
        _text(row.transferred_to),
        _local(row.transferred_at),
        _local(row.finished_at),
        _local(row.returned_at),
        _text(row.result_label),
        _text(row.note),
    ]


def register_xlsx_write(*, dossiers: Iterable[Dossier], spec: FormSpec, title: str, output) -> None:
    """Write the register to the binary file ``output``: a title, a bold header row, one row
    per dossier, dates as real Excel dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=spec.title[:31])
    columns = _columns()
    for index, (_header, width, _format) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"

    def cell(value, *, bold: bool = False, number_format: str | None = None) -> WriteOnlyCell:
        written = WriteOnlyCell(sheet, value=value)
        if bold:
            written.font = Font(bold=True)
            written.alignment = Alignment(wrap_text=True, vertical="center")
        if number_format and value is not None:
            written.number_format = number_format
        return written

    sheet.append([cell(f"{spec.number_line} – {spec.title}", bold=True)])
    sheet.append([cell(title)])
    sheet.append([cell(header, bold=True) for header, _width, _format in columns])
    for row in register_rows(dossiers):
        sheet.append(
            [
                cell(value, number_format=number_format)
                for value, (_header, _width, number_format) in zip(
                    _values(row), columns, strict=True
                )
            ]
        )
    workbook.save(output)


def register_xlsx_file(*, dossiers: QuerySet[Dossier], spec: FormSpec, title: str):
    """A temporary file holding the XLSX, rewound; rows are read ``CHUNK_SIZE`` at a time."""
    # Handed to FileResponse, which closes it (and the OS deletes it) once sent.
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    register_xlsx_write(
        dossiers=dossiers.iterator(chunk_size=CHUNK_SIZE), spec=spec, title=title, output=output
    )
    output.seek(0)
    return output
