"""Reads of dossiers. Every page, form and API endpoint starts from :func:`dossiers_visible_to`.

Also the desk's queue reads (counts, pages, the search the desk and the API share) and the
overdue watch's (the digest of each led unit, its recipients).

Nothing here reads every dossier a desk sees (≈ 3 M for the provincial centre at 10 M
dossiers, DESIGN §5): a tab's count stops at ``TAB_COUNT_CAP`` (the page shows "1,000+"), a
list's at ``COUNT_CAP``, and a page is found from a cursor, the sort key and id of the row
next to it ("keyset" paging), so the database reads one page from an index whichever page
it is (indexes: migration 0007).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from org.calendar_source import working_calendar
from org.models import Membership, Role, Unit, UnitLevel
from org.selectors import membership_of, unit_ids_visible_to, unit_lineage_ids, units_visible_to
from org.workdays import WorkingCalendar
from procedures.models import ProcedureVersion, search_normalise
from procedures.selectors import match_quality, procedure_versions_receivable

from .models import Dossier, DossierStatus, local_midnight
from .queues import (
    COUNT_CAP,
    QUEUES,
    QUEUES_BY_NAME,
    Cursor,
    Queue,
    QueuePage,
    due_soon_cutoff,
    queue_filter,
)

# The type-ahead ranks a desk's procedures by how often it received them over this many days.
SUGGESTION_FREQUENCY_DAYS = 90


def dossiers_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Dossier]:
    """Dossiers received or now handled by a unit the user may see (``units_visible_to``).

    A dossier outside this set answers 404 everywhere, so nobody learns that it exists.
    """
    unit_ids = unit_ids_visible_to(user)
    if unit_ids is None:
        return Dossier.objects.all()
    # Literal ids, in a stable order: PostgreSQL then reads each unit through its indexes (a
    # commune's page at 1 M dossiers: 25 ms instead of 350–500 ms with a subquery).
    unit_ids = sorted(unit_ids)
    return Dossier.objects.filter(Q(receiving_unit__in=unit_ids) | Q(handling_unit__in=unit_ids))


def procedure_receipt_counts(*, unit: Unit, on: dt.date) -> dict[int, int]:
    """Procedure id → how many dossiers ``unit``'s desk received (not refused at intake) over
    the :data:`SUGGESTION_FREQUENCY_DAYS` days that end with ``on``, in one grouped query.

    It reads the unit's dossiers of those days through the (receiving_unit, received_at)
    index; the received_date bounds let a partitioned table skip the other years.
    """
    first_day = on - dt.timedelta(days=SUGGESTION_FREQUENCY_DAYS - 1)
    rows = (
        Dossier.objects.filter(
            receiving_unit=unit,
            received_at__gte=local_midnight(first_day),
            received_at__lt=local_midnight(on + dt.timedelta(days=1)),
            received_date__range=(first_day, on),
        )
        .exclude(status=DossierStatus.REFUSED)
        .values_list("procedure_version__procedure_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def procedure_suggestions(
    *, unit: Unit, on: dt.date, query: str, limit: int
) -> list[ProcedureVersion]:
    """The intake type-ahead: versions ``unit``'s desk may receive on ``on`` whose code or name
    contains every typed word (with or without diacritics), best first.

    Best is the procedure this desk received most often over the last
    :data:`SUGGESTION_FREQUENCY_DAYS` days, then the better match
    (:func:`procedures.selectors.match_quality`), then the code. Four queries whatever the
    size of the catalogue or of the dossiers: the candidates (at most one unit's catalogue),
    the desk's counts, and the chosen versions with their levels.
    """
    words = search_normalise(query).split()
    if not words:
        return []
    candidates = procedure_versions_receivable(unit=unit, on=on)
    for word in words:
        candidates = candidates.filter(search_text__contains=word)
    rows = list(candidates.values_list("id", "procedure_id", "procedure__code", "name"))
    if not rows:
        return []
    counts = procedure_receipt_counts(unit=unit, on=on)
    rows.sort(
        key=lambda row: (
            -counts.get(row[1], 0),
            match_quality(query=query, code=row[2], name=row[3]),
            row[2],
        )
    )
    chosen = [row[0] for row in rows[:limit]]
    versions = ProcedureVersion.objects.filter(id__in=chosen).select_related("procedure")
    by_id = {version.pk: version for version in versions.prefetch_related("levels")}
    return [by_id[version_id] for version_id in chosen]


# A one-stop centre and a department work for the government above them (Decree 118/2025: the
# provincial centre hands dossiers to the competent department), so they hand over to any unit
# of that government, not only to units below them.
_HAND_OVER_WITHIN_PARENT = frozenset({UnitLevel.CENTRE, UnitLevel.DEPARTMENT})


def transfer_targets(user, dossier: Dossier) -> QuerySet[Unit]:
    """Units in force today (the day the step is taken) that the user hands dossiers to: those
    they may see, the desk that received the dossier and, from a centre or a department, the
    units of its government."""
    reach = Q(pk__in=units_visible_to(user).values("pk")) | Q(pk=dossier.receiving_unit_id)
    membership = membership_of(user)
    if membership is not None and membership.unit.level in _HAND_OVER_WITHIN_PARENT:
        unit_path = membership.unit.path
        parent_path = unit_path.rstrip("/").rsplit("/", 1)[0] + "/"
        if parent_path != "/":
            reach |= Q(path__startswith=parent_path)
    return (
        Unit.objects.valid_on(timezone.localdate())
        .filter(reach)
        .exclude(pk=dossier.handling_unit_id)
        .order_by("path")
    )


# The desk's queues and search -------------------------------------------------------------


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


# The overdue watch (dossiers.watch) ---------------------------------------------------------

# At most this many dossiers are listed per part of the e-mail; the counts are always complete.
LISTED_MAX = 50


@dataclass(frozen=True)
class WatchDigest:
    unit: Unit
    now: dt.datetime
    # Overdue dossiers are judged against ``due_at`` at ``now``; "newly" since this moment.
    since: dt.datetime
    # The end of "due soon" (dossiers.queues.due_soon_cutoff): two working days on.
    due_soon_until: dt.datetime
    due_soon: list[Dossier]
    due_soon_count: int
    newly_overdue: list[Dossier]
    newly_overdue_count: int
    still_overdue_count: int
    # Due by the next working day and no apology issued: suggest issuing one.
    apology_suggested: list[Dossier]
    apology_suggested_count: int

    @property
    def is_empty(self) -> bool:
        return not (
            self.due_soon_count
            or self.newly_overdue_count
            or self.still_overdue_count
            or self.apology_suggested_count
        )


def previous_run_at(now: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """The same wall-clock time on the working day before ``now``'s local date."""
    calendar = calendar or working_calendar()
    local_now = now.astimezone(calendar.tz)
    day = local_now.date() - dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, local_now.time(), tzinfo=calendar.tz)


