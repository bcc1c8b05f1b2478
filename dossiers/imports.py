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
  the early / on time / late judgement follow from it as for any returned dossier.
  Every rule of the lifecycle (status, history, due dates, derived columns) is the one of
  :mod:`dossiers.lifecycle`, which ``Dossier.save`` and the services use too.
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
  the same chunks inside the transaction (:mod:`cchc_portal.db`): binary ``COPY`` on PostgreSQL
  (ids reserved from the sequence first), multi-row ``INSERT … RETURNING`` on SQLite; neither
  the per-dossier services nor the ORM's per-field preparation are used. The counters are read
  once and written with one ``UPDATE … FROM unnest`` per chunk. One ``dossier_changed`` signal
  is sent inside the transaction (its stale-rollup marks commit with the rows) for the whole import
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NamedTuple

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import import_audit_record
from cchc_portal.db import binary_execute, copy_available, copy_rows, ids_reserve, insert_rows
from org.calendar_source import working_calendar
from org.models import Unit
from org.tabular import (
    FirstRows,
    ImportResult,
    NumberedRow,
    RowCheck,
    RowErrors,
    TabularFile,
    unknown_unit_message,
)
from org.workdays import WorkingCalendar
from procedures.models import Channel, ProcedureVersion, VersionStatus

from .codes import dossier_code_format, dossier_code_parse
from .guards import dates_refusals, dates_writable_check
from .lifecycle import (
    OUTCOME_OPEN,
    OUTCOME_REFUSED,
    OUTCOME_RESOLVED,
    OUTCOME_WITHDRAWN,  # noqa: F401 (re-exported with the others: the outcome column's values)
    OUTCOMES,
    EventKind,
    ProcessingTimes,
    RememberingCalendar,
    Step,
    derived_fields,
    due_after_pause,
    intake_due_dates,
    local_date,
    pause_end,
    status_of,
    steps_of,
)
from .models import Dossier, DossierCodeCounter, Event, SupplementRequest
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
    # The steps the row states (lifecycle.steps_of), once its units are known.
    steps: list[Step] | None = None
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
            calendar=RememberingCalendar.of(calendar or working_calendar()),
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


class _Arrival(NamedTuple):
    """A code-less new row's place in its unit and day: in order of receipt, then of row."""

    received: int  # microseconds since the epoch
    row: int


class _Planned(NamedTuple):
    """What the writing pass needs of a new row."""

    # The dossier's values in DOSSIER_FIELDS order; the code blank when it is to be numbered.
    dossier: tuple
    # (receiving unit id, local day) of its code counter; its arrival when it is to be numbered.
    counter: tuple[int, dt.date] | None
    arrival: _Arrival | None
    # Its events (in _EVENT_FIELDS order) and supplement request (in _SUPPLEMENT_FIELDS
    # order), without the dossier's id, not known yet.
    events: list[tuple]
    supplement: tuple | None


