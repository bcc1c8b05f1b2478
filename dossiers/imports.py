"""The all-or-nothing dossier import (DESIGN §4): ``manage.py import_dossiers FILE``.

Every row is checked before anything is written; one bad row and nothing is written, and every
error is reported as ``row N: column: message`` (N = the file's row, the header is row 1).

Choices written down here because the design is silent:

- **Matching.** A row with a ``code`` is matched by that code. A row without one is matched by
  its natural key (receiving unit, procedure code, ``applicant_name``, ``received_at``): a
  one-stop desk never receives two dossiers of the same procedure from the same person at the
  same instant, and this is what makes re-importing a file without codes change nothing. Two
  code-less rows of a file with the same natural key are an error. A matched dossier whose
  content equals the row is left alone ("unchanged"); one whose content differs (it was
  edited, or has moved on since) is an error: the import never overwrites history.
- **Codes.** Given codes must have the form ``<unit code>-<YYMMDD>-<NNNN>`` (4 to 7 digits, as
  older one-stop systems wrote them); their unit and date parts are not required to match the
  row. Code-less rows get the next numbers of the per-unit, per-day counter of their receiving
  unit and local received day, in order of receipt. Every counter a given code points at (a
  known unit code, that day) is raised to at least the code's number first, so that neither the
  generated codes nor later intake at the desk ever collide with an imported code.
- **Due dates.** ``original_due_at`` is always the due date computed from the procedure version
  in force on the received date (the version is required). ``due_at`` is the file's value when
  given, else that computed date moved by the completed supplement pause
  (:func:`dossiers.deadlines.supplement_due_at_shift`). When the computation is impossible
  (e.g. a fractional calendar-day time) a given ``due_at`` is used for both.
- **Status.** Open: ``received``; ``supplement_requested`` while a pause is open; else
  ``processing`` when the pause was completed or a ``handling_unit_code`` other than the
  receiving unit is given. ``resolved``: ``finished``, or ``returned`` with a ``returned_at``.
  ``withdrawn`` and ``refused`` as they say; a withdrawn dossier needs ``finished_at`` (when it
  was withdrawn) and ends an open pause then, as ``dossier_withdraw`` does. A refused dossier
  has no due date: like ``dossier_refuse``, ``due_at`` = ``received_at``.
  A resolved row may carry only ``returned_at`` (iGate exports often do): finished = returned
  (DESIGN §3, "result ready or returned, whichever comes first"), so ``finished_at`` is stored
  as the return time, with a ``finished`` event then, and the finished date, the status and
  the early / on time / late judgement follow from it as for any returned dossier
  (:func:`dossiers.models.finished_date_of`).
- **Units have a life.** The receiving unit must be in force on the received day and a
  handling unit other than it on the hand-over day (``transferred_at``, else the received
  time); the message is :meth:`org.models.Unit.validity_error`, naming the successors.
- **Frozen periods.** A new row with a step (received, transferred, supplement requested or
  completed, finished, returned) dated in a frozen period is refused, naming the period
  (:mod:`dossiers.guards`; a given ``due_at`` is no step). A row matching a dossier it equals
  changes nothing and is never refused for it: re-importing a file keeps succeeding after its
  quarter was frozen. The frozen periods are read once per import in the usual case
  (:class:`_WritableDays`), never once per row.
- **History.** Each new dossier gets the events of the steps the row states (received or
  refused; transferred to the handling unit at ``transferred_at``, or at receipt; supplement
  requested and completed, with a :class:`SupplementRequest` row; finished or withdrawn;
  returned), then one ``imported`` event at the import's time naming the file, all by ``by``
  (the command's ``--by``; nobody without it). One ``import`` audit entry for the whole file
  (its name and counts, by ``by``) is written in the same transaction.
- **Speed and memory.** The file is read once, in chunks of 2,000 rows: each chunk is checked
  (reference data read once, due dates from the pure working calendar remembering each day's
  answers) and matched against the database (one query per chunk; a code-less row is one index
  probe on (unit, received time)), and the dossiers, events and supplement requests of its new
  rows are spooled, ready to write (the first 10,000 rows in memory, the rest pickled to a
  temporary file). Only what spans chunks stays in memory, about 0.3 KB per row against 1.5 KB
  when every parsed row was kept (measured, 100,000 rows): the codes and hashed natural keys
  seen, to report repeats, and each code-less row's received time and row, to number it after
  every given code of its unit and day. When every row passed, the spool is written back in
  the same chunks inside the transaction: binary ``COPY`` on PostgreSQL (ids reserved from the
  sequence first), multi-row ``INSERT … RETURNING`` on SQLite; neither the per-dossier services
  nor the ORM's per-field preparation are used. The counters are read once and written with
  one ``UPDATE … FROM unnest`` per chunk. One ``dossier_changed`` signal is sent inside the
  transaction (its stale-rollup marks commit with the rows) for the whole import
  (``dossier_id=None``, ``event_kind="imported"``), with every receiving and handling unit
  and every local date touched; nothing is sent when nothing was created.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import tempfile
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import import_audit_record
from org.calendar_source import working_calendar
from org.models import Unit
from org.tabular import ImportResult, NumberedRow, RowErrors, TabularFile
from org.workdays import WorkingCalendar
from procedures.models import Channel, ProcedureVersion, VersionStatus

from .codes import dossier_code_format, dossier_code_parse
from .deadlines import due_at_compute, supplement_due_at_shift
from .guards import dates_refusals, dates_writable_check
from .models import (
    Dossier,
    DossierCodeCounter,
    DossierStatus,
    Event,
    EventKind,
    SupplementRequest,
    finished_date_of,
    regime_for,
)
from .signals import dossier_changed

DOSSIER_REQUIRED_COLUMNS = (
    "procedure_code",
    "unit_code",
    "channel",
    "applicant_name",
    "received_at",
)
DOSSIER_OPTIONAL_COLUMNS = (
    "code",
    "due_at",
    "finished_at",
    "returned_at",
    "outcome",
    "supplement_requested_at",
    "supplement_completed_at",
    "digitised",
    "applicant_phone",
    "applicant_id_number",
    "applicant_email",
    "applicant_address",
    "handling_unit_code",
    "transferred_at",
    "note",
)
DOSSIER_COLUMNS = DOSSIER_REQUIRED_COLUMNS + DOSSIER_OPTIONAL_COLUMNS

OUTCOME_OPEN = ""
OUTCOME_RESOLVED = "resolved"
OUTCOME_WITHDRAWN = "withdrawn"
OUTCOME_REFUSED = "refused"
OUTCOMES = (OUTCOME_RESOLVED, OUTCOME_WITHDRAWN, OUTCOME_REFUSED)
_CHANNELS = tuple(Channel.values)

CHUNK_SIZE = 2000

_TIME_COLUMNS = (
    "received_at",
    "due_at",
    "transferred_at",
    "supplement_requested_at",
    "supplement_completed_at",
    "finished_at",
    "returned_at",
)
# The steps a row records: none may be dated in a frozen period (refused on the first that is).
_STEP_COLUMNS = (
    "received_at",
    "transferred_at",
    "supplement_requested_at",
    "supplement_completed_at",
    "finished_at",
    "returned_at",
)
# Steps that must come in this order when present (received ≤ requested ≤ completed ≤ …).
_TIME_ORDER = (
    "received_at",
    "supplement_requested_at",
    "supplement_completed_at",
    "finished_at",
    "returned_at",
)
_APPLICANT_LIMITS = {
    "applicant_name": 255,
    "applicant_phone": 20,
    "applicant_id_number": 20,
    "applicant_address": 500,
}
_APPLICANT_OPTIONAL = (
    "applicant_phone",
    "applicant_id_number",
    "applicant_email",
    "applicant_address",
)
_CODE_MAX_LENGTH = Dossier._meta.get_field("code").max_length


@dataclass(slots=True)
class _DossierRow:
    row: int
    code: str
    procedure_code: str
    unit_code: str
    channel: str
    outcome: str
    digitised: bool
    handling_unit_code: str
    note: str
    # Column -> aware datetime, only for the time columns that are filled.
    times: dict[str, dt.datetime]
    # applicant_* -> text, for the applicant columns the file has.
    applicant: dict[str, str]
    ok: bool = True
    # (unit code, day, number) of a well-formed given code.
    code_parts: tuple | None = None
    # Filled by the checks against the database.
    version: ProcedureVersion | None = None
    unit_id: int | None = None
    handling_unit_id: int | None = None
    due_at: dt.datetime | None = None
    original_due_at: dt.datetime | None = None
    status: str = ""
    existing: bool = False
    # A resolved row with returned_at only: its finished_at in ``times`` is the return time.
    return_only: bool = False

    @property
    def received_at(self) -> dt.datetime:
        return self.times["received_at"]

    @property
    def natural_key(self) -> tuple:
        return (
            self.unit_code,
            self.procedure_code,
            self.applicant["applicant_name"],
            self.received_at,
        )


@dataclass(frozen=True)
class _MemoCalendar(WorkingCalendar):
    """The same calendar, remembering each day's answers for the length of one import."""

    _working: dict = field(default_factory=dict, compare=False, repr=False)
    _blocks: dict = field(default_factory=dict, compare=False, repr=False)
    _next: dict = field(default_factory=dict, compare=False, repr=False)
    _length: list = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def of(cls, calendar: WorkingCalendar) -> _MemoCalendar:
        return cls(**{item.name: getattr(calendar, item.name) for item in fields(WorkingCalendar)})

    def is_working_day(self, day: dt.date) -> bool:
        try:
            return self._working[day]
        except KeyError:
            answer = self._working[day] = super().is_working_day(day)
            return answer

    def _blocks_on(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        try:
            return self._blocks[day]
        except KeyError:
            blocks = self._blocks[day] = super()._blocks_on(day)
            return blocks

    def next_working_day(self, day: dt.date) -> dt.date:
        try:
            return self._next[day]
        except KeyError:
            following = self._next[day] = super().next_working_day(day)
            return following

    @property
    def working_day_length(self) -> dt.timedelta:
        if not self._length:
            self._length.append(super().working_day_length)
        return self._length[0]


@dataclass
class _Touched:
    unit_ids: set[int] = field(default_factory=set)
    dates: set[dt.date] = field(default_factory=set)


def dossiers_import_path(*, path: str | Path, by: AbstractBaseUser | None = None) -> ImportResult:
    """Import a CSV or XLSX file; a file that cannot be read raises ``TabularError``."""
    with TabularFile(path, required=DOSSIER_REQUIRED_COLUMNS) as table:
        return dossiers_import(rows=table, source=Path(path).name, by=by)


def dossiers_import(
    *,
    rows: Iterable[NumberedRow],
    source: str = "",
    by: AbstractBaseUser | None = None,
    calendar: WorkingCalendar | None = None,
) -> ImportResult:
    """Create dossiers from ``(row_number, {column: text})`` rows; see the module docstring.

    ``source`` (the file name) is noted on each new dossier's ``imported`` event.
    """
    errors = RowErrors()
    note = _("Imported from %(source)s") % {"source": source} if source else _("Imported")
    with transaction.atomic(), _Spool() as spool:
        check = _Check(
            calendar=_MemoCalendar.of(calendar or working_calendar()),
            now=timezone.now(),
            errors=errors,
            spool=spool,
            import_note=note,
            by_id=by.pk if by is not None else None,
        )
        chunk: list[NumberedRow] = []
        for numbered_row in rows:
            chunk.append(numbered_row)
            if len(chunk) == CHUNK_SIZE:
                check.chunk(chunk)
                chunk = []
        check.chunk(chunk)
        if errors:
            return ImportResult(errors=errors)
        _rows_write(check=check)
        import_audit_record(
            actor=by,
            model=Dossier,
            source=source,
            counts={"created": check.created, "unchanged": check.unchanged},
        )
        if check.created:
            # Inside the transaction: the stale-rollup marks commit with the import.
            dossier_changed.send(
                sender=Dossier,
                dossier_id=None,
                unit_ids=frozenset(check.touched.unit_ids),
                dates=frozenset(check.touched.dates),
                # Not a step of one dossier: applicants are never notified of an import.
                event_kind=str(EventKind.IMPORTED),
            )
    return ImportResult(created=check.created, unchanged=check.unchanged)


class _Check:
    """The checking pass: every row checked and matched a chunk at a time; the new rows spooled.

    What outlives a chunk is kept small: the codes and natural keys seen (to report a repeat
    with its first row), and per receiving unit and local day the highest given code number and
    the (received time, row) of each code-less new row, packed in one integer.
    """

    def __init__(
        self,
        *,
        calendar: WorkingCalendar,
        now: dt.datetime,
        errors: RowErrors,
        spool: _Spool,
        import_note: str,
        by_id: int | None,
    ) -> None:
        self.calendar = calendar
        self.now = now
        self.errors = errors
        self.spool = spool
        self.import_note = import_note
        self.by_id = by_id
        self.units = _Units()
        self.unit_code_of = {unit.pk: code for code, unit in self.units.by_code.items()}
        self.versions: dict[str, list[ProcedureVersion]] = {}
        self.first_row_of_code: dict[str, int] = {}
        self.first_row_of_key: dict[bytes, int] = {}
        # (unit id, local day) -> the highest number of a given code / the code-less new rows
        # as received-time-in-microseconds << _ROW_BITS | row, numbered in that order.
        self.highest: dict[tuple[int, dt.date], int] = {}
        self.waiting: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
        self.touched = _Touched()
        self.writable = _WritableDays(now=now)
        self.created = 0
        self.unchanged = 0

    def chunk(self, rows: list[NumberedRow]) -> None:
        if not rows:
            return
        parsed = [self._row_parse(number, raw) for number, raw in rows]
        wanted = {item.procedure_code for item in parsed if item.procedure_code} - set(
            self.versions
        )
        if wanted:
            found = _versions_by_code(wanted)
            self.versions.update({code: found.get(code, []) for code in wanted})
        _rows_resolve(
            parsed=parsed,
            units=self.units,
            versions=self.versions,
            calendar=self.calendar,
            errors=self.errors,
        )
        _rows_match(parsed=parsed, errors=self.errors)
        new = [item for item in parsed if item.ok and not item.existing]
        if new and self._frozen_refuse(new):
            new = [item for item in new if item.ok]
        self.unchanged += sum(1 for item in parsed if item.ok and item.existing)
        self.created += len(new)
        if self.errors:
            return  # Nothing will be written: only the checking goes on.
        self.spool.append([self._planned(item) for item in new])

    def _row_parse(self, number: int, raw: dict) -> _DossierRow:
        errors = self.errors
        row = {column: (value or "").strip() for column, value in raw.items()}
        before = len(errors)
        item = _row_clean(number=number, row=row, now=self.now, errors=errors)
        if item.code:
            first = self.first_row_of_code.setdefault(item.code, number)
            if first != number:
                errors.add(
                    number,
                    "code",
                    _("'%(code)s' is already on row %(row)d") % {"code": item.code, "row": first},
                )
        elif len(errors) == before:
            first = self.first_row_of_key.setdefault(_key_digest(item), number)
            if first != number:
                errors.add(
                    number,
                    "code",
                    _(
                        "without a code, the same unit, procedure, applicant and received time "
                        "as row %(row)d"
                    )
                    % {"row": first},
                )
        item.ok = len(errors) == before
        return item

    def _frozen_refuse(self, new: list[_DossierRow]) -> bool:
        """Refuse the new rows with a step dated in a frozen period (DESIGN §3), naming it on
        the first such step; whether any was refused. A row equal to its dossier was matched:
        it changes nothing and is never refused for its dates."""
        writable = self.writable
        # Every step comes at or after the receipt and by now (checked): a row received since
        # the start of the writable range is writable, at the cost of one comparison.
        since = writable.since
        pending = [item for item in new if item.received_at < since]
        if not pending or writable.range_extend(min(item.received_at for item in pending)):
            return False
        # A frozen date lies between these rows and today: their dates one by one.
        days_of = [
            (item, {column: _local_day(item.times[column]) for column in _step_columns(item)})
            for item in pending
        ]
        refused = writable.refusals({day for _item, days in days_of for day in days.values()})
        for item, days in days_of:
            column = next((column for column, day in days.items() if day in refused), None)
            if column is not None:
                self.errors.add(item.row, column, refused[days[column]])
                item.ok = False
        return bool(refused)

    def _planned(self, item: _DossierRow) -> tuple:
        """What the writing pass needs of a new row: its dossier (the code blank when it is to
        be numbered), the ordering key of a code-less row, its events and supplement request."""
        received_at = item.received_at
        if item.code:
            unit_code, day, n = item.code_parts
            unit = self.units.by_code.get(unit_code)
            if unit is not None:
                key = (unit.id, day)
                if n > self.highest.get(key, 0):
                    self.highest[key] = n
            order = None
        else:
            key = (item.unit_id, _local_day(received_at))
            order = (received_at - _EPOCH) // _MICROSECOND << _ROW_BITS | item.row
            self.waiting[key].append(order)
        touched = self.touched
        touched.unit_ids.add(item.unit_id)
        touched.unit_ids.add(item.handling_unit_id)
        for moment in (*item.times.values(), item.due_at, item.original_due_at):
            touched.dates.add(_local_day(moment))
        events, supplement = _history_build(
            item=item, import_note=self.import_note, by_id=self.by_id, now=self.now
        )
        return (_dossier_values(item, self.now), key, order, events, supplement)


def _step_columns(item: _DossierRow) -> list[str]:
    """The step columns the row's file gives, in order (a return-only row's finished time is
    its returned_at, named as such)."""
    return [
        column
        for column in _STEP_COLUMNS
        if column in item.times and not (column == "finished_at" and item.return_only)
    ]


class _WritableDays:
    """Which local dates new rows may carry (:mod:`dossiers.guards`, the frozen periods).

    The frozen periods are read once per import in the usual case: the range from the first
    rows' earliest received day to today is checked as a whole, and a later row received
    since its start needs neither a reading nor a date computed (no step lies in the future or
    before the receipt: such rows are refused). Only when the range holds a frozen date are the
    dates of the rows before it checked as they come (:func:`dates_refusals`), each date's
    answer remembered.
    """

    def __init__(self, *, now: dt.datetime) -> None:
        self.today = _local_day(now)
        # Every date from the local midnight ``since`` to today may be written.
        self.since = self._midnight(self.today + dt.timedelta(days=1))
        self.ranges = True
        self.known: set[dt.date] = set()
        self.refused: dict[dt.date, str] = {}

    @staticmethod
    def _midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())

    def range_extend(self, earliest: dt.datetime) -> bool:
        """Whether every date from ``earliest``'s to today may be written (the range grows)."""
        if not self.ranges:
            return False
        first = _local_day(earliest)
        end = self.since.date()
        try:
            dates_writable_check(first + dt.timedelta(days=n) for n in range((end - first).days))
        except ValidationError:
            self.ranges = False  # A frozen date before today: date by date from now on.
            return False
        self.since = self._midnight(first)
        return True

    def refusals(self, days: set[dt.date]) -> dict[dt.date, str]:
        """The refused dates (with the message naming their period) among all asked so far."""
        unknown = days - self.known - self.refused.keys()
        if unknown:
            found = dates_refusals(unknown)
            self.known.update(unknown - found.keys())
            self.refused.update({day: " ".join(error.messages) for day, error in found.items()})
        return self.refused


