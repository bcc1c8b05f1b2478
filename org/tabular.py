"""Reading CSV and XLSX files with a header row, for every import command (DESIGN §4).

The contract shared by ``import_units``, ``import_procedures`` and ``import_dossiers``:

- the first row of the file (of the first worksheet for XLSX) is the header; names are
  stripped and lower-cased, so ``" Code"`` and ``"code"`` are the same column; columns with a
  blank header are ignored;
- rows are numbered as the user sees them in a text editor or in Excel: the header is row 1,
  so error lines ``row N: column: message`` point at the right place (a CSV record that spans
  several lines because of a quoted newline is numbered by its first line);
- rows whose cells are all blank are skipped, wherever they are;
- every value is a stripped ``str``: XLSX dates become ``YYYY-MM-DD``, date-times
  ``YYYY-MM-DDTHH:MM:SS``, whole numbers lose their ``.0``, booleans become ``1``/``0``;
- CSV is UTF-8 with or without a BOM; the delimiter is ``,`` unless the header row holds more
  ``;`` or tabs (Excel in a Vietnamese locale saves "CSV" with semicolons);
- reading streams: a file of millions of rows is never held in memory.

Every problem with the file as a whole raises :class:`TabularError`; problems with single
rows are the caller's, collected in :class:`RowErrors`.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .text import control_characters_removed

Row = dict[str, str]
NumberedRow = tuple[int, Row]

CSV_EXTENSIONS = frozenset({".csv"})
XLSX_EXTENSIONS = frozenset({".xlsx"})
CSV_DELIMITERS = (",", ";", "\t")


class TabularError(Exception):
    """The file as a whole cannot be read: wrong type, unreadable, not UTF-8, bad header."""


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        # The "row N: column: message" shape is a contract with other tools (DESIGN §4), so
        # it is not translated; only the message is.
        return f"row {self.row}: {self.column}: {self.message}"


class RowErrors:
    """Errors found in single rows, reported together and in file order.

    Every error is counted and every row in error remembered, but only the first
    :attr:`KEPT_MAX` messages are kept: a file of 100,000 junk rows must not hold (or print)
    hundreds of thousands of lines; the officer fixes the first thousand and tries again.
    """

    KEPT_MAX = 1000

    def __init__(self) -> None:
        self._items: list[RowError] = []
        self._rows: set[int] = set()
        self._count = 0

    def add(self, row: int, column: str, message: str) -> None:
        self._count += 1
        self._rows.add(row)
        if len(self._items) < self.KEPT_MAX:
            self._items.append(RowError(row=row, column=column, message=str(message)))

    def rows(self) -> set[int]:
        """The numbers of the rows that have at least one error."""
        return set(self._rows)

    @property
    def omitted(self) -> int:
        """How many errors were counted beyond the messages kept."""
        return self._count - len(self._items)

    def lines(self) -> list[str]:
        """``row N: column: message`` lines, sorted by row (stable within a row); past
        :attr:`KEPT_MAX`, a last line says how many more there are."""
        lines = [str(item) for item in self]
        if self.omitted:
            lines.append(
                _("… and %(count)d more errors (only the first %(kept)d are listed).")
                % {"count": self.omitted, "kept": self.KEPT_MAX}
            )
        return lines

    def __iter__(self) -> Iterator[RowError]:
        return iter(sorted(self._items, key=lambda item: item.row))

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __str__(self) -> str:
        return "\n".join(self.lines())


@dataclass
class ImportResult:
    """What an all-or-nothing import did: counts when it wrote, errors when it did not."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: RowErrors = field(default_factory=RowErrors)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


