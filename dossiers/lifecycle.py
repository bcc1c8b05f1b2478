"""The lifecycle of a dossier as plain rules (DESIGN §3), with one home each.

- **Statuses and steps**: :class:`DossierStatus`, :class:`EventKind`, and the status a step
  leaves a dossier in (:func:`status_after`); the status of a dossier known only by its times
  is its steps folded through that rule (:func:`status_of`).
- **Steps implied by times** (:func:`steps_of`): what the import writes as history, in order.
- **Derived fields** (:func:`derived_fields`): what ``Dossier.save`` computes from the stored
  times (local received / due / finished dates, the legal regime).
- **Due dates** (:func:`intake_due_dates`, :func:`due_after_pause`, :func:`pause_end`) on the
  working calendar of :mod:`org.workdays` (:mod:`dossiers.deadlines`), and
  :class:`RememberingCalendar` / :class:`ProcessingTimes`, the memo of one run (an import)
  computing thousands of due dates.

Used by ``Dossier.save`` and the services (one dossier at a time), the bulk import (which
writes rows without ``save``) and ``bench/generate.py``. Nothing here reads the database
except the version's processing times (once per version and channel in
:class:`ProcessingTimes`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import NamedTuple

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import is_reformed
from org.workdays import WorkingCalendar

from .deadlines import due_at_compute, supplement_due_at_shift


class Regime(models.TextChoices):
    DECREE_61_2018 = "2018", _("Decree 61/2018")
    DECREE_118_2025 = "2025", _("Decree 118/2025")


class DossierStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Waiting for supplement")
    FINISHED = "finished", _("Result ready")
    RETURNED = "returned", _("Returned to the applicant")
    REFUSED = "refused", _("Refused at intake")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STOPPED = "stopped", _("Processing stopped")


OPEN_STATUSES = frozenset(
    {
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.SUPPLEMENT_REQUESTED,
    }
)
# Statuses whose dossier ended with a result (ready or returned) / without one.
RESULT_STATUSES = frozenset({DossierStatus.FINISHED, DossierStatus.RETURNED})
ENDED_WITHOUT_RESULT_STATUSES = frozenset({DossierStatus.WITHDRAWN, DossierStatus.STOPPED})


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    REFUSED = "refused", _("Refused at intake")
    TRANSFERRED = "transferred", _("Transferred")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    SUPPLEMENT_COMPLETED = "supplement_completed", _("Supplement completed")
    FINISHED = "finished", _("Result ready")
    RETURNED = "returned", _("Returned to the applicant")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STOPPED = "stopped", _("Processing stopped")
    APOLOGY_ISSUED = "apology_issued", _("Apology issued")
    IMPORTED = "imported", _("Imported")


# How a dossier ended, as a file states it: open, resolved (result ready, maybe returned),
# withdrawn or refused at intake.
OUTCOME_OPEN = ""
OUTCOME_RESOLVED = "resolved"
OUTCOME_WITHDRAWN = "withdrawn"
OUTCOME_REFUSED = "refused"
OUTCOMES = (OUTCOME_RESOLVED, OUTCOME_WITHDRAWN, OUTCOME_REFUSED)


# Local dates and the regime --------------------------------------------------------------------


def local_date(moment: dt.datetime) -> dt.date:
    """The date of ``moment`` on the portal's wall clock (settings.TIME_ZONE)."""
    if moment.tzinfo is None:
        raise ValueError("localtime() cannot be applied to a naive datetime")
    return moment.astimezone(timezone.get_default_timezone()).date()