# Rows may number up to 2**27 (134 million) in one file.
_ROW_BITS = 27
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
_PICKLE_PROTOCOL = pickle.HIGHEST_PROTOCOL


def _key_digest(item: _DossierRow) -> bytes:
    """The natural key in 16 bytes (a repeat is a byte-equal digest; collisions are beyond
    reach at 2**-64 for a billion rows): the received time as the instant, whatever its offset."""
    text = "\x1f".join(
        (
            item.unit_code,
            item.procedure_code,
            item.applicant["applicant_name"],
            str((item.received_at - _EPOCH) // _MICROSECOND),
        )
    )
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _local_day(moment: dt.datetime) -> dt.date:
    # models.local_date without its checks: every moment here is aware.
    return moment.astimezone(timezone.get_default_timezone()).date()


class _Spool:
    """The new rows' chunks between the two passes: the first ``_SPOOL_IN_MEMORY_ROWS`` rows in
    memory (a file of that size pays no pickling), the rest pickled to a temporary file."""

    def __init__(self) -> None:
        self._chunks: list[list[tuple]] = []
        self._rows = 0
        self._file: IO[bytes] | None = None

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._file is not None:
            self._file.close()

    def append(self, chunk: list[tuple]) -> None:
        if self._file is None and self._rows + len(chunk) <= _SPOOL_IN_MEMORY_ROWS:
            self._chunks.append(chunk)
            self._rows += len(chunk)
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by __exit__)
        pickle.dump(chunk, self._file, _PICKLE_PROTOCOL)

    def __iter__(self) -> Iterator[list[tuple]]:
        yield from self._chunks
        if self._file is None:
            return
        self._file.seek(0)
        while True:
            try:
                yield pickle.load(self._file)
            except EOFError:
                return