class _Check:
    """The checking pass: every row checked and matched a chunk at a time; the new rows spooled.

    What outlives a chunk is kept small: the codes and natural keys seen (to report a repeat
    with its first row), and per receiving unit and local day the highest given code number and
    the arrival of each code-less new row.
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
        self.processing_times = ProcessingTimes()
        self.now = now
        self.errors = errors
        self.spool = spool
        self.import_note = import_note
        self.by_id = by_id
        self.units = _Units()
        self.unit_code_of = {unit.pk: code for code, unit in self.units.by_code.items()}
        self.versions: dict[str, list[ProcedureVersion]] = {}
        self.codes_seen = FirstRows()
        self.first_row_of_key: dict[bytes, int] = {}
        # (unit id, local day) -> the highest number of a given code / the arrivals of the
        # code-less new rows, numbered in that order.
        self.highest: dict[tuple[int, dt.date], int] = {}
        self.waiting: dict[tuple[int, dt.date], list[_Arrival]] = defaultdict(list)
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
        _rows_resolve(parsed=parsed, check=self)
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
            self.codes_seen.check(errors, number, "code", item.code)
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
            (item, {column: local_date(item.times[column]) for column in _step_columns(item)})
            for item in pending
        ]
        refused = writable.refusals({day for _item, days in days_of for day in days.values()})
        for item, days in days_of:
            column = next((column for column, day in days.items() if day in refused), None)
            if column is not None:
                self.errors.add(item.row, column, refused[days[column]])
                item.ok = False
        return bool(refused)

    def _planned(self, item: _DossierRow) -> _Planned:
        """The dossier (the code blank when it is to be numbered), its counter and arrival,
        events and supplement request of a new row; its units and dates noted as touched."""
        received_at = item.received_at
        arrival = None
        if item.code:
            unit_code, day, n = item.code_parts
            unit = self.units.by_code.get(unit_code)
            counter = None
            if unit is not None:
                counter = (unit.id, day)
                if n > self.highest.get(counter, 0):
                    self.highest[counter] = n
        else:
            counter = (item.unit_id, local_date(received_at))
            arrival = _Arrival((received_at - _EPOCH) // _MICROSECOND, item.row)
            self.waiting[counter].append(arrival)
        touched = self.touched
        touched.unit_ids.add(item.unit_id)
        touched.unit_ids.add(item.handling_unit_id)
        for moment in (*item.times.values(), item.due_at, item.original_due_at):
            touched.dates.add(local_date(moment))
        events, supplement = _history_build(
            item=item, import_note=self.import_note, by_id=self.by_id, now=self.now
        )
        return _Planned(_dossier_values(item, self.now), counter, arrival, events, supplement)


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
        self.today = local_date(now)
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
        first = local_date(earliest)
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


def _row_clean(
    *, number: int, row: dict[str, str], now: dt.datetime, errors: RowErrors
) -> _DossierRow:
    """The row's values checked one by one (every error reported, in column order)."""
    check = RowCheck(errors, number, row)
    check.required(*DOSSIER_REQUIRED_COLUMNS)
    code, code_parts = _code_clean(check)
    channel = row.get("channel", "").lower()
    check.choice("channel", _CHANNELS)
    outcome = _outcome_clean(check)
    digitised = check.flag("digitised")
    applicant = _applicant_clean(check)
    times = _times_clean(check, now=now)
    _times_check(times=times, outcome=outcome, row=row, error=check.error)
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
        digitised=bool(digitised),
        handling_unit_code=row.get("handling_unit_code", ""),
        note=row.get("note", ""),
        times=times,
        applicant=applicant,
        code_parts=code_parts,
        return_only=return_only,
    )


def _code_clean(check: RowCheck) -> tuple[str, tuple | None]:
    """The given code and its (unit code, day, number), None when it is absent or malformed."""
    code = check.row.get("code", "")
    if not code or not check.max_length("code", _CODE_MAX_LENGTH):
        return code, None
    try:
        return code, dossier_code_parse(code)
    except ValueError:
        check.error(
            "code",
            _("'%(value)s' is not a dossier code <unit code>-<YYMMDD>-<NNNN>") % {"value": code},
        )
        return code, None


def _outcome_clean(check: RowCheck) -> str | None:
    """The outcome, lower-cased ("" = still open); None when it is not one (reported)."""
    text = check.row.get("outcome", "")
    outcome = text.lower()
    if outcome and outcome not in OUTCOMES:
        check.error(
            "outcome",
            _("'%(value)s' is not one of %(choices)s (blank = still open)")
            % {"value": text, "choices": "|".join(OUTCOMES)},
        )
        return None
    return outcome


def _applicant_clean(check: RowCheck) -> dict[str, str]:
    """The applicant columns the file has, checked for length and e-mail form."""
    row = check.row
    applicant = {}
    for column, limit in _APPLICANT_LIMITS.items():
        if column in row:
            applicant[column] = row[column]
            check.max_length(column, limit)
    if "applicant_email" in row:
        email = applicant["applicant_email"] = row["applicant_email"]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                check.error(
                    "applicant_email", _("'%(value)s' is not an e-mail address") % {"value": email}
                )
    return applicant


