"""The desk's work queues and search: plain data plus the conditions that select each queue.

A queue is a named condition on dossiers the user may already see (``dossiers_visible_to``);
the page counts every queue in one query and lists one of them, a page at a time.

Nothing here reads every dossier a desk sees (≈ 3 M for the provincial centre at 10 M
dossiers, DESIGN §5): a tab's count stops at ``TAB_COUNT_CAP`` (the page shows "1,000+"), a
list's at ``COUNT_CAP``, and a page is found from a cursor, the sort key and id of the row
next to it ("keyset" paging), so the database reads one page from an index whichever page
it is (indexes: migration 0007).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connections
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


# Counts stop here: above it a list shows "10,000+", and the count reads at most this many rows.
COUNT_CAP = 10_000
# The desk's tabs stop lower: seven of them are counted on every page, and at 10 M dossiers
# counting 10,001 index entries of four busy tabs of the provincial centre took 126 ms; 1,001
# take a few. Beyond a thousand, the exact size of a queue changes nothing at the desk.
TAB_COUNT_CAP = 1_000


def queue_counts(
    qs: QuerySet[Dossier],
    now: dt.datetime,
    calendar: WorkingCalendar | None = None,
    *,
    cap: int | None = None,
) -> dict[str, int]:
    """How many dossiers of ``qs`` each queue holds; a count above ``cap`` (default
    ``COUNT_CAP``) is ``cap + 1``, meaning "more than ``cap``".

    First one aggregate over at most ``cap + 1`` dossiers of ``qs``: when they are all there
    (a search, a small unit), it holds every count, and the search condition ran once. Else a
    second query counts each queue on its own, ``SELECT COUNT(*) FROM (SELECT … LIMIT cap +
    1)``, each from its queue's index; the database never reads more than ``cap + 1`` rows of
    a queue, however many the desk sees.
    """
    calendar = calendar or working_calendar()
    cap = COUNT_CAP if cap is None else cap
    aggregates = {
        queue.name: Count("id", filter=queue_filter(queue.name, now, calendar))
        for queue in QUEUES
        if queue.name != "all"
    }
    aggregates["all"] = Count("id")
    counts = qs.order_by()[: cap + 1].aggregate(**aggregates)
    if counts["all"] <= cap:
        return counts
    # "all" is known to be above the cap; the other queues are counted on their own.
    return {**_capped_counts(qs, now, calendar, cap), "all": cap + 1}


def _capped_counts(
    qs: QuerySet[Dossier], now: dt.datetime, calendar: WorkingCalendar, cap: int
) -> dict[str, int]:
    connection = connections[qs.db]
    quote = connection.ops.quote_name
    queues = [queue for queue in QUEUES if queue.name != "all"]
    columns, params = [], []
    for queue in queues:
        rows = qs.filter(queue_filter(queue.name, now, calendar)).order_by().values("pk")
        sql, rows_params = rows[: cap + 1].query.get_compiler(using=qs.db).as_sql()
        columns.append(
            f"(SELECT COUNT(*) FROM ({sql}) {quote(queue.name + '_rows')}) {quote(queue.name)}"
        )
        params.extend(rows_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        counts = cursor.fetchone()
    return {queue.name: count for queue, count in zip(queues, counts, strict=True)}


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


def _sort_key(queue: Queue) -> str:
    return "due_at" if queue.by_due_date else "received_at"


def _cursor_of(queue: Queue, dossier: Dossier) -> Cursor:
    return Cursor(key=getattr(dossier, _sort_key(queue)), id=dossier.pk)


def _beyond(field: str, cursor: Cursor, *, descending: bool) -> Q:
    """Rows after ``cursor`` in ``(field, id)`` order. The redundant bound on ``field`` alone
    lets the database start its index scan at the cursor instead of filtering up to it."""
    op = "lt" if descending else "gt"
    bound = "lte" if descending else "gte"
    return Q(**{f"{field}__{bound}": cursor.key}) & (
        Q(**{f"{field}__{op}": cursor.key}) | Q(**{field: cursor.key, f"id__{op}": cursor.id})
    )


def queue_page(
    qs: QuerySet[Dossier],
    name: str,
    now: dt.datetime,
    calendar: WorkingCalendar | None = None,
    *,
    size: int,
    after: Cursor | None = None,
    before: Cursor | None = None,
) -> QueuePage:
    """One page of queue ``name``: the ``size`` rows after ``after`` (or before ``before``, or
    the first ones), in one query whichever page it is."""
    if after is not None and before is not None:
        raise ValueError("after and before exclude each other")
    queue = QUEUES_BY_NAME[name]
    rows = queue_dossiers(qs, name, now, calendar)
    field, descending = _sort_key(queue), not queue.by_due_date
    if before is not None:
        # Read backwards from the cursor, then put the rows back in list order.
        direction = "" if descending else "-"
        found = list(
            rows.filter(_beyond(field, before, descending=not descending)).order_by(
                f"{direction}{field}", f"{direction}id"
            )[: size + 1]
        )
        more_before = len(found) > size
        dossiers = found[:size][::-1]
        return QueuePage(
            dossiers=dossiers,
            previous=_cursor_of(queue, dossiers[0]) if more_before else None,
            next=_cursor_of(queue, dossiers[-1]) if dossiers else None,
            # Nothing before the cursor (the list changed meanwhile): back to the first page.
            previous_is_first=not dossiers,
        )
    if after is not None:
        rows = rows.filter(_beyond(field, after, descending=descending))
    found = list(rows[: size + 1])
    dossiers = found[:size]
    return QueuePage(
        dossiers=dossiers,
        previous=_cursor_of(queue, dossiers[0]) if after is not None and dossiers else None,
        next=_cursor_of(queue, dossiers[-1]) if len(found) > size else None,
        previous_is_first=after is not None and not dossiers,
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


def search_matches(matching: QuerySet[Dossier], cap: int = COUNT_CAP) -> QuerySet[Dossier]:
    """The dossiers of a search (``matching``), read once.

    A search reads its matches through the trigram and prefix indexes; the tab counts and the
    page would each read them again (a common name at 10 M dossiers: 130 ms a time). Up to
    ``cap`` matches, their ids are fetched once and the counts and the page read those rows by
    primary key; beyond it, ``matching`` as it is (the counts stop at the cap anyway).
    """
    ids = list(matching.order_by().values_list("pk", flat=True)[: cap + 1])
    if len(ids) > cap:
        return matching
    return Dossier.objects.filter(pk__in=ids)


def due_state(dossier: Dossier, now: dt.datetime, cutoff: dt.datetime) -> str:
    """ "overdue", "due_soon" or "" for a row's due-date highlight (paused dossiers: "")."""
    if dossier.status not in RUNNING_STATUSES:
        return ""
    if dossier.due_at < now:
        return "overdue"
    if dossier.due_at <= cutoff:
        return "due_soon"
    return ""