def local_midnight(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` on the portal's wall clock, as an aware date-time."""
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone()
    )


def regime_for(received_at: dt.datetime) -> str:
    """The legal regime a dossier received at ``received_at`` follows, judged by local date:
    Decree 118/2025 and Circular 03/2025 replace Decree 61/2018 and Circular 01/2018 from the
    reform on (DESIGN §1 "Two legal regimes")."""
    return _regime_on(local_date(received_at))


def _regime_on(day: dt.date) -> str:
    return Regime.DECREE_118_2025 if is_reformed(day) else Regime.DECREE_61_2018


def finished_date_of(
    *, status: str, finished_at: dt.datetime | None, returned_at: dt.datetime | None
) -> dt.date | None:
    """The local date a dossier stopped counting as open in the statistics (DESIGN §3).

    Finished or returned: the earlier of result ready and returned ("whichever comes first");
    withdrawn or stopped: ``finished_at``; open or refused: None.
    """
    if status in RESULT_STATUSES:
        moments = [moment for moment in (finished_at, returned_at) if moment is not None]
        return local_date(min(moments)) if moments else None
    if status in ENDED_WITHOUT_RESULT_STATUSES and finished_at is not None:
        return local_date(finished_at)
    return None


class Derived(NamedTuple):
    """The columns a dossier derives from its others (None where the source is missing)."""

    received_date: dt.date | None
    due_date: dt.date | None
    finished_date: dt.date | None
    regime: str


def derived_fields(
    *,
    received_at: dt.datetime | None,
    due_at: dt.datetime | None,
    status: str,
    finished_at: dt.datetime | None,
    returned_at: dt.datetime | None,
    regime: str = "",
) -> Derived:
    """What ``Dossier.save`` stores besides the given fields: the local received and due dates
    (reports group and judge by them), the finished date, and the regime when none is set."""
    received_date = local_date(received_at) if received_at is not None else None
    return Derived(
        received_date=received_date,
        due_date=local_date(due_at) if due_at is not None else None,
        finished_date=finished_date_of(
            status=status, finished_at=finished_at, returned_at=returned_at
        ),
        regime=regime or (_regime_on(received_date) if received_date is not None else ""),
    )


# Steps and statuses ---------------------------------------------------------------------------

# The status each step leaves a dossier in; a hand-over and the others not listed keep it,
# except that a hand-over starts the processing of a received dossier.
_STATUS_AFTER = {
    EventKind.RECEIVED: DossierStatus.RECEIVED,
    EventKind.REFUSED: DossierStatus.REFUSED,
    EventKind.SUPPLEMENT_REQUESTED: DossierStatus.SUPPLEMENT_REQUESTED,
    EventKind.SUPPLEMENT_COMPLETED: DossierStatus.PROCESSING,
    EventKind.FINISHED: DossierStatus.FINISHED,
    EventKind.RETURNED: DossierStatus.RETURNED,
    EventKind.WITHDRAWN: DossierStatus.WITHDRAWN,
    EventKind.STOPPED: DossierStatus.STOPPED,
}


def status_after(status: str, kind: str) -> str:
    """The status of a dossier in ``status`` after a step of ``kind``."""
    if kind == EventKind.TRANSFERRED:
        # A dossier waiting for the citizen's supplement keeps waiting at its new unit.
        return DossierStatus.PROCESSING if status == DossierStatus.RECEIVED else status
    return _STATUS_AFTER.get(kind, status)


class Step(NamedTuple):
    """One step of a dossier's history, without the dossier (and who took it)."""

    kind: str
    at: dt.datetime
    from_unit: int | None = None
    to_unit: int | None = None
    note: str = ""


def steps_of(
    *, outcome: str, times: dict[str, dt.datetime], desk: int, handler: int, note: str = ""
) -> list[Step]:
    """The steps a dossier's times state, in order: received (or refused) at the desk, handed
    over to ``handler`` at ``transferred_at`` (or at receipt), the supplement requested and
    completed, then finished (and returned) or withdrawn. ``times`` maps the time columns
    (``received_at``, ``transferred_at``, ``supplement_requested_at``, …) that are known;
    ``note`` goes on the refusal, the result or the withdrawal."""
    received_at = times["received_at"]
    if outcome == OUTCOME_REFUSED:
        steps = [Step(EventKind.REFUSED, received_at, desk, None, note)]
    else:
        steps = [Step(EventKind.RECEIVED, received_at, None, desk)]
    if handler != desk:
        at = times.get("transferred_at", received_at)
        steps.append(Step(EventKind.TRANSFERRED, at, desk, handler))
    requested = times.get("supplement_requested_at")
    if requested is not None:
        steps.append(Step(EventKind.SUPPLEMENT_REQUESTED, requested, handler))
        if "supplement_completed_at" in times:
            completed = times["supplement_completed_at"]
            steps.append(Step(EventKind.SUPPLEMENT_COMPLETED, completed, None, handler))
    if outcome == OUTCOME_RESOLVED:
        steps.append(Step(EventKind.FINISHED, times["finished_at"], handler, None, note))
        if "returned_at" in times:
            steps.append(Step(EventKind.RETURNED, times["returned_at"], handler))
    elif outcome == OUTCOME_WITHDRAWN:
        steps.append(Step(EventKind.WITHDRAWN, times["finished_at"], handler, None, note))
    return steps


def status_of(steps: list[Step]) -> str:
    """The status a dossier is in after ``steps`` (its first step receives or refuses it)."""
    status = ""
    for step in steps:
        status = status_after(status, step.kind)
    return status


def pause_end(*, outcome: str, times: dict[str, dt.datetime]) -> dt.datetime | None:
    """When the supplement pause ended: completed, or ended by the withdrawal (as
    ``dossier_withdraw`` does); None while it is open, or without a pause."""
    if "supplement_requested_at" not in times:
        return None
    completed = times.get("supplement_completed_at")
    if completed is None and outcome == OUTCOME_WITHDRAWN:
        return times.get("finished_at")
    return completed


# Due dates ------------------------------------------------------------------------------------


class DueDates(NamedTuple):
    due_at: dt.datetime
    original_due_at: dt.datetime


def intake_due_dates(
    *,
    version,
    channel: str,
    received_at: dt.datetime,
    refused: bool = False,
    calendar: WorkingCalendar | None = None,
) -> DueDates:
    """The due dates fixed at intake: computed from the version's processing time for the
    channel; a dossier refused at intake has none, so both are its received time. Raises
    ``ValueError`` when the processing time cannot be computed (e.g. fractional calendar
    days). ``version`` is a ``ProcedureVersion`` or anything with ``processing_time_for``."""
    if refused:
        return DueDates(received_at, received_at)
    due_at = due_at_compute(
        version=version, channel=channel, received_at=received_at, calendar=calendar
    )
    return DueDates(due_at, due_at)


def due_after_pause(
    *,
    due_at: dt.datetime,
    requested_at: dt.datetime | None,
    completed_at: dt.datetime | None,
    calendar: WorkingCalendar | None = None,
) -> dt.datetime:
    """The due date after a supplement pause: only a completed pause moves it (a withdrawal
    ends an open pause without moving it)."""
    if requested_at is None or completed_at is None:
        return due_at
    return supplement_due_at_shift(
        due_at=due_at, paused_from=requested_at, resumed_at=completed_at, calendar=calendar
    )


class _FixedTime(NamedTuple):
    """A version's processing time for one channel, as ``due_at_compute`` reads a version."""

    time: tuple

    def processing_time_for(self, channel: str) -> tuple:
        return self.time


class ProcessingTimes:
    """The processing time of each (version, channel) asked, for one run (an import): asked of
    the version every row, it would build a query set of its prefetched overrides each time."""

    def __init__(self) -> None:
        self._times: dict[tuple[int, str], _FixedTime] = {}

    def of(self, version, channel: str) -> _FixedTime:
        """What to pass as ``version`` to :func:`intake_due_dates`."""
        key = (version.pk, channel)
        try:
            return self._times[key]
        except KeyError:
            fixed = self._times[key] = _FixedTime(version.processing_time_for(channel))
            return fixed


@dataclass(slots=True)
class DayAnswers:
    """A calendar's answers per day, remembered for one run (owned by it, dropped with it)."""

    working: dict[dt.date, bool] = field(default_factory=dict)
    blocks: dict[dt.date, list] = field(default_factory=dict)
    following: dict[dt.date, dt.date] = field(default_factory=dict)
    length: dt.timedelta | None = None


@dataclass(frozen=True, eq=False)
class RememberingCalendar(WorkingCalendar):
    """The same calendar answering each day's questions once, from ``answers``.

    The calendar's rules stay in :class:`org.workdays.WorkingCalendar`; this only remembers
    what they said (its own day-level methods are what ``add_office_time`` and
    ``office_time_between`` call): thousands of due dates in an import cost a fifth.
    """

    answers: DayAnswers = field(default_factory=DayAnswers, repr=False)

    @classmethod
    def of(cls, calendar: WorkingCalendar) -> RememberingCalendar:
        """``calendar`` with fresh answers."""
        given = {item.name: getattr(calendar, item.name) for item in fields(WorkingCalendar)}
        return cls(**given, answers=DayAnswers())

    def is_working_day(self, day: dt.date) -> bool:
        try:
            return self.answers.working[day]
        except KeyError:
            answer = self.answers.working[day] = super().is_working_day(day)
            return answer

    def next_working_day(self, day: dt.date) -> dt.date:
        try:
            return self.answers.following[day]
        except KeyError:
            answer = self.answers.following[day] = super().next_working_day(day)
            return answer

    def _blocks_on(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        try:
            return self.answers.blocks[day]
        except KeyError:
            answer = self.answers.blocks[day] = super()._blocks_on(day)
            return answer

    @property
    def working_day_length(self) -> dt.timedelta:
        if self.answers.length is None:
            self.answers.length = super().working_day_length
        return self.answers.length