def _times_clean(check: RowCheck, *, now: dt.datetime) -> dict[str, dt.datetime]:
    """The filled time columns parsed; none but ``due_at`` may lie in the future."""
    times: dict[str, dt.datetime] = {}
    for column in _TIME_COLUMNS:
        text = check.row.get(column, "")
        if not text:
            continue
        moment = _moment_parse(text)
        if moment is None:
            check.error(
                column,
                _("'%(value)s' is not an ISO 8601 date-time such as 2021-02-09T16:30")
                % {"value": text},
            )
        elif column != "due_at" and moment > now:
            check.error(column, _("is in the future"))
        else:
            times[column] = moment
    return times


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
    """The order of the steps' times, then what the outcome asks of them."""
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
    _outcome_times_check(times=times, outcome=outcome, row=row, error=error)


def _outcome_times_check(*, times: dict, outcome: str | None, row: dict[str, str], error) -> None:
    """The times the outcome needs or forbids (and the supplement's two ends)."""
    received_at, due_at = times.get("received_at"), times.get("due_at")
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


def _rows_resolve(*, parsed: list[_DossierRow], check: _Check) -> None:
    """Each row against the reference data: units, procedure version, then (when all is well)
    its due dates, steps and status by the lifecycle's rules."""
    errors = check.errors
    for item in parsed:
        before = len(errors)
        received_at = item.times.get("received_at")
        day = local_date(received_at) if received_at else None
        _units_resolve(item=item, day=day, units=check.units, errors=errors)
        if item.procedure_code:
            _version_resolve(item=item, day=day, versions=check.versions, errors=errors)
        if len(errors) == before and item.ok:
            _due_dates_compute(
                item=item, calendar=check.calendar, times=check.processing_times, errors=errors
            )
            item.steps = steps_of(
                outcome=item.outcome,
                times=item.times,
                desk=item.unit_id,
                handler=item.handling_unit_id,
                note=item.note,
            )
            item.status = status_of(item.steps)
        if len(errors) != before:
            item.ok = False


def _units_resolve(
    *, item: _DossierRow, day: dt.date | None, units: _Units, errors: RowErrors
) -> None:
    """The receiving unit (in force on the received day) and the handling unit (in force on
    the hand-over day, ``transferred_at`` or else the receipt)."""
    if item.unit_code:
        unit = units.by_code.get(item.unit_code)
        if unit is None:
            errors.add(item.row, "unit_code", unknown_unit_message(item.unit_code))
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
    if not item.handling_unit_code:
        return
    unit = units.by_code.get(item.handling_unit_code)
    if unit is None:
        errors.add(item.row, "handling_unit_code", unknown_unit_message(item.handling_unit_code))
        return
    item.handling_unit_id = unit.id
    handed_over = item.times.get("transferred_at", item.times.get("received_at"))
    if unit.id == item.unit_id or handed_over is None:
        return
    handover_day = local_date(handed_over)
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


def _version_resolve(
    *,
    item: _DossierRow,
    day: dt.date | None,
    versions: dict[str, list[ProcedureVersion]],
    errors: RowErrors,
) -> None:
    """The procedure's version in force on the received day."""
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


