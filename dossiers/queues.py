"""The desk's work queues and search: plain data plus the conditions that select each queue.

A queue is a named condition on dossiers the user may already see (``dossiers_visible_to``);
the page counts every queue in one aggregate query and lists one of them, a page at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
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


def queue_counts(
    qs: QuerySet[Dossier], now: dt.datetime, calendar: WorkingCalendar | None = None
) -> dict[str, int]:
    """How many dossiers of ``qs`` each queue holds, in one aggregate query."""
    calendar = calendar or working_calendar()
    aggregates = {
        queue.name: Count("id", filter=queue_filter(queue.name, now, calendar))
        for queue in QUEUES
        if queue.name != "all"
    }
    aggregates["all"] = Count("id")
    return qs.order_by().aggregate(**aggregates)


def queue_dossiers(
    qs: QuerySet[Dossier], name: str, now: dt.datetime, calendar: WorkingCalendar | None = None
) -> QuerySet[Dossier]:
    """The dossiers of queue ``name`` in list order, with what a row shows in the same query."""
    queue = QUEUES_BY_NAME[name]
    ordering = ("due_at", "id") if queue.by_due_date else ("-received_at", "-id")
    return (
        qs.filter(queue_filter(name, now, calendar))
        .select_related("procedure_version__procedure", "handling_unit")
        .order_by(*ordering)
    )


_NON_DIGITS = re.compile(r"\D")
# Fewer digits than this match too many phone numbers to be a useful search.
_PHONE_MIN_DIGITS = 4


def dossier_search(qs: QuerySet[Dossier], q: str) -> QuerySet[Dossier]:
    """Dossiers whose code starts with ``q``, whose applicant's name contains it, or whose
    applicant's phone or ID number contains its digits."""
    q = (q or "").strip()
    if not q:
        return qs
    condition = Q(code__istartswith=q) | Q(applicant_name__icontains=q)
    digits = _NON_DIGITS.sub("", q)
    # Only when the query is a number ("0912 345 678", "345678"), not a code or a name.
    if len(digits) >= _PHONE_MIN_DIGITS and re.fullmatch(r"[\d\s.+()-]+", q):
        condition |= Q(applicant_phone__contains=digits) | Q(applicant_id_number=digits)
    return qs.filter(condition)


def due_state(dossier: Dossier, now: dt.datetime, cutoff: dt.datetime) -> str:
    """ "overdue", "due_soon" or "" for a row's due-date highlight (paused dossiers: "")."""
    if dossier.status not in RUNNING_STATUSES:
        return ""
    if dossier.due_at < now:
        return "overdue"
    if dossier.due_at <= cutoff:
        return "due_soon"
    return ""