# About 0.7 KB a row (the dossier, its events, their datetimes).
_SPOOL_IN_MEMORY_ROWS = 5 * CHUNK_SIZE


# Checking one row at a time -------------------------------------------------------------------


def _row_clean(*, number: int, row: dict[str, str], now: dt.datetime, errors: RowErrors):
    def error(column: str, message: str) -> None:
        errors.add(number, column, message)

    for column in DOSSIER_REQUIRED_COLUMNS:
        if not row.get(column):
            error(column, _("is required"))

    code = row.get("code", "")
    code_parts = None
    if code:
        if len(code) > _CODE_MAX_LENGTH:
            error(
                "code",
                _("is %(length)d characters long, at most %(limit)d allowed")
                % {"length": len(code), "limit": _CODE_MAX_LENGTH},
            )
        else:
            try:
                code_parts = dossier_code_parse(code)
            except ValueError:
                error(
                    "code",
                    _("'%(value)s' is not a dossier code <unit code>-<YYMMDD>-<NNNN>")
                    % {"value": code},
                )

    channel = row.get("channel", "").lower()
    if channel and channel not in _CHANNELS:
        error(
            "channel",
            _("'%(value)s' is not one of %(choices)s")
            % {"value": row["channel"], "choices": "|".join(_CHANNELS)},
        )

    outcome = row.get("outcome", "").lower()
    if outcome and outcome not in OUTCOMES:
        error(
            "outcome",
            _("'%(value)s' is not one of %(choices)s (blank = still open)")
            % {"value": row["outcome"], "choices": "|".join(OUTCOMES)},
        )
        outcome = None

    digitised = row.get("digitised", "")
    if digitised not in ("", "0", "1"):
        error("digitised", _("'%(value)s' must be 0 or 1") % {"value": digitised})

    applicant = {}
    for column, limit in _APPLICANT_LIMITS.items():
        if column in row:
            applicant[column] = row[column]
            if len(row[column]) > limit:
                error(
                    column,
                    _("is %(length)d characters long, at most %(limit)d allowed")
                    % {"length": len(row[column]), "limit": limit},
                )
    if "applicant_email" in row:
        applicant["applicant_email"] = row["applicant_email"]
        if row["applicant_email"]:
            try:
                validate_email(row["applicant_email"])
            except ValidationError:
                error(
                    "applicant_email",
                    _("'%(value)s' is not an e-mail address") % {"value": row["applicant_email"]},
                )

    times: dict[str, dt.datetime] = {}
    for column in _TIME_COLUMNS:
        text = row.get(column, "")
        if not text:
            continue
        moment = _moment_parse(text)
        if moment is None:
            error(
                column,
                _("'%(value)s' is not an ISO 8601 date-time such as 2021-02-09T16:30")
                % {"value": text},
            )
        elif column != "due_at" and moment > now:
            error(column, _("is in the future"))
        else:
            times[column] = moment

    _times_check(times=times, outcome=outcome, row=row, error=error)
    return_only = (
        outcome == OUTCOME_RESOLVED and "returned_at" in times and not row.get("finished_at")
    )
    if return_only:
        # iGate exports often carry only the return time: finished = returned, "result ready
        # or returned, whichever comes first" (DESIGN §3).
        times["finished_at"] = times["returned_at"]

    return _DossierRow(
        row=number,
        code=code,
        procedure_code=row.get("procedure_code", ""),
        unit_code=row.get("unit_code", ""),
        channel=channel,
        outcome=outcome or "",
        digitised=digitised == "1",
        handling_unit_code=row.get("handling_unit_code", ""),
        note=row.get("note", ""),
        times=times,
        applicant=applicant,
        code_parts=code_parts,
        return_only=return_only,
    )


