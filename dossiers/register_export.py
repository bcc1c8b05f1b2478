"""The register (sổ theo dõi hồ sơ): its query, the book a receipt points to, and its XLSX export.

One query for any number of rows: the procedure name and the handling unit come with
``select_related`` and the first hand-over ("transferred to") with two correlated subqueries
served by the ``event_dossier_at`` index. The page shows one slice of it
(``printing.REGISTER_PAGE_SIZE`` rows); the XLSX is written with openpyxl's write-only mode (rows
go to a temporary file as they are read in chunks), so memory stays flat at any size.

The book (quyển) of the register is one calendar year of one receiving unit: the receipt's
"Quyển số" is the year it was received and its "Số thứ tự" the dossier's place among that
unit's dossiers of the year in the register's order (received time, then id; refusals at intake
are not in the register). A register printed from 1 January for that desk numbers its lines
the same way. A dossier entered later with an earlier received time (a backdated intake) moves
the places after it by one.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from org.models import Unit
from procedures.exports import text_neutralised

from .models import Dossier, DossierStatus, Event, EventKind, local_date, local_midnight
from .printing import REGISTER_COLUMNS, FormSpec, RegisterRange, register_rows
from .selectors import dossiers_visible_to

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
        .select_related("procedure_version", "handling_unit")
        .only(
            "code",
            "sets_count",
            "applicant_name",
            "applicant_address",
            "applicant_phone",
            "received_at",
            "due_at",
            "rescheduled_due_at",
            "finished_at",
            "returned_at",
            "status",
            "procedure_version__name",
            "handling_unit__name",
        )
        .annotate(
            transferred_to_name=Subquery(first_transfer.values("to_unit__name")[:1]),
            transferred_at=Subquery(first_transfer.values("at")[:1]),
        )
        .order_by("received_at", "id")
    )
    if unit is not None:
        dossiers = dossiers.filter(receiving_unit__path__startswith=unit.path)
    return dossiers


def register_book_position(dossier: Dossier) -> tuple[int, int]:
    """(book, place in it) of a received dossier: its year, and how many dossiers its receiving
    unit received that year up to and including it. One count over the
    (receiving_unit, received_at) index."""
    year = local_date(dossier.received_at).year
    before = Dossier.objects.filter(
        receiving_unit_id=dossier.receiving_unit_id,
        received_at__gte=local_midnight(dt.date(year, 1, 1)),
        received_date__gte=dt.date(year, 1, 1),
        received_date__lte=dt.date(year, 12, 31),
    ).filter(
        Q(received_at__lt=dossier.received_at)
        | Q(received_at=dossier.received_at, pk__lte=dossier.pk)
    )
    return year, before.exclude(status=DossierStatus.REFUSED).count()


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: write the wall-clock time of Hà Nội, naive."""
    if moment is None:
        return None
    return timezone.localtime(moment, timezone.get_default_timezone()).replace(tzinfo=None)


_MOMENT_FORMAT = "dd/mm/yyyy hh:mm"


def _text(value: str | None) -> str | None:
    """Text as a spreadsheet shows it, never run: an applicant named "=HYPERLINK(…)" stays a
    name (CWE-1236)."""
    return text_neutralised(str(value)) if value else value


def _xlsx_value(value, *, is_moment: bool):
    if is_moment:
        return _local(value)
    if isinstance(value, str):
        return _text(value)
    return value


def _header(column) -> str:
    return f"{column.header} ({column.group.lower()})" if column.group else column.header


def register_xlsx_write(*, dossiers: Iterable[Dossier], spec: FormSpec, title: str, output) -> None:
    """Write the register to the binary file ``output``: a title, a bold header row, one row
    per dossier, dates as real Excel dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=spec.title[:31])
    for index, column in enumerate(REGISTER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.xlsx_width
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
    sheet.append([cell(_header(column), bold=True) for column in REGISTER_COLUMNS])
    for row in register_rows(dossiers):
        sheet.append(
            [
                cell(
                    _xlsx_value(value, is_moment=column.is_moment),
                    number_format=_MOMENT_FORMAT if column.is_moment else None,
                )
                for value, column in zip(row.values(), REGISTER_COLUMNS, strict=True)
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