def _due_dates_compute(
    *,
    item: _DossierRow,
    calendar: WorkingCalendar,
    times: ProcessingTimes,
    errors: RowErrors,
) -> None:
    """The lifecycle's due dates; a given ``due_at`` wins, and stands for both when they
    cannot be computed (without one, the row is refused)."""
    received_at = item.received_at
    given = item.times.get("due_at")
    refused = item.outcome == OUTCOME_REFUSED
    try:
        due = intake_due_dates(
            version=None if refused else times.of(item.version, item.channel),
            channel=item.channel,
            received_at=received_at,
            refused=refused,
            calendar=calendar,
        )
    except ValueError as exc:
        if given is None:
            errors.add(
                item.row,
                "due_at",
                _("is required: it cannot be computed (%(error)s)") % {"error": exc},
            )
        else:
            item.due_at = item.original_due_at = given
        return
    item.original_due_at = due.original_due_at
    if refused or given is None:
        item.due_at = due_after_pause(
            due_at=due.due_at,
            requested_at=item.times.get("supplement_requested_at"),
            completed_at=item.times.get("supplement_completed_at"),
            calendar=calendar,
        )
    else:
        item.due_at = given


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
    if requested is None:
        return None
    return (requested, pause_end(outcome=item.outcome, times=item.times))


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
    if copy_available():
        found = binary_execute(
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
        return [pk for (pk,) in found]
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
    for planned in check.spool:
        dossiers = [_numbered(item, base=base, check=check) for item in planned]
        id_of = _dossiers_insert(dossiers)
        events: list[tuple] = []
        supplements: list[tuple] = []
        for values, item in zip(dossiers, planned, strict=True):
            dossier_id = id_of[values[0]]
            events.extend((dossier_id, *event) for event in item.events)
            if item.supplement is not None:
                supplements.append((dossier_id, *item.supplement))
        copy_rows(Event, _EVENT_FIELDS, events)
        copy_rows(SupplementRequest, _SUPPLEMENT_FIELDS, supplements)


def _numbered(item: _Planned, *, base: dict, check: _Check) -> tuple:
    """The dossier's values, with its code when it is to be numbered: after the counter's
    base, in order of arrival in its unit and day."""
    if item.arrival is None:
        return item.dossier
    unit_id, day = item.counter
    n = base[item.counter] + bisect_left(check.waiting[item.counter], item.arrival) + 1
    code = dossier_code_format(unit_code=check.unit_code_of[unit_id], day=day, n=n)
    return (code, *item.dossier[1:])


# The dossier columns the import writes, in the order of its value tuples (bench/generate.py
# writes the same).
DOSSIER_FIELDS = (
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


def _dossiers_insert(rows: list[tuple]) -> dict[str, int]:
    """Insert dossier rows (in DOSSIER_FIELDS order); their ids by code."""
    if not copy_available():
        return dict(insert_rows(Dossier, DOSSIER_FIELDS, rows, returning=("code", "id")))
    # Reserve the ids from the table's sequence, then COPY the rows with them.
    ids = ids_reserve(Dossier, len(rows))
    copy_rows(
        Dossier, ("id", *DOSSIER_FIELDS), [(id_, *row) for id_, row in zip(ids, rows, strict=True)]
    )
    return {row[0]: id_ for id_, row in zip(ids, rows, strict=True)}


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
        if copy_available():
            binary_execute(
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
    copy_rows(DossierCodeCounter, ("unit", "day", "last"), to_create)


def _dossier_values(item: _DossierRow, now: dt.datetime) -> tuple:
    """The new dossier in DOSSIER_FIELDS order, with the derived columns ``Dossier.save``
    would set (this INSERT bypasses it)."""
    received_at = item.received_at
    applicant = item.applicant
    finished_at = item.times.get("finished_at")
    returned_at = item.times.get("returned_at")
    derived = derived_fields(
        received_at=received_at,
        due_at=item.due_at,
        status=item.status,
        finished_at=finished_at,
        returned_at=returned_at,
    )
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
        finished_at,
        returned_at,
        str(item.status),
        str(derived.regime),
        item.digitised,
        derived.received_date,
        derived.due_date,
        derived.finished_date,
        0,
        now,
    )


def _history_build(
    *, item: _DossierRow, import_note: str, by_id: int | None, now: dt.datetime
) -> tuple[list[tuple], tuple | None]:
    """The event rows (in _EVENT_FIELDS order: the row's steps, then ``imported``) and the
    supplement request (in _SUPPLEMENT_FIELDS order) of a new dossier, without its id."""
    events = [
        (_KIND_TEXT[step.kind], step.from_unit, step.to_unit, step.at, by_id, step.note, None)
        for step in item.steps
    ]
    events.append((_KIND_TEXT[EventKind.IMPORTED], None, None, now, by_id, import_note, None))
    requested = item.times.get("supplement_requested_at")
    if requested is None:
        return events, None
    end = pause_end(outcome=item.outcome, times=item.times)
    return events, (requested, _("Recorded by an import"), "", end, by_id)


# Plain strings: pickled small and written as they are.
_KIND_TEXT = {kind: str(kind) for kind in EventKind}
