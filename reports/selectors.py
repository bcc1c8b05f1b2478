"""Reads of the statistics rollups: what the report command and the dashboard show.

Sums of :class:`~reports.models.Rollup` rows: every counter is additive across receiving units
and procedures of one period (``reports.counters``), so any subtree or grouping is a ``SUM``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Min, Q, Sum

from audit.models import AuditEntry
from dossiers.models import Dossier, Event, EventKind
from dossiers.models import local_date as dossier_local_date

from .counters import COUNTERS
from .models import Rollup, RollupRun, UnitRollup
from .periods import Period, PeriodKind, periods_containing

# group_by → the rollup column it groups on.
_GROUPINGS = {"unit": "unit_id", "level": "unit__level", "procedure": "procedure_id"}


def period_counters(
    *, period: Period, unit_ids: Collection[int], group_by: str | None = None
) -> dict:
    """The counters of ``period`` summed over the receiving units ``unit_ids``.

    ``group_by`` None: one dict of every counter (zeros when there is nothing). "unit":
    {unit id: counters}; "level": {level of the receiving unit: counters}; "procedure":
    {procedure id: counters}. A group without any rollup row is absent (all its counters are
    zero): callers list the units they want and default to ``zero_counters()``.
    """
    unit_ids = set(unit_ids)
    # Totals, per unit and per level: the unit totals, one row per unit (the sums of the
    # cells, written with them); per procedure: the cells.
    model = Rollup if group_by == "procedure" else UnitRollup
    rows = model.objects.filter(period_key=period.key, unit_id__in=unit_ids)
    # Aliases: an annotation may not reuse a field's name.
    sums = {f"sum_{name}": Sum(name) for name in COUNTERS}
    if group_by is None:
        return _counters_of(rows.aggregate(**sums))
    if group_by not in _GROUPINGS:
        raise ValueError(
            f"group_by must be None or one of {', '.join(_GROUPINGS)}, not {group_by!r}."
        )
    column = _GROUPINGS[group_by]
    return {
        row[column]: _counters_of(row)
        for row in rows.values(column).annotate(**sums).order_by(column)
    }


def units_never_computed(*, period: Period, unit_ids: Collection[int]) -> set[int]:
    """The units of ``unit_ids`` that ``period`` was never computed for (computed and all zero
    is computed)."""
    computed = RollupRun.objects.filter(period_key=period.key, unit_id__in=set(unit_ids))
    return set(unit_ids) - set(computed.values_list("unit_id", flat=True))


def quarter_shown_by_default(
    *, unit_ids: Collection[int], scheme: str, today: dt.date
) -> tuple[int, int]:
    """The quarter a dashboard opens on when none is asked for: the current one (``today``'s,
    under ``scheme``) if dossiers count in it for ``unit_ids``, else the latest quarter that
    has some, else the current one.

    "Has dossiers": ``received_total`` > 0 (received in it or carried into it). Read from the
    rollups only: the caller computes the current quarter first if it never was
    (:func:`reports.services.rollups_compute_missing`); earlier quarters are one indexed query
    on the unit totals, no scan of the dossiers (a quarter never computed is not looked for).
    """
    (current,) = periods_containing(today, scheme=scheme, kinds=[PeriodKind.QUARTER])
    unit_ids = set(unit_ids)
    if period_counters(period=current, unit_ids=unit_ids)["received_total"]:
        return current.year, current.index
    latest = (
        UnitRollup.objects.filter(
            Q(year__lt=current.year) | Q(year=current.year, index__lt=current.index),
            scheme=scheme,
            kind=PeriodKind.QUARTER,
            unit_id__in=unit_ids,
            received_total__gt=0,
        )
        .order_by("-year", "-index")
        .values_list("year", "index")
        .first()
    )
    return latest or (current.year, current.index)


# Steps whose statistics change starts at the step's own date (see reports.receivers): the
# others (intake, refusal, a completed supplement moving the due date) from the received date.
_FROM_STEP_DATE = frozenset(
    {
        EventKind.TRANSFERRED,
        EventKind.SUPPLEMENT_REQUESTED,
        EventKind.FINISHED,
        EventKind.RETURNED,
        EventKind.WITHDRAWN,
        EventKind.STOPPED,
        EventKind.APOLOGY_ISSUED,
    }
)


Change = tuple[int, int, dt.date, dt.datetime]

# The rollup cell and received date of a dossier, as read by the two kinds of change.
_CELL = ("receiving_unit_id", "procedure_version__procedure_id", "received_date")


def dossier_changes_since(since: dt.datetime) -> list[Change]:
    """The dossier changes made since ``since``, as (receiving unit, procedure, the first date
    whose periods the change alters, when it was made), the latest per cell and date.

    Intakes and imports are found by the dossier's ``created_at``, the steps by their audit
    entries (every service writes one, dated when it was made; the event's own date may be
    back-dated)."""
    latest: dict[tuple[int, int, dt.date], dt.datetime] = {}
    for unit_id, procedure_id, first_date, changed_at in (
        *_intakes_since(since),
        *_steps_since(since),
    ):
        key = (unit_id, procedure_id, first_date)
        if latest.get(key, changed_at) <= changed_at:
            latest[key] = changed_at
    return [(*key, changed_at) for key, changed_at in latest.items()]


def _intakes_since(since: dt.datetime) -> list[Change]:
    """Dossiers created since ``since``: they alter the periods from their received date."""
    return list(
        Dossier.objects.filter(created_at__gte=since)
        .values(*_CELL)
        .annotate(last=Max("created_at"))
        .order_by()
        .values_list(*_CELL, "last")
    )


def _steps_since(since: dt.datetime) -> list[Change]:
    """Steps taken since ``since`` (their audit entries), each dated from the step's own date
    (:data:`_FROM_STEP_DATE`) or the dossier's received date."""
    steps = (
        AuditEntry.objects.filter(
            at__gte=since,
            content_type=ContentType.objects.get_for_model(Dossier),
            action__in=EventKind.values,
        )
        .values("object_id", "action")
        .annotate(last=Max("at"))
        .order_by()
        .values_list("object_id", "action", "last")
    )
    changed: dict[int, list[tuple[str, dt.datetime]]] = {}
    for object_id, action, last in steps:
        if object_id.isdecimal():
            changed.setdefault(int(object_id), []).append((action, last))
    found: list[Change] = []
    for at in range(0, len(changed), 1000):
        ids = list(changed)[at : at + 1000]
        cells = {
            pk: (unit_id, procedure_id, received_date)
            for pk, unit_id, procedure_id, received_date in Dossier.objects.filter(
                pk__in=ids
            ).values_list("pk", *_CELL)
        }
        step_at = {
            (dossier_id, kind): first
            for dossier_id, kind, first in Event.objects.filter(
                dossier_id__in=ids, kind__in=_FROM_STEP_DATE
            )
            .values("dossier_id", "kind")
            .annotate(first=Min("at"))
            .order_by()
            .values_list("dossier_id", "kind", "first")
        }
        for pk, (unit_id, procedure_id, received_date) in cells.items():
            for action, last in changed[pk]:
                first = step_at.get((pk, action)) if action in _FROM_STEP_DATE else None
                found.append(
                    (
                        unit_id,
                        procedure_id,
                        received_date if first is None else dossier_local_date(first),
                        last,
                    )
                )
    return found


def dossier_rollup_cell(dossier_id: int) -> tuple[int, int, dt.date] | None:
    """The rollup cell of a dossier (receiving unit id, procedure id) and its received date;
    None when it is gone."""
    return (
        Dossier.objects.filter(pk=dossier_id)
        .values_list("receiving_unit_id", "procedure_version__procedure_id", "received_date")
        .first()
    )


def _counters_of(sums: dict) -> dict[str, int]:
    return {name: sums[f"sum_{name}"] or 0 for name in COUNTERS}
