"""The official counters of a period (DESIGN §3) as one SQL aggregate.

``counters_query`` counts every name of :data:`reports.counters.COUNTERS` in one grouped
``SELECT … COUNT(*) FILTER (WHERE …)`` over the dossiers, comparing the derived local dates
stored on each row (``received_date``, ``due_date``, ``finished_date``, see
:class:`dossiers.models.Dossier`) with the period's inclusive dates; the only join is an
``EXISTS`` on the supplement requests for the dossiers paused at the end of the period. It is
the SQL twin of the pure :func:`reports.classification.dossier_counters` and the tests prove
them equal on random data: change both or neither.

The figures are recomputed from the dossiers' current state. ``due_at`` is the final legal due
date after every pause, so a supplement completed after a period ended moves the due date of a
dossier that was open in that period, and a recompute of that old period may then differ from
the figure published at the time (within ↔ overdue, and early / on time / late for a dossier
finished later). That is why the rollups freeze closed periods instead of recomputing them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from dossiers.models import (
    ENDED_WITHOUT_RESULT_STATUSES,
    RESULT_STATUSES,
    Dossier,
    DossierStatus,
    SupplementRequest,
)
from procedures.models import Channel

from .counters import COUNTERS
from .periods import Period


def relevant_q(period: Period) -> Q:
    """Dossiers that can count in ``period``: received by its end, not ended before its start
    (a refusal counts only on its received date)."""
    return Q(received_date__lte=period.end) & (
        Q(finished_date__gte=period.start)
        | Q(finished_date__isnull=True)
        & (~Q(status=DossierStatus.REFUSED) | Q(received_date__gte=period.start))
    )


def _paused_at_end(period: Period, *, on_or_before_due_date: bool = False) -> Q:
    """A supplement request open at the end of the period: requested on or before its last
    day and completed (if ever) after it; optionally requested on or before the due date.

    The first test is an uncorrelated ``id IN (…)`` that PostgreSQL evaluates once and hashes;
    only dossiers in that set run the correlated test against their own due date.
    """
    open_at_end = SupplementRequest.objects.filter(
        Q(completed_at__isnull=True) | Q(completed_at__gte=period.end_at),
        requested_at__lt=period.end_at,
    )
    paused = Q(pk__in=open_at_end.values("dossier_id"))
    if not on_or_before_due_date:
        return paused
    in_time = (
        open_at_end.filter(dossier_id=OuterRef("pk"))
        .annotate(requested_date=TruncDate("requested_at", tzinfo=timezone.get_default_timezone()))
        .filter(requested_date__lte=OuterRef("due_date"))
    )
    return paused & Q(Exists(in_time))


def counter_conditions(period: Period) -> dict[str, Q]:
    """For each counter name, the condition a dossier row must meet to count in ``period``."""
    start, end = period.start, period.end
    refused = Q(status=DossierStatus.REFUSED)
    received_in_period = ~refused & Q(received_date__gte=start, received_date__lte=end)
    in_total = (
        ~refused
        & Q(received_date__lte=end)
        & (Q(finished_date__isnull=True) | Q(finished_date__gte=start))
    )
    ended_in_period = Q(finished_date__gte=start, finished_date__lte=end)
    resolved = in_total & Q(status__in=RESULT_STATUSES) & ended_in_period
    in_progress = in_total & (Q(finished_date__isnull=True) | Q(finished_date__gt=end))
    within = Q(due_date__gte=end) | _paused_at_end(period, on_or_before_due_date=True)
    conditions = {
        "received_online": received_in_period & Q(channel=Channel.ONLINE),
        "received_direct": received_in_period & Q(channel=Channel.DIRECT),
        "received_postal": received_in_period & Q(channel=Channel.POSTAL),
        "received_in_period": received_in_period,
        "carried_over": in_total & Q(received_date__lt=start),
        "received_total": in_total,
        "resolved": resolved,
        "resolved_early": resolved & Q(finished_date__lt=F("due_date")),
        "resolved_on_time": resolved & Q(finished_date=F("due_date")),
        "resolved_late": resolved & Q(finished_date__gt=F("due_date")),
        "in_progress": in_progress,
        "in_progress_within": in_progress & within,
        "in_progress_overdue": in_progress & ~within,
        "paused": in_progress & _paused_at_end(period),
        "withdrawn": in_total & Q(status__in=ENDED_WITHOUT_RESULT_STATUSES) & ended_in_period,
        "refused": refused & Q(received_date__gte=start, received_date__lte=end),
        "digitised": in_total & Q(digitised=True),
    }
    return conditions


def extra_conditions(period: Period) -> dict[str, Q]:
    """Conditions of the stored helper counts that are not official counters:
    ``digitised_received``, the part of ``digitised`` received in the period."""
    start, end = period.start, period.end
    in_total = (
        ~Q(status=DossierStatus.REFUSED)
        & Q(received_date__lte=end)
        & (Q(finished_date__isnull=True) | Q(finished_date__gte=start))
    )
    return {"digitised_received": in_total & Q(received_date__gte=start) & Q(digitised=True)}


def counters_query(
    dossiers: QuerySet[Dossier],
    period: Period,
    group_by: Sequence[str] = (),
    extra: Sequence[str] = (),
) -> QuerySet:
    """Every counter of ``dossiers`` in ``period``, in one query: one dict per ``group_by``
    value holding the group fields and every counter (groups with no relevant dossier are
    absent); without ``group_by``, exactly one dict of the counters (zeros when empty).
    ``extra``: names of :func:`extra_conditions` to count as well, after the counters."""
    conditions = counter_conditions(period)
    helpers = extra_conditions(period) if extra else {}
    # The helpers first: a condition on the field ``digitised`` would otherwise resolve to the
    # annotation of that name.
    counts = {name: Count("id", filter=helpers[name]) for name in extra}
    counts.update({name: Count("id", filter=conditions[name]) for name in COUNTERS})
    relevant = dossiers.filter(relevant_q(period)).order_by()
    if not group_by:
        # A constant group: no GROUP BY, so one row even over no dossier.
        return relevant.values(_everything=Value(1)).annotate(**counts).values(*counts)
    return relevant.values(*group_by).annotate(**counts).order_by()


def counters_total(dossiers: QuerySet[Dossier], period: Period) -> dict[str, int]:
    """Every counter over all of ``dossiers`` for ``period``; zeros when there are none."""
    conditions = counter_conditions(period)
    totals = (
        dossiers.filter(relevant_q(period))
        .order_by()
        .aggregate(**{name: Count("id", filter=conditions[name]) for name in COUNTERS})
    )
    return {name: totals[name] or 0 for name in COUNTERS}
