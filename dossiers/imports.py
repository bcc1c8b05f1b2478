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
- **History.** Each new dossier gets the events of the steps the row states (received or
  refused; transferred to the handling unit at ``transferred_at``, or at receipt; supplement
  requested and completed, with a :class:`SupplementRequest` row; finished or withdrawn;
  returned), then one ``imported`` event at the import's time naming the file, all by nobody.
- **Speed.** Reference data is read once, due dates come from the pure working calendar
  (remembering each day's answers for the import), and the rows are written in chunks of
  2,000 inside one transaction, with multi-row ``INSERT … RETURNING`` on SQLite and binary
  ``COPY`` on PostgreSQL (ids reserved from the sequence first): neither the per-dossier
  services nor the ORM's per-field preparation are used. Matching code-less rows is one index
  probe per row (unit, received time, applicant) on PostgreSQL; the counters are read once and
  written with one ``UPDATE … FROM unnest`` per chunk. The file is read lazily, but the parsed
  rows are held in memory between the checking pass and the writing pass (all-or-nothing and
  numbering the code-less rows after every given code need every row checked first; about
  1.3 KB per row). One ``dossier_changed`` signal is sent
  after commit for the whole import (``dossier_id=None``, ``event_kind="imported"``), with
  every receiving and handling unit and every local date touched; nothing is sent when
  nothing was created.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.calendar_source import working_calendar
from org.models import Unit
from org.tabular import ImportResult, NumberedRow, RowErrors, TabularFile
from org.workdays import WorkingCalendar
from procedures.models import Channel, ProcedureVersion, VersionStatus

from .codes import dossier_code_format, dossier_code_parse
from .deadlines import due_at_compute, supplement_due_at_shift
from .models import (
    Dossier,
    DossierCodeCounter,
    DossierStatus,
    Event,
    EventKind,
    SupplementRequest,
    finished_date_of,
    local_date,
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
    calendar = _MemoCalendar.of(calendar or working_calendar())
    now = timezone.now()
    errors = RowErrors()
    parsed = _rows_parse(rows=rows, now=now, errors=errors)
    with transaction.atomic():
        units = {
            code: (pk, valid_from, valid_to)
            for code, pk, valid_from, valid_to in (
                Unit.objects.values_list("code", "pk", "valid_from", "valid_to")
            )
        }
        versions = _versions_by_code(
            {item.procedure_code for item in parsed if item.procedure_code}
        )
        _rows_resolve(
            parsed=parsed, units=units, versions=versions, calendar=calendar, errors=errors
        )
        _rows_match(parsed=parsed, errors=errors)
        if errors:
            return ImportResult(errors=errors)
        new = [item for item in parsed if not item.existing]
        touched = _rows_write(
            new=new, units=units, calendar=calendar, source=source, by=by, now=now
        )
        if new:
            unit_ids = frozenset(touched.unit_ids)
            dates = frozenset(touched.dates)
            transaction.on_commit(
                lambda: dossier_changed.send(
                    sender=Dossier,
                    dossier_id=None,
                    unit_ids=unit_ids,
                    dates=dates,
                    # Not a step of one dossier: applicants are never notified of an import.
                    event_kind=str(EventKind.IMPORTED),
                )
            )
    return ImportResult(created=len(new), unchanged=len(parsed) - len(new))


# Checking one row at a time -------------------------------------------------------------------


def _rows_parse(
    *, rows: Iterable[NumberedRow], now: dt.datetime, errors: RowErrors
) -> list[_DossierRow]:
    first_row_of_code: dict[str, int] = {}
    first_row_of_key: dict[tuple, int] = {}
    parsed: list[_DossierRow] = []
    for number, raw in rows:
        row = {column: (value or "").strip() for column, value in raw.items()}
        before = len(errors)
        item = _row_clean(number=number, row=row, now=now, errors=errors)
        if item.code:
            if item.code in first_row_of_code:
                errors.add(
                    number,
                    "code",
                    _("'%(code)s' is already on row %(row)d")
                    % {"code": item.code, "row": first_row_of_code[item.code]},
                )
            else:
                first_row_of_code[item.code] = number
        elif len(errors) == before:
            key = item.natural_key
            if key in first_row_of_key:
                errors.add(
                    number,
                    "code",
                    _(
                        "without a code, the same unit, procedure, applicant and received time "
                        "as row %(row)d"
                    )
                    % {"row": first_row_of_key[key]},
                )
            else:
                first_row_of_key[key] = number
        item.ok = len(errors) == before
        parsed.append(item)
    return parsed


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
    )


def _moment_parse(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
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
        if received_at is not None and transferred_at < received_at:
            error("transferred_at", _("is before %(column)s") % {"column": "received_at"})
        elif "finished_at" in times and times["finished_at"] < transferred_at:
            error("finished_at", _("is before %(column)s") % {"column": "transferred_at"})
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
    if not row.get("finished_at"):
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


def _unit_in_force(valid_from: dt.date | None, valid_to: dt.date | None, day: dt.date) -> bool:
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


def _rows_resolve(
    *,
    parsed: list[_DossierRow],
    units: dict[str, tuple],
    versions: dict[str, list[ProcedureVersion]],
    calendar: WorkingCalendar,
    errors: RowErrors,
) -> None:
    for item in parsed:
        before = len(errors)
        received_at = item.times.get("received_at")
        day = local_date(received_at) if received_at else None

        if item.unit_code:
            unit = units.get(item.unit_code)
            if unit is None:
                errors.add(
                    item.row, "unit_code", _("unknown unit '%(code)s'") % {"code": item.unit_code}
                )
            else:
                item.unit_id = unit[0]
                if day and not _unit_in_force(unit[1], unit[2], day):
                    errors.add(
                        item.row,
                        "unit_code",
                        _("unit '%(code)s' did not exist on %(day)s")
                        % {"code": item.unit_code, "day": day.isoformat()},
                    )
        item.handling_unit_id = item.unit_id
        if item.handling_unit_code:
            unit = units.get(item.handling_unit_code)
            if unit is None:
                errors.add(
                    item.row,
                    "handling_unit_code",
                    _("unknown unit '%(code)s'") % {"code": item.handling_unit_code},
                )
            else:
                item.handling_unit_id = unit[0]

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


def _due_dates_compute(*, item: _DossierRow, calendar: WorkingCalendar, errors: RowErrors):
    received_at = item.received_at
    given = item.times.get("due_at")
    if item.outcome == OUTCOME_REFUSED:
        item.due_at = item.original_due_at = received_at
        return
    try:
        computed = due_at_compute(
            version=item.version, channel=item.channel, received_at=received_at, calendar=calendar
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
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT dossier.id FROM {Dossier._meta.db_table} AS dossier "
                "JOIN unnest(%s::bigint[], %s::timestamptz[], %s::text[]) AS row(unit, at, name) "
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


def _rows_write(
    *,
    new: list[_DossierRow],
    units: dict[str, tuple],
    calendar: WorkingCalendar,
    source: str,
    by: AbstractBaseUser | None,
    now: dt.datetime,
) -> _Touched:
    unit_code_of = {pk: code for code, (pk, _from, _to) in units.items()}
    _codes_assign(new=new, units=units, unit_code_of=unit_code_of)
    touched = _Touched()
    note = _("Imported from %(source)s") % {"source": source} if source else _("Imported")
    by_id = by.pk if by is not None else None
    zone = timezone.get_default_timezone()
    for start in range(0, len(new), CHUNK_SIZE):
        chunk = new[start : start + CHUNK_SIZE]
        id_of = _dossiers_insert([_dossier_values(item, now) for item in chunk])
        events: list[tuple] = []
        supplements: list[tuple] = []
        for item in chunk:
            _history_build(
                item=item,
                dossier_id=id_of[item.code],
                import_note=note,
                by_id=by_id,
                now=now,
                events=events,
                supplements=supplements,
            )
            touched.unit_ids.update((item.unit_id, item.handling_unit_id))
            moments = (*item.times.values(), item.due_at, item.original_due_at)
            touched.dates.update(moment.astimezone(zone).date() for moment in moments)
        _rows_insert(Event, _EVENT_FIELDS, events)
        _rows_insert(SupplementRequest, _SUPPLEMENT_FIELDS, supplements)
    return touched


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


def _codes_assign(*, new: list[_DossierRow], units: dict[str, tuple], unit_code_of: dict) -> None:
    """Raise the counters past the given codes, then number the code-less rows after them."""
    highest: dict[tuple[int, dt.date], int] = {}
    for item in new:
        if item.code:
            unit_code, day, n = item.code_parts
            unit = units.get(unit_code)
            if unit is not None:
                key = (unit[0], day)
                highest[key] = max(highest.get(key, 0), n)
    codeless = sorted(
        (item for item in new if not item.code), key=lambda item: (item.received_at, item.row)
    )
    wanted: dict[tuple[int, dt.date], list[_DossierRow]] = defaultdict(list)
    for item in codeless:
        wanted[(item.unit_id, local_date(item.received_at))].append(item)
    keys = set(highest) | set(wanted)
    if not keys:
        return
    counters = {
        (counter.unit_id, counter.day): counter
        for counter in DossierCodeCounter.objects.select_for_update().filter(
            unit_id__in={unit_id for unit_id, _day in keys},
            day__in={day for _unit_id, day in keys},
        )
    }
    to_update, to_create = [], []
    for key in keys:
        counter = counters.get(key)
        if counter is None:
            counter = DossierCodeCounter(unit_id=key[0], day=key[1], last=0)
            to_create.append(counter)
        else:
            to_update.append(counter)
        counter.last = max(counter.last, highest.get(key, 0))
        for item in wanted.get(key, ()):
            counter.last += 1
            item.code = dossier_code_format(
                unit_code=unit_code_of[key[0]], day=key[1], n=counter.last
            )
    _counters_write(to_update=to_update, to_create=to_create)


def _counters_write(
    *, to_update: list[DossierCodeCounter], to_create: list[DossierCodeCounter]
) -> None:
    """Store the raised counters: one statement per chunk (``bulk_update``'s ``CASE WHEN`` over
    thousands of rows costs seconds). A counter created meanwhile by the desk makes the INSERT
    fail (unique unit and day), and the whole import with it, as ``bulk_create`` would."""
    table = connection.ops.quote_name(DossierCodeCounter._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(to_update), CHUNK_SIZE):
            chunk = to_update[start : start + CHUNK_SIZE]
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"UPDATE {table} AS counter SET last = new.last "
                    "FROM unnest(%s::bigint[], %s::integer[]) AS new(id, last) "
                    "WHERE counter.id = new.id",
                    [[counter.pk for counter in chunk], [counter.last for counter in chunk]],
                )
            else:
                cursor.executemany(
                    f"UPDATE {table} SET last = %s WHERE id = %s",
                    [(counter.last, counter.pk) for counter in chunk],
                )
    _rows_insert(
        DossierCodeCounter,
        ("unit", "day", "last"),
        [(counter.unit_id, counter.day, counter.last) for counter in to_create],
    )


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
        local_date(received_at),
        # The derived dates Dossier.save() would set (this INSERT bypasses it).
        local_date(item.due_at),
        finished_date_of(
            status=item.status,
            finished_at=item.times.get("finished_at"),
            returned_at=item.times.get("returned_at"),
        ),
        0,
        now,
    )


def _history_build(
    *,
    item: _DossierRow,
    dossier_id: int,
    import_note: str,
    by_id: int | None,
    now: dt.datetime,
    events: list[tuple],
    supplements: list[tuple],
) -> None:
    """The event rows (in _EVENT_FIELDS order) and the supplement request of a new dossier."""

    def add(kind: str, at: dt.datetime, note: str = "", *, from_unit=None, to_unit=None) -> None:
        events.append((dossier_id, str(kind), from_unit, to_unit, at, by_id, note, None))

    desk, handler = item.unit_id, item.handling_unit_id
    times = item.times
    if item.outcome == OUTCOME_REFUSED:
        add(EventKind.REFUSED, item.received_at, item.note, from_unit=desk)
    else:
        add(EventKind.RECEIVED, item.received_at, to_unit=desk)
    if handler != desk:
        add(
            EventKind.TRANSFERRED,
            times.get("transferred_at", item.received_at),
            from_unit=desk,
            to_unit=handler,
        )
    requested = times.get("supplement_requested_at")
    if requested is not None:
        add(EventKind.SUPPLEMENT_REQUESTED, requested, from_unit=handler)
        supplements.append(
            (dossier_id, requested, _("Recorded by an import"), "", _pause_end(item), by_id)
        )
        if "supplement_completed_at" in times:
            add(EventKind.SUPPLEMENT_COMPLETED, times["supplement_completed_at"], to_unit=handler)
    if item.outcome == OUTCOME_RESOLVED:
        add(EventKind.FINISHED, times["finished_at"], item.note, from_unit=handler)
        if "returned_at" in times:
            add(EventKind.RETURNED, times["returned_at"], from_unit=handler)
    elif item.outcome == OUTCOME_WITHDRAWN:
        add(EventKind.WITHDRAWN, times["finished_at"], item.note, from_unit=handler)
    add(EventKind.IMPORTED, now, import_note)