def _moment_parse(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        # timezone.make_aware, without its checks.
        moment = moment.replace(tzinfo=timezone.get_default_timezone())
    return moment


def _times_check(*, times: dict, outcome: str | None, row: dict[str, str], error) -> None:
    received_at = times.get("received_at")
    previous = None
    for column in _TIME_ORDER:
        if column not in times:
            continue
        if previous is not None and times[column] < times[previous]:
            error(column, _("is before %(column)s") % {"column": previous})
        previous = column
    transferred_at = times.get("transferred_at")
    if transferred_at is not None:
        if not row.get("handling_unit_code"):
            error("transferred_at", _("needs a handling_unit_code"))
        # The end comes after the hand-over: result ready, else (return-only row) returned.
        end = next((column for column in ("finished_at", "returned_at") if column in times), None)
        if received_at is not None and transferred_at < received_at:
            error("transferred_at", _("is before %(column)s") % {"column": "received_at"})
        elif end is not None and times[end] < transferred_at:
            error(end, _("is before %(column)s") % {"column": "transferred_at"})
    due_at = times.get("due_at")
    if due_at is not None and received_at is not None and due_at < received_at:
        error("due_at", _("is before %(column)s") % {"column": "received_at"})

    requested = row.get("supplement_requested_at", "")
    completed = row.get("supplement_completed_at", "")
    if completed and not requested:
        error("supplement_completed_at", _("needs a supplement_requested_at"))
    if outcome is None:
        return  # Unknown outcome, already reported.
    if outcome == OUTCOME_OPEN:
        for column in ("finished_at", "returned_at"):
            if row.get(column):
                error(column, _("must be blank while the dossier is open (outcome blank)"))
        return
    if outcome != OUTCOME_RESOLVED and row.get("returned_at"):
        error("returned_at", _("only a resolved dossier is returned"))
    if outcome == OUTCOME_REFUSED:
        for column in (
            "finished_at",
            "supplement_requested_at",
            "supplement_completed_at",
            "handling_unit_code",
            "transferred_at",
        ):
            if row.get(column):
                error(column, _("must be blank for a dossier refused at intake"))
        if due_at is not None and received_at is not None and due_at != received_at:
            error("due_at", _("must be blank for a dossier refused at intake"))
        return
    if outcome == OUTCOME_RESOLVED:
        if not row.get("finished_at") and not row.get("returned_at"):
            error(
                "finished_at",
                _(
                    "is required when the outcome is resolved, unless returned_at is given "
                    "(then finished = returned)"
                ),
            )
    elif not row.get("finished_at"):
        error(
            "finished_at",
            _("is required when the outcome is %(outcome)s") % {"outcome": outcome},
        )
    if outcome == OUTCOME_RESOLVED and requested and not completed:
        error(
            "supplement_completed_at",
            _("is required: a resolved dossier no longer waits for a supplement"),
        )


# Checking against the database -----------------------------------------------------------------


def _versions_by_code(codes: set[str]) -> dict[str, list[ProcedureVersion]]:
    found: dict[str, list[ProcedureVersion]] = defaultdict(list)
    versions = (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("procedure")
        .prefetch_related("channel_times")
        .order_by("-number")
    )
    codes_list = sorted(codes)
    for start in range(0, len(codes_list), CHUNK_SIZE):
        chunk = codes_list[start : start + CHUNK_SIZE]
        for version in versions.filter(procedure__code__in=chunk):
            found[version.procedure.code].append(version)
    return found


class _Units:
    """Every unit by code (read once per import), and why nothing can happen at one on a day:
    :meth:`Unit.validity_error`, remembered per unit and day (its message reads the
    successors). Rows read ``unit.id``, a plain attribute, rather than the ``pk`` property."""

    def __init__(self) -> None:
        self.by_code: dict[str, Unit] = {
            unit.code: unit for unit in Unit.objects.only("code", "name", "valid_from", "valid_to")
        }
        self._problems: dict[tuple[int, dt.date], str] = {}

    def problem(self, unit: Unit, day: dt.date) -> str:
        key = (unit.id, day)
        try:
            return self._problems[key]
        except KeyError:
            problem = self._problems[key] = unit.validity_error(day)
            return problem


def _rows_resolve(
    *,
    parsed: list[_DossierRow],
    units: _Units,
    versions: dict[str, list[ProcedureVersion]],
    calendar: WorkingCalendar,
    errors: RowErrors,
) -> None:
    for item in parsed:
        before = len(errors)
        received_at = item.times.get("received_at")
        day = _local_day(received_at) if received_at else None

        if item.unit_code:
            unit = units.by_code.get(item.unit_code)
            if unit is None:
                errors.add(
                    item.row, "unit_code", _("unknown unit '%(code)s'") % {"code": item.unit_code}
                )
            else:
                item.unit_id = unit.id
                problem = units.problem(unit, day) if day else ""
                if problem:
                    errors.add(
                        item.row,
                        "unit_code",
                        _(
                            "%(problem)s It cannot receive a dossier on %(day)s: give the unit in "
                            "force that day."
                        )
                        % {"problem": problem, "day": f"{day:%d/%m/%Y}"},
                    )
        item.handling_unit_id = item.unit_id
        if item.handling_unit_code:
            unit = units.by_code.get(item.handling_unit_code)
            if unit is None:
                errors.add(
                    item.row,
                    "handling_unit_code",
                    _("unknown unit '%(code)s'") % {"code": item.handling_unit_code},
                )
            else:
                item.handling_unit_id = unit.id
                # Handed over at transferred_at, or at receipt when the file does not say.
                handed_over = item.times.get("transferred_at", received_at)
                if unit.id != item.unit_id and handed_over is not None:
                    handover_day = _local_day(handed_over)
                    problem = units.problem(unit, handover_day)
                    if problem:
                        errors.add(
                            item.row,
                            "handling_unit_code",
                            _(
                                "%(problem)s Nothing can be handed over to it on %(day)s: give "
                                "the unit in force that day."
                            )
                            % {"problem": problem, "day": f"{handover_day:%d/%m/%Y}"},
                        )

        if item.procedure_code:
            candidates = versions.get(item.procedure_code)
            if not candidates:
                errors.add(
                    item.row,
                    "procedure_code",
                    _("unknown procedure '%(code)s'") % {"code": item.procedure_code},
                )
            elif day:
                item.version = next((v for v in candidates if v.is_in_force_on(day)), None)
                if item.version is None:
                    errors.add(
                        item.row,
                        "procedure_code",
                        _("procedure '%(code)s' has no version in force on %(day)s")
                        % {"code": item.procedure_code, "day": day.isoformat()},
                    )

        if len(errors) == before and item.ok:
            _due_dates_compute(item=item, calendar=calendar, errors=errors)
            item.status = _status_of(item)
        if len(errors) != before:
            item.ok = False


class _RememberedTimes:
    """A version as ``due_at_compute`` reads it, its processing time remembered per channel
    (asked once per row, it would build a query set of the prefetched overrides each time)."""

    __slots__ = ("_times", "_version")

    def __init__(self, version: ProcedureVersion) -> None:
        self._version = version
        self._times: dict[str, tuple] = {}

    def processing_time_for(self, channel: str) -> tuple:
        try:
            return self._times[channel]
        except KeyError:
            times = self._times[channel] = self._version.processing_time_for(channel)
            return times


def _due_dates_compute(*, item: _DossierRow, calendar: WorkingCalendar, errors: RowErrors):
    received_at = item.received_at
    given = item.times.get("due_at")
    if item.outcome == OUTCOME_REFUSED:
        item.due_at = item.original_due_at = received_at
        return
    version = item.version
    remembered = version.__dict__.get("_import_times")
    if remembered is None:
        remembered = version.__dict__["_import_times"] = _RememberedTimes(version)
    try:
        computed = due_at_compute(
            version=remembered,  # type: ignore[arg-type]
            channel=item.channel,
            received_at=received_at,
            calendar=calendar,
        )
    except ValueError as exc:
        if given is None:
            errors.add(
                item.row,
                "due_at",
                _("is required: it cannot be computed (%(error)s)") % {"error": exc},
            )
            return
        item.due_at = item.original_due_at = given
        return
    item.original_due_at = computed
    if given is not None:
        item.due_at = given
        return
    # Only a completed pause moves the due date; a withdrawal ends an open pause without
    # moving it, as dossier_withdraw does.
    requested = item.times.get("supplement_requested_at")
    completed = item.times.get("supplement_completed_at")
    if requested is not None and completed is not None:
        item.due_at = supplement_due_at_shift(
            due_at=computed, paused_from=requested, resumed_at=completed, calendar=calendar
        )
    else:
        item.due_at = computed


def _pause_end(item: _DossierRow) -> dt.datetime | None:
    """When the supplement pause ended: completed, or ended by the withdrawal."""
    if "supplement_requested_at" not in item.times:
        return None
    completed = item.times.get("supplement_completed_at")
    if completed is None and item.outcome == OUTCOME_WITHDRAWN:
        return item.times.get("finished_at")
    return completed


def _status_of(item: _DossierRow) -> str:
    if item.outcome == OUTCOME_RESOLVED:
        return DossierStatus.RETURNED if "returned_at" in item.times else DossierStatus.FINISHED
    if item.outcome == OUTCOME_WITHDRAWN:
        return DossierStatus.WITHDRAWN
    if item.outcome == OUTCOME_REFUSED:
        return DossierStatus.REFUSED
    if "supplement_requested_at" in item.times and "supplement_completed_at" not in item.times:
        return DossierStatus.SUPPLEMENT_REQUESTED
    if "supplement_completed_at" in item.times or item.handling_unit_id != item.unit_id:
        return DossierStatus.PROCESSING
    return DossierStatus.RECEIVED


# Matching existing dossiers -------------------------------------------------------------------

_COMPARED = (
    "procedure_version__procedure__code",
    "receiving_unit_id",
    "handling_unit_id",
    "channel",
    "applicant_name",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "status",
    "digitised",
)
# Model field -> the column it comes from, to name differences the way the file does.
_COLUMN_OF = {
    "procedure_version__procedure__code": "procedure_code",
    "receiving_unit_id": "unit_code",
    "handling_unit_id": "handling_unit_code",
    "status": "outcome",
}


def _row_content(item: _DossierRow) -> dict:
    content = {
        "procedure_version__procedure__code": item.procedure_code,
        "receiving_unit_id": item.unit_id,
        "handling_unit_id": item.handling_unit_id,
        "channel": item.channel,
        "applicant_name": item.applicant["applicant_name"],
        "received_at": item.received_at,
        "due_at": item.due_at,
        "finished_at": item.times.get("finished_at"),
        "returned_at": item.times.get("returned_at"),
        "status": item.status,
        "digitised": item.digitised,
        "supplement": _row_supplement(item),
    }
    for column in _APPLICANT_OPTIONAL:
        if column in item.applicant:
            content[column] = item.applicant[column]
    return content


def _row_supplement(item: _DossierRow) -> tuple | None:
    requested = item.times.get("supplement_requested_at")
    return None if requested is None else (requested, _pause_end(item))


def _rows_match(*, parsed: list[_DossierRow], errors: RowErrors) -> None:
    candidates = [item for item in parsed if item.ok]
    with_code = [item for item in candidates if item.code]
    without_code = [item for item in candidates if not item.code]
    fields = ("pk", "code", *_COMPARED, *_APPLICANT_OPTIONAL)
    for start in range(0, len(with_code), CHUNK_SIZE):
        chunk = with_code[start : start + CHUNK_SIZE]
        found = {
            values["code"]: values
            for values in Dossier.objects.filter(code__in=[item.code for item in chunk]).values(
                *fields
            )
        }
        _chunk_compare(matches=[(item, found.get(item.code)) for item in chunk], errors=errors)
    for start in range(0, len(without_code), CHUNK_SIZE):
        chunk = without_code[start : start + CHUNK_SIZE]
        by_key: dict[tuple, dict] = {}
        rows = Dossier.objects.filter(pk__in=_natural_key_matches(chunk)).values(*fields)
        for values in rows:
            key = (
                values["receiving_unit_id"],
                values["procedure_version__procedure__code"],
                values["applicant_name"],
                values["received_at"],
            )
            by_key.setdefault(key, values)
        matches = [
            (
                item,
                by_key.get(
                    (
                        item.unit_id,
                        item.procedure_code,
                        item.applicant["applicant_name"],
                        item.received_at,
                    )
                ),
            )
            for item in chunk
        ]
        _chunk_compare(matches=matches, errors=errors)


def _natural_key_matches(chunk: list[_DossierRow]) -> list[int]:
    """Ids of the dossiers with a row's unit, received time and applicant (the procedure is
    compared by the caller): one index probe per row on PostgreSQL."""
    if _copy_available():
        with _binary_cursor() as cursor:
            cursor.execute(
                f"SELECT dossier.id FROM {Dossier._meta.db_table} AS dossier "
                "JOIN unnest(%b::bigint[], %b::timestamptz[], %b::text[]) AS row(unit, at, name) "
                "ON dossier.receiving_unit_id = row.unit AND dossier.received_at = row.at "
                "AND dossier.applicant_name = row.name",
                [
                    [item.unit_id for item in chunk],
                    [item.received_at for item in chunk],
                    [item.applicant["applicant_name"] for item in chunk],
                ],
            )
            return [pk for (pk,) in cursor.fetchall()]
    # The applicant's name narrows the (unit, time) candidates to the matches themselves.
    return list(
        Dossier.objects.filter(
            receiving_unit_id__in={item.unit_id for item in chunk},
            received_at__in={item.received_at for item in chunk},
            applicant_name__in={item.applicant["applicant_name"] for item in chunk},
        ).values_list("pk", flat=True)
    )


def _chunk_compare(*, matches: list[tuple[_DossierRow, dict | None]], errors: RowErrors) -> None:
    ids = [values["pk"] for _item, values in matches if values is not None]
    supplements: dict[int, list[tuple]] = defaultdict(list)
    for dossier_id, requested, completed in SupplementRequest.objects.filter(
        dossier_id__in=ids
    ).values_list("dossier_id", "requested_at", "completed_at"):
        supplements[dossier_id].append((requested, completed))
    for item, values in matches:
        if values is None:
            continue
        item.existing = True
        stored = supplements.get(values["pk"], [])
        row = _row_content(item)
        differing = [
            _COLUMN_OF.get(name, name)
            for name in row
            if name != "supplement" and row[name] != values[name]
        ]
        supplement = row["supplement"]
        if (supplement is None and stored) or (supplement is not None and stored != [supplement]):
            differing.append("supplement")
        if differing:
            if item.code:
                message = _(
                    "a dossier with this code already exists with different content: %(fields)s"
                ) % {"fields": ", ".join(differing)}
            else:
                message = _(
                    "matches dossier %(code)s (same unit, procedure, applicant and received "
                    "time) whose content differs: %(fields)s"
                ) % {"code": values["code"], "fields": ", ".join(differing)}
            errors.add(item.row, "code", message)
            item.ok = False


# Writing ------------------------------------------------------------------------------------------


def _rows_write(*, check: _Check) -> None:
    """The writing pass: number the code-less rows, then write the spool a chunk at a time."""
    base = _codes_reserve(check=check)
    waiting = check.waiting
    unit_code_of = check.unit_code_of
    for planned in check.spool:
        dossiers = []
        for values, key, order, _events, _supplement in planned:
            if order is not None:
                n = base[key] + bisect_left(waiting[key], order) + 1
                code = dossier_code_format(unit_code=unit_code_of[key[0]], day=key[1], n=n)
                values = (code, *values[1:])
            dossiers.append(values)
        id_of = _dossiers_insert(dossiers)
        events: list[tuple] = []
        supplements: list[tuple] = []
        for values, (_values, _key, _order, history, supplement) in zip(
            dossiers, planned, strict=True
        ):
            dossier_id = id_of[values[0]]
            events.extend((dossier_id, *event) for event in history)
            if supplement is not None:
                supplements.append((dossier_id, *supplement))
        _rows_insert(Event, _EVENT_FIELDS, events)
        _rows_insert(SupplementRequest, _SUPPLEMENT_FIELDS, supplements)


# Raw multi-row INSERTs: the ORM's bulk_create spends most of an import preparing values field
# by field; these tuples are built once, with datetimes adapted the way the backend wants.
_DOSSIER_FIELDS = (
    "code",
    "procedure_version",
    "receiving_unit",
    "handling_unit",
    "channel",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "sets_count",
    "received_at",
    "due_at",
    "original_due_at",
    "rescheduled_due_at",
    "finished_at",
    "returned_at",
    "status",
    "regime",
    "digitised",
    "received_date",
    "due_date",
    "finished_date",
    "version",
    "created_at",
)
_EVENT_FIELDS = ("dossier", "kind", "from_unit", "to_unit", "at", "by", "note", "step_due_at")
_SUPPLEMENT_FIELDS = (
    "dossier",
    "requested_at",
    "reason",
    "missing_documents",
    "completed_at",
    "requested_by",
)
# Bound parameters per statement: well under SQLite's 32,766 and PostgreSQL's 65,535.
_MAX_PARAMETERS = 30000


def _dossiers_insert(rows: list[tuple]) -> dict[str, int]:
    """Insert dossier rows (in _DOSSIER_FIELDS order); their ids by code."""
    if _copy_available():
        # Reserve the ids from the table's sequence, then COPY the rows with them.
        table = Dossier._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(rows)],
            )
            ids = sorted(row[0] for row in cursor.fetchall())
        _rows_insert(
            Dossier,
            ("id", *_DOSSIER_FIELDS),
            [(id_, *row) for id_, row in zip(ids, rows, strict=True)],
        )
        return {row[0]: id_ for id_, row in zip(ids, rows, strict=True)}
    return dict(_rows_insert(Dossier, _DOSSIER_FIELDS, rows, returning=("code", "id")))