class TabularFile:
    """A CSV or XLSX file opened for reading; use as a context manager.

    Entering reads and checks the header, so a missing column is reported before any row is
    looked at; iterating yields ``(row_number, {column: value})`` for the data rows.
    """

    def __init__(self, path: str | Path, *, required: Collection[str] = ()) -> None:
        self.path = Path(path)
        self.required = tuple(required)
        self.columns: list[str] = []
        self._closers: list[Callable[[], None]] = []
        self._rows: Iterator[tuple[int, list[Any]]] | None = None
        self._last_row = 0
        suffix = self.path.suffix.lower()
        if suffix in CSV_EXTENSIONS:
            self._open = self._open_csv
        elif suffix in XLSX_EXTENSIONS:
            self._open = self._open_xlsx
        else:
            raise TabularError(
                _("%(file)s: unsupported file type '%(suffix)s', use .csv or .xlsx")
                % {"file": self.path.name, "suffix": suffix or self.path.name}
            )

    def __enter__(self) -> TabularFile:
        try:
            self._rows = self._open()
            self._read_header()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        while self._closers:
            self._closers.pop()()

    def __iter__(self) -> Iterator[NumberedRow]:
        if self._rows is None:
            raise TabularError(_("%(file)s: the file is not open") % {"file": self.path.name})
        width = len(self.columns)
        for number, cells in self._guarded(self._rows):
            self._nul_check(number, cells)
            values = [_cell_text(cell) for cell in cells[:width]]
            if not any(values) and not any(_cell_text(cell) for cell in cells[width:]):
                continue
            values.extend([""] * (width - len(values)))
            yield (
                number,
                {name: value for name, value in zip(self.columns, values, strict=True) if name},
            )

    def _nul_check(self, number: int, cells: list[Any]) -> None:
        # No database column may hold a NUL (PostgreSQL refuses it outright): a NUL byte means
        # a damaged or binary file, refused as a whole before any row is used.
        if any(isinstance(cell, str) and "\x00" in cell for cell in cells):
            raise TabularError(
                _("%(file)s: row %(row)d holds a NUL character; the file is damaged or not text")
                % {"file": self.path.name, "row": number}
            )

    def _read_header(self) -> None:
        assert self._rows is not None
        first = next(self._guarded(self._rows), None)
        if first is not None:
            self._nul_check(first[0], first[1])
        if first is None or first[0] != 1 or not any(_cell_text(c) for c in first[1]):
            raise TabularError(
                _("%(file)s: row 1 must be the header row, but it is empty")
                % {"file": self.path.name}
            )
        self.columns = [_cell_text(cell).lower() for cell in first[1]]
        while self.columns and not self.columns[-1]:
            self.columns.pop()
        seen: set[str] = set()
        for name in self.columns:
            if name and name in seen:
                raise TabularError(
                    _("%(file)s: column '%(column)s' appears twice in the header")
                    % {"file": self.path.name, "column": name}
                )
            seen.add(name)
        missing = [name for name in self.required if name not in seen]
        if missing:
            raise TabularError(
                _("%(file)s: missing required column(s): %(columns)s")
                % {"file": self.path.name, "columns": ", ".join(missing)}
            )

    def _guarded(self, rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
        """Turn parsing failures in the middle of the file into TabularError."""
        while True:
            try:
                item = next(rows)
            except StopIteration:
                return
            except (csv.Error, OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
                raise TabularError(
                    _("%(file)s: cannot read the file after row %(row)d: %(error)s")
                    % {"file": self.path.name, "row": self._last_row, "error": exc}
                ) from exc
            self._last_row = item[0]
            yield item

    def _open_csv(self) -> Iterator[tuple[int, list[Any]]]:
        try:
            handle: IO[bytes] = self.path.open("rb")
        except OSError as exc:
            raise self._unreadable(exc) from exc
        self._closers.append(handle.close)
        lines = self._decoded_lines(handle)
        first_line = next(lines, "")
        delimiter = max(CSV_DELIMITERS, key=first_line.count)
        if not first_line.count(delimiter):
            delimiter = ","
        return _csv_rows(csv.reader(itertools.chain([first_line], lines), delimiter=delimiter))

    def _decoded_lines(self, handle: IO[bytes]) -> Iterator[str]:
        # Decoding line by line (a UTF-8 continuation byte is never b"\n") pins a bad byte to
        # its exact line, where a buffered text reader would only know the chunk.
        try:
            for number, raw in enumerate(handle, start=1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise TabularError(
                        _("%(file)s: row %(row)d is not UTF-8 text; save the file as CSV UTF-8")
                        % {"file": self.path.name, "row": number}
                    ) from exc
                yield line.removeprefix("\ufeff") if number == 1 else line
        except OSError as exc:
            raise self._unreadable(exc) from exc

    def _open_xlsx(self) -> Iterator[tuple[int, list[Any]]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except OSError as exc:
            raise self._unreadable(exc) from exc
        except Exception as exc:  # openpyxl raises many types for a broken or foreign file.
            raise TabularError(
                _("%(file)s: not a readable XLSX workbook (%(error)s)")
                % {"file": self.path.name, "error": exc}
            ) from exc
        self._closers.append(workbook.close)
        if not workbook.worksheets:
            raise TabularError(_("%(file)s: the workbook has no sheet") % {"file": self.path.name})
        sheet = workbook.worksheets[0]
        # Some writers store a wrong <dimension>; without it openpyxl reads the real extent.
        sheet.reset_dimensions()
        return _xlsx_rows(sheet)

    def _unreadable(self, exc: OSError) -> TabularError:
        return TabularError(
            _("%(file)s: cannot open the file (%(error)s)")
            % {"file": self.path.name, "error": exc.strerror or exc}
        )


def read_rows(path: str | Path, *, required: Collection[str] = ()) -> Iterator[NumberedRow]:
    """Yield ``(row_number, row)`` from a CSV or XLSX file; see the module docstring."""
    with TabularFile(path, required=required) as table:
        yield from table


_DATE_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00)?)?")
_DATE_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def parse_date(text: str) -> dt.date:
    """A date written ``YYYY-MM-DD`` (ISO, as XLSX date cells are read) or ``DD/MM/YYYY``.

    ``DD-MM-YYYY`` and ``DD.MM.YYYY`` are accepted too: Vietnamese documents write the day
    first, never the month. Raises ``ValueError`` for anything else or an impossible date.
    """
    text = text.strip()
    if match := _DATE_ISO.fullmatch(text):
        return dt.date.fromisoformat(match[1])
    if match := _DATE_DAY_FIRST.fullmatch(text):
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    raise ValueError(text)


# Row checks ------------------------------------------------------------------------------------
# The checks every importer makes on single rows, each with its one message text (a test of
# each importer compares the texts, and the translations are keyed by them).

SMALL_INTEGER_MAX = 32767


def required_message() -> str:
    return _("is required")


def too_long_message(length: int, limit: int) -> str:
    return _("is %(length)d characters long, at most %(limit)d allowed") % {
        "length": length,
        "limit": limit,
    }


def not_one_of_message(value: str, choices: Iterable[str], separator: str = "|") -> str:
    return _("'%(value)s' is not one of %(choices)s") % {
        "value": value,
        "choices": separator.join(choices),
    }


def already_on_row_message(key: str, row: int) -> str:
    return _("'%(code)s' is already on row %(row)d") % {"code": key, "row": row}


def not_a_date_message(value: str) -> str:
    return _("'%(value)s' is not a date; write YYYY-MM-DD or DD/MM/YYYY") % {"value": value}


def not_a_number_message(value: str) -> str:
    return _("'%(value)s' is not a number") % {"value": value}


def zero_or_one_message(value: str) -> str:
    return _("'%(value)s' must be 0 or 1") % {"value": value}


def unknown_unit_message(code: str) -> str:
    return _("unknown unit '%(code)s'") % {"code": code}


def unknown_units_message(codes: Iterable[str]) -> str:
    return _("unknown unit(s): %(codes)s") % {"codes": ", ".join(codes)}


def upload_check(upload: UploadedFile, max_bytes: int) -> UploadedFile:
    """A form's uploaded import file as it is; refused unless it is a .csv or .xlsx of at most
    ``max_bytes``."""
    suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if suffix not in ("csv", "xlsx"):
        raise ValidationError(
            _("'%(name)s' is not a CSV or XLSX file; save it as .csv or .xlsx.")
            % {"name": upload.name}
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s can be imported at once.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    return upload


def decimal_parse(text: str) -> Decimal | None:
    """A finite number written with ``.`` or ``,`` as the decimal mark; None if it is not one."""
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def small_integer_parse(text: str, maximum: int = SMALL_INTEGER_MAX) -> int | None:
    """A whole number from 0 to ``maximum`` written in digits; None if it is not one."""
    return int(text) if text.isdecimal() and int(text) <= maximum else None


def list_split(text: str, separator: str = ";") -> tuple[str, ...]:
    """The non-blank stripped items of a list cell, each once, in file order."""
    return tuple(dict.fromkeys(part.strip() for part in text.split(separator) if part.strip()))


class RowCheck:
    """The checks of one row of ``{column: stripped text}``: each records its error in
    ``errors`` under the row's ``number`` and returns the cleaned value."""

    def __init__(self, errors: RowErrors, number: int, row: Mapping[str, str]) -> None:
        self.errors = errors
        self.number = number
        self.row = row
        self._before = len(errors)

    @property
    def failed(self) -> bool:
        """Whether a check of this row (or any error added meanwhile) recorded an error."""
        return len(self.errors) > self._before

    def error(self, column: str, message: str) -> None:
        self.errors.add(self.number, column, message)

    def required(self, *columns: str) -> bool:
        """``is required`` for each of ``columns`` that is blank or absent; True if none is."""
        blank = [column for column in columns if not self.row.get(column)]
        for column in blank:
            self.error(column, required_message())
        return not blank

    def max_length(self, column: str, limit: int, text: str | None = None) -> bool:
        """Whether the column's text (or ``text``) has at most ``limit`` characters."""
        text = self.row.get(column, "") if text is None else text
        if len(text) > limit:
            self.error(column, too_long_message(len(text), limit))
            return False
        return True

    def choice(self, column: str, choices: Collection[str], separator: str = "|") -> str | None:
        """The cell lower-cased if it is one of ``choices``, "" if blank, None if neither."""
        text = self.row.get(column, "")
        if not text or text.lower() in choices:
            return text.lower()
        self.error(column, not_one_of_message(text, choices, separator))
        return None

    def dates(self, *columns: str) -> dict[str, dt.date | None]:
        """The dates of those of ``columns`` the row carries (None for a blank cell); a
        column that is not a date is reported and left out."""
        found: dict[str, dt.date | None] = {}
        for column in columns:
            if column not in self.row:
                continue
            text = self.row[column]
            try:
                found[column] = parse_date(text) if text else None
            except ValueError:
                self.error(column, not_a_date_message(text))
        return found

    def flag(self, column: str) -> bool | None:
        """``1`` → True, ``0`` or blank → False, anything else reported → None."""
        text = self.row.get(column, "")
        if text in ("", "0", "1"):
            return text == "1"
        self.error(column, zero_or_one_message(text))
        return None


class FirstRows:
    """Duplicates within a file: remembers the row where each key first appeared."""

    def __init__(self) -> None:
        self._first: dict[str, int] = {}

    def check(self, errors: RowErrors, number: int, column: str, key: str) -> bool:
        """True the first time ``key`` is seen (a blank key always); otherwise reports
        ``'key' is already on row N`` on ``number`` and returns False."""
        if not key:
            return True
        first = self._first.setdefault(key, number)
        if first != number:
            errors.add(number, column, already_on_row_message(key, first))
            return False
        return True

    def __contains__(self, key: str) -> bool:
        return key in self._first


def _csv_rows(reader: Any) -> Iterator[tuple[int, list[Any]]]:
    last_line = 0
    for record in reader:
        first_line, last_line = last_line + 1, reader.line_num
        yield first_line, record


def _xlsx_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl.styles.numbers import is_datetime

    for number, cells in enumerate(sheet.iter_rows(min_row=1), start=1):
        values = []
        for cell in cells:
            value = getattr(cell, "value", None)
            if isinstance(value, dt.datetime):
                kind = is_datetime(getattr(cell, "number_format", None) or "General")
                if kind == "date" or (kind is None and value.time() == dt.time(0)):
                    value = value.date()
            values.append(value)
        yield number, values


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # A stray control character (copied from another system) would break the exports of
        # whatever it lands in; a NUL has already refused the whole file (_nul_check).
        return control_characters_removed(value).strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