def watched_dossiers(unit: Unit) -> QuerySet[Dossier]:
    """Dossiers received or now handled by ``unit``, a unit below it, or a unit it succeeded
    (a dossier an ended commune never handed over is its successor's to watch)."""
    units = list(unit_lineage_ids(unit))
    return Dossier.objects.filter(Q(receiving_unit__in=units) | Q(handling_unit__in=units))


def watch_digest(
    *,
    unit: Unit,
    now: dt.datetime,
    since: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
) -> WatchDigest:
    """What the leader of ``unit`` should look at this morning (see the module docstring)."""
    calendar = calendar or working_calendar()
    since = since or previous_run_at(now, calendar)
    dossiers = watched_dossiers(unit)
    overdue = queue_filter("overdue", now, calendar)
    due_soon = dossiers.filter(queue_filter("due_soon", now, calendar))
    newly = dossiers.filter(overdue, due_at__gte=since)
    apology = due_soon.filter(due_at__lte=calendar.add_working_days(now, 1), apology__isnull=True)
    return WatchDigest(
        unit=unit,
        now=now,
        since=since,
        due_soon_until=due_soon_cutoff(now, calendar),
        due_soon=_listed(due_soon),
        due_soon_count=due_soon.count(),
        newly_overdue=_listed(newly),
        newly_overdue_count=newly.count(),
        still_overdue_count=dossiers.filter(overdue, due_at__lt=since).count(),
        apology_suggested=_listed(apology),
        apology_suggested_count=apology.count(),
    )


def _listed(qs: QuerySet[Dossier]) -> list[Dossier]:
    return list(
        qs.select_related("procedure_version", "handling_unit").order_by("due_at", "id")[
            :LISTED_MAX
        ]
    )


def watch_recipients() -> dict[Unit, list[str]]:
    """Each unit with an active leader who has an e-mail address, and those addresses."""
    memberships = (
        Membership.objects.filter(role=Role.UNIT_LEADER, is_active=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("unit", "user")
        .order_by("unit_id", "user_id")
    )
    recipients: dict[Unit, list[str]] = defaultdict(list)
    for membership in memberships:
        if membership.user.email not in recipients[membership.unit]:
            recipients[membership.unit].append(membership.user.email)
    return dict(recipients)