def _copy_available() -> bool:
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3


def _binary_cursor():
    """A psycopg cursor on Django's connection (same transaction) that binds parameters on the
    server, in binary: arrays of thousands of values cost a seventh of Django's quoted text."""
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def _column_types(cursor, table: str, columns: str) -> list[int]:
    """The PostgreSQL type oids of ``columns`` (what a binary COPY must be told)."""
    cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(table)} LIMIT 0")
    return [column.type_code for column in cursor.description]


def _sqlite_datetime(value: dt.datetime) -> str:
    # What Django's SQLite backend stores for an aware datetime (USE_TZ): naive UTC as text.
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _rows_insert(
    model, fields: tuple[str, ...], rows: list[tuple], *, returning: tuple[str, ...] = ()
) -> list[tuple]:
    if not rows:
        return []
    ops = connection.ops
    quote = ops.quote_name
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    columns = ", ".join(quote(field.column) for field in model_fields)
    if _copy_available() and not returning:
        # Binary COPY: psycopg takes the Python values as they are, and the server parses
        # neither a statement with tens of thousands of placeholders nor text dates.
        statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN (FORMAT BINARY)"
        with connection.cursor() as cursor:
            types = _column_types(cursor, meta.db_table, columns)
            with cursor.cursor.copy(statement) as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
        return []
    adapt_datetime = (
        _sqlite_datetime if connection.vendor == "sqlite" else ops.adapt_datetimefield_value
    )
    adapters = [
        (index, adapt_datetime)
        for index, field in enumerate(model_fields)
        if field.get_internal_type() == "DateTimeField"
    ] + [
        (index, ops.adapt_datefield_value)
        for index, field in enumerate(model_fields)
        if field.get_internal_type() == "DateField"
    ]
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = ""
    if returning:
        tail = " RETURNING " + ", ".join(quote(meta.get_field(name).column) for name in returning)
    batch = max(1, _MAX_PARAMETERS // len(fields))
    result: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            part = rows[start : start + batch]
            params: list = []
            for row in part:
                values = list(row)
                for index, adapt in adapters:
                    if values[index] is not None:
                        values[index] = adapt(values[index])
                params.extend(values)
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                + ", ".join([one_row] * len(part))
                + tail,
                params,
            )
            if returning:
                result.extend(cursor.fetchall())
    return result


