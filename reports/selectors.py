"""Reads of the statistics rollups: what the report command and the dashboard show.

Sums of :class:`~reports.models.Rollup` rows: every counter is additive across receiving units
and procedures of one period (``reports.counters``), so any subtree or grouping is a ``SUM``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db.models import Q, Sum

from dossiers.models import Dossier

from .counters import COUNTERS
from .models import PeriodFreeze, Rollup, RollupRun, UnitRollup
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


def rollups_missing(*, period: Period, unit_ids: Collection[int]) -> bool:
    """Whether ``period`` was never computed for some of ``unit_ids`` (computed and all zero
    is not missing)."""
    unit_ids = set(unit_ids)
    computed = RollupRun.objects.filter(period_key=period.key, unit_id__in=unit_ids).values_list(
        "unit_id", flat=True
    )
    return bool(unit_ids - set(computed))


def period_counters_ensured(
    *,
    period: Period,
    unit_ids: Collection[int],
    group_by: str | None = None,
    today: dt.date | None = None,
) -> dict:
    """:func:`period_counters`, computing the rollups first for the units never computed (a
    fresh database, a period nobody asked for yet)."""
    from .services import rollups_refresh

    unit_ids = set(unit_ids)
    computed = set(
        RollupRun.objects.filter(period_key=period.key, unit_id__in=unit_ids).values_list(
            "unit_id", flat=True
        )
    )
    if unit_ids - computed:
        rollups_refresh(period=period, unit_ids=unit_ids - computed, today=today)
    return period_counters(period=period, unit_ids=unit_ids, group_by=group_by)


def quarter_shown_by_default(
    *, unit_ids: Collection[int], scheme: str, today: dt.date
) -> tuple[int, int]:
    """The quarter a dashboard opens on when none is asked for: the current one (``today``'s,
    under ``scheme``) if dossiers count in it for ``unit_ids``, else the latest quarter that
    has some, else the current one.

    "Has dossiers": ``received_total`` > 0 (received in it or carried into it). Read from the
    rollups: the current quarter is computed first when it never was (the page would compute
    it to show it anyway); earlier quarters are one indexed query on the unit totals, no scan
    of the dossiers (a quarter never computed is not looked for).
    """
    (current,) = periods_containing(today, scheme=scheme, kinds=[PeriodKind.QUARTER])
    unit_ids = set(unit_ids)
    if period_counters_ensured(period=current, unit_ids=unit_ids, today=today)["received_total"]:
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


def dossier_rollup_cell(dossier_id: int) -> tuple[int, int, dt.date] | None:
    """The rollup cell of a dossier (receiving unit id, procedure id) and its received date;
    None when it is gone."""
    return (
        Dossier.objects.filter(pk=dossier_id)
        .values_list("receiving_unit_id", "procedure_version__procedure_id", "received_date")
        .first()
    )


def period_is_frozen(period: Period) -> bool:
    return PeriodFreeze.objects.filter(period_key=period.key).exists()


def _counters_of(sums: dict) -> dict[str, int]:
    return {name: sums[f"sum_{name}"] or 0 for name in COUNTERS}
