"""The desk's work queues as plain data: each queue, the condition that selects it, the caps
on counting and the cursor of keyset paging. The reads that use them (counts, pages, search)
are in :mod:`dossiers.selectors`.

A queue is a named condition on dossiers the user may already see (``dossiers_visible_to``);
the page counts every queue in one query and lists one of them, a page at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.calendar_source import working_calendar
from org.workdays import WorkingCalendar

from .models import Dossier, DossierStatus

# "Due soon": the due date falls within this many working days from now.
DUE_SOON_WORKING_DAYS = 2

# Open and running: a dossier waiting for the citizen's supplement has its clock stopped, so it
# is neither due soon nor overdue while paused (DESIGN §3 "Supplement").
RUNNING_STATUSES = (DossierStatus.RECEIVED, DossierStatus.PROCESSING)


@dataclass(frozen=True)
class Queue:
    name: str
    label: str
    # Open queues list what is due first; the others the most recent first.
    by_due_date: bool


QUEUES: tuple[Queue, ...] = (
    Queue("new", _("New"), by_due_date=True),
    Queue("processing", _("Processing"), by_due_date=True),
    Queue("supplement", _("Waiting for supplement"), by_due_date=True),
    Queue("due_soon", _("Due soon"), by_due_date=True),
    Queue("overdue", _("Overdue"), by_due_date=True),
    Queue("ready", _("Ready to return"), by_due_date=False),
    Queue("all", _("All"), by_due_date=False),
)
QUEUES_BY_NAME: dict[str, Queue] = {queue.name: queue for queue in QUEUES}
DEFAULT_QUEUE = "all"

# Bootstrap badge colour of each status on the lists and the dossier page.
STATUS_BADGES: dict[str, str] = {
    DossierStatus.RECEIVED: "text-bg-primary",
    DossierStatus.PROCESSING: "text-bg-info",
    DossierStatus.SUPPLEMENT_REQUESTED: "text-bg-warning",
    DossierStatus.FINISHED: "text-bg-success",
    DossierStatus.RETURNED: "text-bg-secondary",
    DossierStatus.REFUSED: "text-bg-dark",
    DossierStatus.WITHDRAWN: "text-bg-light border",
    DossierStatus.STOPPED: "text-bg-light border",
}


def due_soon_cutoff(now: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """The last instant that still counts as "due soon": two working days of office time on."""
    calendar = calendar or working_calendar()
    return calendar.add_working_days(now, DUE_SOON_WORKING_DAYS)


def queue_filter(name: str, now: dt.datetime, calendar: WorkingCalendar | None = None) -> Q:
    """The condition selecting queue ``name`` at ``now``; KeyError for an unknown name."""
    running = Q(status__in=RUNNING_STATUSES)
    if name == "new":
        return Q(status=DossierStatus.RECEIVED)
    if name == "processing":
        return Q(status=DossierStatus.PROCESSING)
    if name == "supplement":
        return Q(status=DossierStatus.SUPPLEMENT_REQUESTED)
    if name == "due_soon":
        return running & Q(due_at__gte=now, due_at__lte=due_soon_cutoff(now, calendar))
    if name == "overdue":
        return running & Q(due_at__lt=now)
    if name == "ready":
        return Q(status=DossierStatus.FINISHED)
    if name == "all":
        return Q()
    raise KeyError(name)


# Counts stop here: above it a list shows "10,000+", and the count reads at most this many rows.
COUNT_CAP = 10_000
# The desk's tabs stop lower: seven of them are counted on every page, and at 10 M dossiers
# counting 10,001 index entries of four busy tabs of the provincial centre took 126 ms; 1,001
# take a few. Beyond a thousand, the exact size of a queue changes nothing at the desk.
TAB_COUNT_CAP = 1_000


# Keyset paging ---------------------------------------------------------------------------------

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_CURSOR = re.compile(r"(-?\d{1,20})_(\d{1,19})")
_MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Cursor:
    """A row's place in a queue: its sort key (due date or receipt) and its id (ties)."""

    key: dt.datetime
    id: int

    def __str__(self) -> str:
        return f"{(self.key - _EPOCH) // dt.timedelta(microseconds=1)}_{self.id}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """The cursor written by ``str``; ValueError for anything else."""
        match = _CURSOR.fullmatch(text)
        if match is None or int(match[2]) > _MAX_ID:
            raise ValueError(text)
        try:
            key = _EPOCH + dt.timedelta(microseconds=int(match[1]))
        except OverflowError:
            raise ValueError(text) from None
        return cls(key=key, id=int(match[2]))


@dataclass(frozen=True)
class QueuePage:
    dossiers: list[Dossier]
    # Where the previous / next page starts from (``before`` / ``after``); None: no such page.
    previous: Cursor | None
    next: Cursor | None
    # Whether the previous page is the first one (its link carries no cursor).
    previous_is_first: bool


def due_state(dossier: Dossier, now: dt.datetime, cutoff: dt.datetime) -> str:
    """ "overdue", "due_soon" or "" for a row's due-date highlight (paused dossiers: "")."""
    if dossier.status not in RUNNING_STATUSES:
        return ""
    if dossier.due_at < now:
        return "overdue"
    if dossier.due_at <= cutoff:
        return "due_soon"
    return ""