def _codes_reserve(*, check: _Check) -> dict[tuple[int, dt.date], int]:
    """Raise the counters past the given codes and by the code-less rows to number; per unit and
    day, the number the code-less rows count on from (in order of receipt, then row)."""
    highest, waiting = check.highest, check.waiting
    keys = set(highest) | set(waiting)
    if not keys:
        return {}
    counters = {
        (unit_id, day): (pk, last)
        for pk, unit_id, day, last in DossierCodeCounter.objects.select_for_update()
        .filter(
            unit_id__in={unit_id for unit_id, _day in keys},
            day__in={day for _unit_id, day in keys},
        )
        .values_list("pk", "unit_id", "day", "last")
    }
    base: dict[tuple[int, dt.date], int] = {}
    # (id, last) of the counters to raise; (unit id, day, last) of those to create.
    to_update: list[tuple[int, int]] = []
    to_create: list[tuple[int, dt.date, int]] = []
    for key in keys:
        pk, last = counters.get(key, (None, 0))
        base[key] = last = max(last, highest.get(key, 0))
        orders = waiting.get(key)
        if orders:
            orders.sort()
            last += len(orders)
        if pk is None:
            to_create.append((*key, last))
        else:
            to_update.append((pk, last))
    _counters_write(to_update=to_update, to_create=to_create)
    return base


def _counters_write(
    *, to_update: list[tuple[int, int]], to_create: list[tuple[int, dt.date, int]]
) -> None:
    """Store the raised counters: one statement per chunk (``bulk_update``'s ``CASE WHEN`` over
    thousands of rows costs seconds). A counter created meanwhile by the desk makes the INSERT
    fail (unique unit and day), and the whole import with it, as ``bulk_create`` would."""
    table = connection.ops.quote_name(DossierCodeCounter._meta.db_table)
    for start in range(0, len(to_update), CHUNK_SIZE):
        chunk = to_update[start : start + CHUNK_SIZE]
        if _copy_available():
            with _binary_cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} AS counter SET last = new.last "
                    "FROM unnest(%b::bigint[], %b::integer[]) AS new(id, last) "
                    "WHERE counter.id = new.id",
                    [[pk for pk, _last in chunk], [last for _pk, last in chunk]],
                )
        else:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET last = %s WHERE id = %s",
                    [(last, pk) for pk, last in chunk],
                )
    _rows_insert(DossierCodeCounter, ("unit", "day", "last"), to_create)


def _dossier_values(item: _DossierRow, now: dt.datetime) -> tuple:
    received_at = item.received_at
    applicant = item.applicant
    return (
        item.code,
        item.version.pk,
        item.unit_id,
        item.handling_unit_id,
        item.channel,
        applicant["applicant_name"],
        applicant.get("applicant_id_number", ""),
        applicant.get("applicant_phone", ""),
        applicant.get("applicant_email", ""),
        applicant.get("applicant_address", ""),
        1,
        received_at,
        item.due_at,
        item.original_due_at,
        None,
        item.times.get("finished_at"),
        item.times.get("returned_at"),
        str(item.status),
        str(regime_for(received_at)),
        item.digitised,
        _local_day(received_at),
        # The derived dates Dossier.save() would set (this INSERT bypasses it).
        _local_day(item.due_at),
        finished_date_of(
            status=item.status,
            finished_at=item.times.get("finished_at"),
            returned_at=item.times.get("returned_at"),
        ),
        0,
        now,
    )


def _history_build(
    *, item: _DossierRow, import_note: str, by_id: int | None, now: dt.datetime
) -> tuple[list[tuple], tuple | None]:
    """The event rows (in _EVENT_FIELDS order) and the supplement request (in
    _SUPPLEMENT_FIELDS order) of a new dossier, without the dossier's id, not known yet."""
    events: list[tuple] = []

    def add(kind: str, at: dt.datetime, note: str = "", *, from_unit=None, to_unit=None) -> None:
        events.append((kind, from_unit, to_unit, at, by_id, note, None))

    desk, handler = item.unit_id, item.handling_unit_id
    times = item.times
    supplement = None
    if item.outcome == OUTCOME_REFUSED:
        add(_KIND_REFUSED, item.received_at, item.note, from_unit=desk)
    else:
        add(_KIND_RECEIVED, item.received_at, to_unit=desk)
    if handler != desk:
        add(
            _KIND_TRANSFERRED,
            times.get("transferred_at", item.received_at),
            from_unit=desk,
            to_unit=handler,
        )
    requested = times.get("supplement_requested_at")
    if requested is not None:
        add(_KIND_SUPPLEMENT_REQUESTED, requested, from_unit=handler)
        supplement = (requested, _("Recorded by an import"), "", _pause_end(item), by_id)
        if "supplement_completed_at" in times:
            add(_KIND_SUPPLEMENT_COMPLETED, times["supplement_completed_at"], to_unit=handler)
    if item.outcome == OUTCOME_RESOLVED:
        add(_KIND_FINISHED, times["finished_at"], item.note, from_unit=handler)
        if "returned_at" in times:
            add(_KIND_RETURNED, times["returned_at"], from_unit=handler)
    elif item.outcome == OUTCOME_WITHDRAWN:
        add(_KIND_WITHDRAWN, times["finished_at"], item.note, from_unit=handler)
    add(_KIND_IMPORTED, now, import_note)
    return events, supplement


# Plain strings: pickled small and written as they are.
_KIND_RECEIVED = str(EventKind.RECEIVED)
_KIND_REFUSED = str(EventKind.REFUSED)
_KIND_TRANSFERRED = str(EventKind.TRANSFERRED)
_KIND_SUPPLEMENT_REQUESTED = str(EventKind.SUPPLEMENT_REQUESTED)
_KIND_SUPPLEMENT_COMPLETED = str(EventKind.SUPPLEMENT_COMPLETED)
_KIND_FINISHED = str(EventKind.FINISHED)
_KIND_RETURNED = str(EventKind.RETURNED)
_KIND_WITHDRAWN = str(EventKind.WITHDRAWN)
_KIND_IMPORTED = str(EventKind.IMPORTED)
