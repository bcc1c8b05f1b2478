"""Writes of the reports app: computing, refreshing and freezing the statistics rollups.

How the rollups stay fresh:

- :func:`rollups_refresh` recomputes one period for a set of receiving units with one grouped
  aggregate (:func:`reports.aggregate.counters_query`) and replaces exactly those units' rows of
  that period in one transaction. It is idempotent, and refreshes of the same period are
  serialised (a PostgreSQL advisory lock; SQLite serialises writers anyway) with the aggregate
  run *inside* the lock, so the last write is always computed from the latest data.
- Every dossier change marks the periods it touches as stale, in the change's own transaction
  (:func:`rollups_dirty_mark`, called by :mod:`reports.receivers`): for a change of one
  dossier only its own *cell* (receiving unit × procedure, the only rollup rows its state
  enters), for a bulk change (an import) every cell of the units involved. A debounced Celery
  task drains the marks (:func:`rollups_dirty_drain`), the periods that share a set of cells
  together (:func:`rollups_refresh_many`: the aggregate is compiled once and run per period,
  then one upsert and one delete). Recomputing a cell runs the very aggregate of a full
  refresh restricted to the cell's dossiers (an index on receiving unit, procedure version and
  received date finds them), so the result is the full recompute's, row for row, and the cost
  follows the changed dossiers' cells, not the size of the province: 1,000 changes are ~1,000
  cells × the dozen periods they touch. The beat job :func:`rollups_sweep` recomputes the
  current periods for every unit (overdue status follows the clock), marks again any cell whose
  rows are older than a dossier change of the last days (:func:`rollups_lost_marks_repair`: the
  safety net behind the marks) and drains what is marked.
- :func:`period_freeze` makes a closed period's rows an immutable snapshot: refresh, rebuild and
  the stale marks skip it from then on.
- :func:`rollups_compute_missing` computes a period for the units it was never computed for:
  what a page, the report command and the exports call before they read (the selectors only
  read).

Choices written down here because the design is silent:

- A period that has not started yet is never computed; one that is not over is computed as of
  today (:meth:`Period.as_of`) and stored under its full key.
- A stale mark that arrives for a pair already marked moves its ``marked_at`` forward and
  clears the drain's claim (upsert) instead of being ignored: a change committed while that
  pair is being recomputed must survive the drain's delete, which removes only the marks still
  claimed as it read them. The drain claims and deletes in two short transactions of its own
  and skips rows a desk's transaction holds, so it never makes a desk wait for a recompute.
- The sweep also recomputes the periods that contain *yesterday*: a period that just ended must
  be counted once more as of its real last day (in_progress_within / overdue at period end).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    DateTimeField,
    Expression,
    F,
    Field,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from dossiers.models import Dossier
from org.models import Unit
from procedures.models import ProcedureVersion

from .aggregate import counters_query
from .counters import COUNTERS
from .models import PeriodFreeze, Rollup, RollupDirty, RollupRun, UnitRollup
from .periods import (
    _SPANS,
    Period,
    PeriodKind,
    Scheme,
    period_from_key,
    period_make,
    periods_overlapping,
)
from .selectors import dossier_changes_since, units_never_computed

logger = logging.getLogger(__name__)

# The cells of a rollup: receiving unit × procedure (not version: a new version of a procedure
# is the same catalogue entry for the committee).
ROLLUP_GROUP_BY = ("receiving_unit_id", "procedure_version__procedure_id")

_BATCH_SIZE = 1000
# Periods recomputed per transaction by the drain: a month of one scheme's kinds and then some.
_DRAIN_PERIODS = 24


# Which periods a change touches (pure) ---------------------------------------------------------


def periods_affected(dates: Iterable[dt.date], today: dt.date) -> list[Period]:
    """Every period, of both schemes and all kinds, that a change dated ``dates`` alters.

    Stock counters (carried_over, in_progress) carry a dossier forward, so a change dated D
    alters every period that ends on or after D and starts on or before today.
    """
    dates = list(dates)
    if not dates:
        return []
    return list(_periods_from(min(dates), today))


@lru_cache(maxsize=1024)
def _periods_from(first: dt.date, today: dt.date) -> tuple[Period, ...]:
    # Every intake and step asks this after commit, nearly always for today: the few hundred
    # periods are computed once per (date, today).
    affected: list[Period] = []
    for scheme in Scheme:
        affected.extend(
            period
            for period in periods_overlapping(min(first, today), today, scheme=scheme)
            if period.end >= first
        )
    return tuple(affected)


def periods_current(today: dt.date) -> list[Period]:
    """The periods of both schemes and all kinds containing today or yesterday."""
    seen: dict[str, Period] = {}
    for day in (today - dt.timedelta(days=1), today):
        for scheme in Scheme:
            for period in periods_overlapping(day, day, scheme=scheme):
                seen.setdefault(period.key, period)
    return list(seen.values())


# Refresh ------------------------------------------------------------------------------------------


Cells = Iterable[tuple[int, int]]


def rollups_refresh(
    *,
    period: Period,
    unit_ids: Collection[int] | None = None,
    cells: Cells = (),
    today: dt.date | None = None,
) -> int:
    """Recompute ``period`` for the receiving units ``unit_ids`` (None: all) and the
    (receiving unit, procedure) ``cells``; rows written.

    A frozen period, or one that has not started, is left alone (0).
    """
    return rollups_refresh_many(periods=[period], unit_ids=unit_ids, cells=cells, today=today)


def rollups_refresh_many(
    *,
    periods: Iterable[Period],
    unit_ids: Collection[int] | None = None,
    cells: Cells = (),
    today: dt.date | None = None,
) -> int:
    """:func:`rollups_refresh` of several periods for the same units and cells in one
    transaction (one aggregate per period, one upsert and one delete for all); rows written."""
    return _refresh(periods=periods, unit_ids=unit_ids, cells=cells, today=today)


def rollups_compute_missing(
    *, periods: Iterable[Period], unit_ids: Collection[int], today: dt.date | None = None
) -> int:
    """Compute each of ``periods`` for the units of ``unit_ids`` it was never computed for (a
    fresh database, a period nobody asked for yet); rows written. Pages, the report command
    and the exports call it before reading the rollups; once computed, a period is kept fresh
    by the stale marks and the sweep."""
    written = 0
    for period in periods:
        missing = units_never_computed(period=period, unit_ids=unit_ids)
        if missing:
            written += rollups_refresh(period=period, unit_ids=missing, today=today)
    return written


def _refresh(
    *,
    periods: Iterable[Period],
    unit_ids: Collection[int] | None,
    today: dt.date | None,
    cells: Cells = (),
    statement: _CountersStatement | None = None,
) -> int:
    """Recompute ``periods`` for the whole units ``unit_ids`` (None: all) and the ``cells``
    in one transaction; rows written.

    The steps: lock every period read or written, leave the frozen ones, derive each longer
    period from its months where they can be trusted and compute the rest from the dossiers
    (months first), write the unit totals from the cells, and record a run for each whole
    unit."""
    today = today or timezone.localdate()
    periods = _periods_started(periods, today)
    scope = _Scope.of(unit_ids, cells)
    if not periods or scope.is_empty:
        return 0
    months_of = {
        period.key: _months_of(period, today)
        for period in periods
        if period.kind != PeriodKind.MONTH
    }
    every_key = {period.key for period in periods} | _keys_of_months(months_of)
    with transaction.atomic():
        _periods_lock(every_key)
        _plan_memory()
        frozen = _frozen_keys(every_key)
        periods = _periods_not_frozen(periods, frozen)
        if not periods:
            return 0
        derived = _periods_derivable(periods, months_of, frozen=frozen, scope=scope, today=today)
        computed = [period for period in periods if period not in derived]
        computed_at = timezone.now()
        written = _computed_write(
            computed,
            statement=statement or _CountersStatement(scope.dossiers()),
            scope=scope,
            today=today,
            at=computed_at,
        )
        _plan_default()
        written += _derived_write(derived, months_of, scope=scope, at=computed_at)
        keys = [period.key for period in periods]
        _unit_rollups_write(keys=keys, units=scope.units_touched, at=computed_at)
        _runs_record(periods, units=scope.units, today=today, at=computed_at)
    return written


def _periods_started(periods: Iterable[Period], today: dt.date) -> list[Period]:
    """``periods`` without repeats and those not started by ``today``, in key order."""
    started = {period.key: period for period in periods if period.start <= today}
    return sorted(started.values(), key=lambda period: period.key)


def _keys_of_months(months_of: dict[str, list[Period]]) -> set[str]:
    return {month.key for months in months_of.values() for month in months}


def _periods_lock(keys: Collection[str]) -> None:
    """Take the lock of every period in ``keys``, in key order: two writers never wait for
    each other in a cycle."""
    for key in sorted(keys):
        _period_lock(key)


def _periods_not_frozen(periods: list[Period], frozen: set[str]) -> list[Period]:
    """``periods`` without those whose key is ``frozen`` (logged: a refresh asked of them
    does nothing)."""
    skipped = sorted(period.key for period in periods if period.key in frozen)
    if skipped:
        logger.info("Rollups of %s are frozen: not recomputed.", ", ".join(skipped))
    return [period for period in periods if period.key not in frozen]


def _frozen_keys(keys: Iterable[str]) -> set[str]:
    return set(
        PeriodFreeze.objects.filter(period_key__in=list(keys)).values_list("period_key", flat=True)
    )


def _periods_derivable(
    periods: list[Period],
    months_of: dict[str, list[Period]],
    *,
    frozen: set[str],
    scope: _Scope,
    today: dt.date,
) -> list[Period]:
    """The longer ``periods`` that can be summed from their months (:func:`_rollup_derive`):
    none of their months is ``frozen``, and each is either refreshed in this call or
    settled."""
    requested = {period.key for period in periods}
    settled = _months_settled(
        {month for months in months_of.values() for month in months if month.key not in requested},
        scope.units_touched,
        today,
    )
    return [
        period
        for period in periods
        if period.key in months_of
        and not frozen & {month.key for month in months_of[period.key]}
        and all(month.key in requested or month.key in settled for month in months_of[period.key])
    ]


def _computed_write(
    periods: list[Period],
    *,
    statement: _CountersStatement,
    scope: _Scope,
    today: dt.date,
    at: dt.datetime,
) -> int:
    """Compute ``periods`` from the dossiers, months first (the longer periods derived after
    are summed from them), and delete the rows of ``scope`` no longer written (zero now);
    rows written. Each period is computed and written by the database in one statement: no
    row travels through Python (DESIGN §6)."""
    _plan_for_many_cells(scope.cell_count)
    written = sum(
        _rollup_upsert(period=period, statement=statement, today=today, at=at)
        for period in sorted(periods, key=lambda p: (p.kind != PeriodKind.MONTH, p.key))
    )
    _rollups_stale_delete(keys=[period.key for period in periods], scope=scope.rollups(), at=at)
    return written


def _derived_write(
    periods: list[Period], months_of: dict[str, list[Period]], *, scope: _Scope, at: dt.datetime
) -> int:
    """Write ``periods`` as the sums of their months' rows and delete the rows of ``scope``
    no longer written; rows written."""
    rows = scope.rollups()
    written = sum(
        _rollup_derive(period=period, months=months_of[period.key], scope=rows, at=at)
        for period in periods
    )
    _rollups_stale_delete(keys=[period.key for period in periods], scope=rows, at=at)
    return written


def _runs_record(
    periods: list[Period], *, units: list[int] | None, today: dt.date, at: dt.datetime
) -> None:
    """Record that every cell of ``units`` (None: every unit) was computed for ``periods`` at
    ``at``, as of the period's end or ``today``. A refresh of some cells records nothing: a
    run says "the whole unit"."""
    if units is None:
        units = list(Unit.objects.values_list("pk", flat=True))
    if not units:
        return
    RollupRun.objects.bulk_create(
        [
            RollupRun(
                period_key=period.key, unit_id=unit_id, computed_at=at, as_of=min(period.end, today)
            )
            for period in periods
            for unit_id in sorted(units)
        ],
        batch_size=_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["period_key", "unit"],
        update_fields=["computed_at", "as_of"],
    )


def _rollups_stale_delete(*, keys: list[str], scope: Q | None, at: dt.datetime) -> None:
    """Delete the rows of ``keys`` in ``scope`` (None: all) not written at ``at``."""
    if not keys:
        return
    stale = Rollup.objects.filter(period_key__in=keys).exclude(computed_at=at)
    if scope is not None:
        stale = stale.filter(scope)
    stale.delete()


def _unit_rollups_write(*, keys: list[str], units: list[int] | None, at: dt.datetime) -> None:
    """Rewrite the :class:`UnitRollup` rows of ``keys`` for ``units`` (None: all) as the sums
    of their :class:`Rollup` cells: one ``DELETE`` and one ``INSERT … SELECT … GROUP BY``."""
    if not keys or units == []:
        return
    stale = UnitRollup.objects.filter(period_key__in=keys)
    if units is not None:
        stale = stale.filter(unit_id__in=units)
    stale.delete()
    quote = connection.ops.quote_name
    group = [quote(name) for name in ("period_key", "scheme", "kind", "year", "index", "unit_id")]
    names = [quote(name) for name in (*COUNTERS, "digitised_received")]
    where = f"{quote('period_key')} IN ({', '.join(['%s'] * len(keys))})"
    params: list = [connection.ops.adapt_datetimefield_value(at), *keys]
    if units is not None:
        where += f" AND {quote('unit_id')} IN ({', '.join(['%s'] * len(units))})"
        params += units
    sql = (
        f"INSERT INTO {quote(UnitRollup._meta.db_table)} "
        f"({', '.join([*group, *names, quote('computed_at')])}) "
        f"SELECT {', '.join(group)}, "
        + ", ".join(f"SUM({name})" for name in names)
        + f", %s FROM {quote(Rollup._meta.db_table)} WHERE {where} GROUP BY {', '.join(group)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _months_of(period: Period, today: dt.date) -> list[Period]:
    """The months (same scheme) that make up ``period``, those started by ``today``."""
    first, last = _SPANS[period.kind][1](period.index)
    months = [
        period_make(kind=PeriodKind.MONTH, year=period.year, index=index, scheme=period.scheme)
        for index in range(first, last + 1)
    ]
    return [month for month in months if month.start <= today]


def _months_settled(months: Collection[Period], units: list[int] | None, today: dt.date) -> set:
    """Keys of the ``months`` that are over and whose rows were computed, for every unit of
    ``units`` (None: all), after they ended: rows that nothing but a dossier change (which
    marks them) can make stale."""
    over = {month.key: month.end for month in months if month.end < today}
    if not over:
        return set()
    runs = RollupRun.objects.filter(period_key__in=over)
    if units is not None:
        runs = runs.filter(unit_id__in=units)
    wanted = len(units) if units is not None else Unit.objects.count()
    done: dict[str, int] = defaultdict(int)
    for key, as_of in runs.values_list("period_key", "as_of"):
        if as_of is not None and as_of >= over[key]:
            done[key] += 1
    # A month still marked stale for one of the units is not settled, whatever its run says.
    marked = RollupDirty.objects.filter(period_key__in=over)
    if units is not None:
        marked = marked.filter(unit_id__in=units)
    pending = set(marked.values_list("period_key", flat=True).distinct())
    return {key for key, count in done.items() if count >= wanted and key not in pending}


# Counters that add up over the months of a period, and the stocks taken from its first or its
# last month (DESIGN §3; reports.counters: additive across units and procedures, not periods).
_FLOWS = (
    "received_online",
    "received_direct",
    "received_postal",
    "received_in_period",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "withdrawn",
    "refused",
    "digitised_received",
)
_LAST_MONTH = ("in_progress", "in_progress_within", "in_progress_overdue", "paused")


def _rollup_derive(
    *, period: Period, months: list[Period], scope: Q | None, at: dt.datetime
) -> int:
    """Write ``period``'s cells as the sum of its ``months``' stored rows; rows written.

    Exact, given that no dossier ends before it is received (the services and the import
    refuse that): a dossier received in the period is received in exactly one of its months,
    one resolved or withdrawn in it ended in exactly one month; ``carried_over`` is that of the
    first month (same start) and the stocks at the end those of the last month started (same
    end, the period being counted up to the same day); ``received_total`` = carried over +
    received; ``digitised`` = the first month's carried-over part + the received parts.
    """
    first, last = months[0].key, months[-1].key

    def on(key: str, name: str):
        return Sum(Case(When(period_key=key, then=F(name)), default=Value(0)))

    sums = {f"s_{name}": Sum(name) for name in _FLOWS}
    sums["s_carried_over"] = on(first, "carried_over")
    sums["s_digitised_carried"] = on(first, "digitised") - on(first, "digitised_received")
    sums.update({f"s_{name}": on(last, name) for name in _LAST_MONTH})
    rows = Rollup.objects.filter(period_key__in=[month.key for month in months])
    if scope is not None:
        rows = rows.filter(scope)
    inner = rows.values("unit_id", "procedure_id").annotate(**sums).order_by()
    aggregate, params = inner.query.get_compiler(connection=connection).as_sql()
    values = {name: f"q.s_{name}" for name in (*_FLOWS, "carried_over", *_LAST_MONTH)}
    values["received_total"] = "q.s_carried_over + q.s_received_in_period"
    values["digitised"] = "q.s_digitised_carried + q.s_digitised_received"
    return _rollup_insert(
        period=period,
        select=[values[name] for name in (*COUNTERS, "digitised_received")],
        source=aggregate,
        params=list(params),
        group=("q.unit_id", "q.procedure_id"),
        at=at,
    )


def rollups_rebuild(
    *,
    first: dt.date,
    last: dt.date,
    schemes: Iterable[str] = tuple(Scheme),
    kinds: Iterable[str] = tuple(PeriodKind),
    unit_ids: Collection[int] | None = None,
    today: dt.date | None = None,
    progress: Callable[[Period, int | None], None] | None = None,
) -> int:
    """Recompute every period overlapping [first, last]; rows written.

    ``progress(period, rows)`` is called after each period, with ``rows=None`` for a frozen
    period (skipped). Periods that have not started are not listed.
    """
    if last < first:
        raise ValueError(f"{first.isoformat()} is after {last.isoformat()}.")
    today = today or timezone.localdate()
    kinds = tuple(kinds)
    periods = [
        period
        for scheme in schemes
        for period in periods_overlapping(first, last, scheme=scheme, kinds=kinds)
        if period.start <= today
    ]
    frozen = _frozen_keys(period.key for period in periods)
    units = None if unit_ids is None else sorted(set(unit_ids))
    statement = _CountersStatement(_Scope.of(units, ()).dossiers())
    written = 0
    for period in periods:
        rows = None
        if period.key not in frozen:
            rows = _refresh(periods=[period], unit_ids=units, today=today, statement=statement)
            written += rows
        if progress is not None:
            progress(period, rows)
    return written


def period_freeze(
    *,
    period: Period,
    by: AbstractBaseUser | None,
    note: str = "",
    today: dt.date | None = None,
) -> PeriodFreeze:
    """Refresh a closed period one last time, then keep its rollups as they are for good."""
    today = today or timezone.localdate()
    if today <= period.end:
        raise ValidationError(
            _("Only a period that is over can be frozen: %(period)s ends on %(end)s.")
            % {"period": period.key, "end": period.end.isoformat()},
            code="not_over",
        )
    with transaction.atomic():
        _period_lock(period.key)
        if PeriodFreeze.objects.filter(period_key=period.key).exists():
            raise ValidationError(
                _("The period %(period)s is already frozen.") % {"period": period.key},
                code="already_frozen",
            )
        rollups_refresh(period=period, today=today)
        freeze = PeriodFreeze.objects.create(
            period_key=period.key, frozen_at=timezone.now(), frozen_by=by, note=note
        )
        audit_record(actor=by, action="freeze", instance=freeze, after=snapshot(freeze))
        return freeze


# Stale marks, the drain and the sweep -------------------------------------------------------------


def rollups_dirty_mark(
    *,
    dates: Iterable[dt.date],
    unit_ids: Iterable[int] = (),
    cells: Cells = (),
    today: dt.date | None = None,
) -> int:
    """Mark stale the periods a change dated ``dates`` touches, for every cell of ``unit_ids``
    and for the (receiving unit, procedure) ``cells``; marks written."""
    today = today or timezone.localdate()
    units = sorted({unit_id for unit_id in unit_ids if unit_id is not None})
    procedures_of = _cells_by_unit(cells, whole_units=units)
    scopes = [(unit_id, _ALL_PROCEDURES) for unit_id in units] + [
        (unit_id, procedure_id)
        for unit_id, procedure_ids in sorted(procedures_of.items())
        for procedure_id in sorted(procedure_ids)
    ]
    keys = sorted({period.key for period in periods_affected(dates, today)})
    if not scopes or not keys:
        return 0
    frozen = set(
        PeriodFreeze.objects.filter(period_key__in=keys).values_list("period_key", flat=True)
    )
    return _marks_write([(key, scope) for key in keys if key not in frozen for scope in scopes])


def _marks_write(marks: list[tuple[str, tuple[int, int]]]) -> int:
    """Upsert the marks [(period key, (unit, procedure key))]; marks written.

    Always in the same order (a desk's transaction holds its marks until it commits: two desks
    taking the same marks in the same order wait, never deadlock), and a new mark clears a
    drain's claim on the row (see the module docstring)."""
    marked_at = timezone.now()
    RollupDirty.objects.bulk_create(
        [
            RollupDirty(
                period_key=key,
                unit_id=unit_id,
                procedure_key=procedure_key,
                marked_at=marked_at,
                claimed_at=None,
            )
            for key, (unit_id, procedure_key) in sorted(set(marks))
        ],
        batch_size=_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["period_key", "unit", "procedure_key"],
        update_fields=["marked_at", "claimed_at"],
    )
    return len(set(marks))


def rollups_dirty_drain(*, today: dt.date | None = None) -> int:
    """Recompute every stale (period, unit) pair, the periods sharing a set of units
    together; rows written. Commits every few periods, so a long drain (an import of old
    dossiers) that is interrupted keeps what it did and leaves the rest marked."""
    keys = sorted(
        RollupDirty.objects.values_list("period_key", flat=True).distinct(),
        # Months first: the longer periods are derived from them.
        key=lambda key: (f":{PeriodKind.MONTH}:" not in key, key),
    )
    return sum(
        _dirty_drain_chunk(keys=keys[at : at + _DRAIN_PERIODS], today=today)
        for at in range(0, len(keys), _DRAIN_PERIODS)
    )


def rollups_sweep(*, today: dt.date | None = None) -> int:
    """Recompute the current periods for all units, mark again what a lost mark left stale,
    then drain every mark; rows written."""
    today = today or timezone.localdate()
    written = rollups_refresh_many(periods=periods_current(today), today=today)
    rollups_lost_marks_repair(today=today)
    return written + rollups_dirty_drain(today=today)


def rollups_lost_marks_repair(
    *, today: dt.date | None = None, since: dt.datetime | None = None
) -> int:
    """Mark stale every (period, cell) whose rows were computed before a change of one of its
    dossiers since ``since`` (default: ``ROLLUPS_REPAIR_HOURS`` ago); marks written.

    The marks are written with each change, so this finds nothing unless one was lost anyway
    (a database restored from a copy taken between a change and its mark, a drain that
    deleted a mark it did not recompute). A cell is fresh for a change made at T when its rows
    were computed at or after T, or its unit's run was (a run covers every cell of the unit):
    both are stamped when their recompute starts. A change older than the window needs
    ``manage.py rollups_rebuild``.
    """
    today = today or timezone.localdate()
    if since is None:
        since = timezone.now() - dt.timedelta(hours=settings.ROLLUPS_REPAIR_HOURS)
    changes = dossier_changes_since(since)
    if not changes:
        return 0
    # The periods a change dated D touches are those from D to today (see periods_affected).
    touched: dict[tuple[int, int], dict[str, dt.datetime]] = defaultdict(dict)
    for unit_id, procedure_id, first_date, changed_at in changes:
        stamps = touched[unit_id, procedure_id]
        for period in periods_affected([first_date], today):
            if stamps.get(period.key, changed_at) <= changed_at:
                stamps[period.key] = changed_at
    keys = {key for stamps in touched.values() for key in stamps}
    units = {unit_id for unit_id, _procedure_id in touched}
    run_at = dict(
        ((key, unit_id), computed_at)
        for key, unit_id, computed_at in RollupRun.objects.filter(
            period_key__in=keys, unit_id__in=units
        ).values_list("period_key", "unit_id", "computed_at")
    )
    row_at = dict(
        ((key, unit_id, procedure_id), computed_at)
        for key, unit_id, procedure_id, computed_at in Rollup.objects.filter(
            period_key__in=keys, unit_id__in=units
        ).values_list("period_key", "unit_id", "procedure_id", "computed_at")
    )
    frozen = set(
        PeriodFreeze.objects.filter(period_key__in=keys).values_list("period_key", flat=True)
    )
    lost = [
        (key, (unit_id, procedure_id))
        for (unit_id, procedure_id), stamps in touched.items()
        for key, changed_at in stamps.items()
        if key not in frozen
        and max(
            run_at.get((key, unit_id), _NEVER), row_at.get((key, unit_id, procedure_id), _NEVER)
        )
        < changed_at
    ]
    if lost:
        logger.warning(
            "%d stale rollup cell(s) had lost their mark; marked again for the drain.", len(lost)
        )
        _marks_write(lost)
    return len(lost)


_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


# Helpers ------------------------------------------------------------------------------------------


class _PeriodDate(Expression):
    """One date of the period in the rollup aggregate, compiled as a placeholder whose
    parameter names the period attribute (``start``, ``end``, ``start_at``, ``end_at``) that
    fills it when the statement runs."""

    def __init__(self, name: str, output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        return "%s", [_NamedParameter(self.name, self.output_field)]


@dataclass(frozen=True)
class _NamedParameter:
    """A parameter of :class:`_CountersStatement`'s SQL that a period's date fills."""

    name: str
    field: Field

    def value(self, period: Period):
        """The period's date, adapted for the database as the ORM adapts a literal date."""
        return self.field.get_db_prep_value(getattr(period, self.name), connection)


def _period_placeholders() -> SimpleNamespace:
    """A period whose dates are :class:`_PeriodDate` placeholders, to build the aggregate once
    (:func:`reports.aggregate.counters_query` reads only these four dates of a period)."""
    return SimpleNamespace(
        start=_PeriodDate("start", DateField()),
        end=_PeriodDate("end", DateField()),
        start_at=_PeriodDate("start_at", DateTimeField()),
        end_at=_PeriodDate("end_at", DateTimeField()),
    )


class _CountersStatement:
    """:func:`counters_query` of some dossiers, compiled once and run for many periods.

    Building and compiling the ORM aggregate costs far more than running it on a few cells'
    dossiers, and a change to an old dossier touches hundreds of periods. The aggregate is
    built once over a period of :class:`_PeriodDate` placeholders; each run fills them with
    its period's dates, every other parameter staying as compiled."""

    def __init__(self, dossiers: QuerySet[Dossier]) -> None:
        self.dossiers = dossiers
        self._compiled: tuple[str, list] | None = None

    def sql(self, period: Period) -> tuple[str, list]:
        """The aggregate's SQL and parameters for ``period``."""
        if self._compiled is None:
            query = counters_query(
                self.dossiers,
                _period_placeholders(),  # type: ignore[arg-type]
                group_by=ROLLUP_GROUP_BY,
                extra=("digitised_received",),
            ).query
            sql, params = query.get_compiler(connection=connection).as_sql()
            self._compiled = sql, list(params)
        sql, params = self._compiled
        return sql, [
            param.value(period) if isinstance(param, _NamedParameter) else param for param in params
        ]


def _dirty_drain_chunk(*, keys: list[str], today: dt.date | None) -> int:
    claimed, claimed_at = _marks_claim(keys)
    if not claimed:
        return 0
    scopes_of: dict[str, tuple[set[int], set[tuple[int, int]]]] = defaultdict(
        lambda: (set(), set())
    )
    for _pk, key, unit_id, procedure_key in claimed:
        units, cells = scopes_of[key]
        if procedure_key == _ALL_PROCEDURES:
            units.add(unit_id)
        else:
            cells.add((unit_id, procedure_key))
    periods_of: dict[tuple[frozenset, frozenset], list[Period]] = defaultdict(list)
    for key, (units, cells) in scopes_of.items():
        cells = {(unit_id, procedure_id) for unit_id, procedure_id in cells if unit_id not in units}
        try:
            periods_of[frozenset(units), frozenset(cells)].append(period_from_key(key))
        except ValueError:
            logger.warning("Dropping stale marks of an unknown period %r.", key)
    with transaction.atomic():
        written = sum(
            rollups_refresh_many(periods=periods, unit_ids=units, cells=cells, today=today)
            for (units, cells), periods in periods_of.items()
        )
    _marks_release(pks=[mark[0] for mark in claimed], claimed_at=claimed_at)
    return written


def _marks_claim(keys: list[str]) -> tuple[list[tuple[int, str, int, int]], dt.datetime]:
    """Claim the marks of ``keys`` not claimed by a live drain, in a short transaction of its
    own; the marks (pk, period key, unit, procedure key) and the claim's time."""
    claimed_at = timezone.now()
    expired = claimed_at - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    with transaction.atomic():
        marks = RollupDirty.objects.filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=expired), period_key__in=keys
        ).order_by("period_key", "unit_id", "procedure_key")
        if connection.features.has_select_for_update_skip_locked:
            # Marks a desk's transaction is writing, or another drain is claiming, are left.
            marks = marks.select_for_update(skip_locked=True)
        # Plain tuples: a drain of 1,000 changes reads ~7,000 marks.
        claimed = list(marks.values_list("pk", "period_key", "unit_id", "procedure_key"))
        for at in range(0, len(claimed), _BATCH_SIZE):
            RollupDirty.objects.filter(
                pk__in=[mark[0] for mark in claimed[at : at + _BATCH_SIZE]]
            ).update(claimed_at=claimed_at)
    return claimed, claimed_at


def _marks_release(*, pks: list[int], claimed_at: dt.datetime) -> None:
    """Delete the marks still claimed at ``claimed_at``: one marked again since (claim cleared)
    is kept, and so is one a desk's transaction is marking again right now (skipped, not
    waited for)."""
    for at in range(0, len(pks), _BATCH_SIZE):
        with transaction.atomic():
            done = RollupDirty.objects.filter(
                pk__in=pks[at : at + _BATCH_SIZE], claimed_at=claimed_at
            )
            if connection.features.has_select_for_update_skip_locked:
                done = RollupDirty.objects.filter(
                    pk__in=list(
                        done.select_for_update(skip_locked=True).values_list("pk", flat=True)
                    )
                )
            done.delete()


# RollupDirty.procedure_key of a mark that covers every procedure of its unit.
_ALL_PROCEDURES = 0


@dataclass(frozen=True)
class _Scope:
    """What a refresh recomputes: the whole ``units`` (None: every unit) and, of other units,
    the cells ``procedures_of`` ({unit: its procedures})."""

    units: list[int] | None
    procedures_of: dict[int, set[int]]

    @classmethod
    def of(cls, unit_ids: Collection[int] | None, cells: Cells) -> _Scope:
        units = None if unit_ids is None else sorted(set(unit_ids))
        return cls(units=units, procedures_of=_cells_by_unit(cells, whole_units=units))

    @property
    def is_empty(self) -> bool:
        return self.units == [] and not self.procedures_of

    @property
    def units_touched(self) -> list[int] | None:
        """Every unit with a cell in the scope (None: all)."""
        return None if self.units is None else sorted({*self.units, *self.procedures_of})

    @property
    def cell_count(self) -> int:
        return sum(len(procedures) for procedures in self.procedures_of.values())

    def dossiers(self) -> QuerySet[Dossier]:
        return _dossiers_of(self.units, self.procedures_of)

    def rollups(self) -> Q | None:
        """The scope's rollup rows (None: every row)."""
        return None if self.units is None else _rollups_of(self.units, self.procedures_of)


def _cells_by_unit(cells: Cells, *, whole_units: list[int] | None) -> dict[int, set[int]]:
    """{unit: its procedures} of ``cells``, without the units refreshed whole anyway."""
    if whole_units is None:
        return {}
    whole = set(whole_units)
    procedures_of: dict[int, set[int]] = defaultdict(set)
    for unit_id, procedure_id in cells:
        if unit_id is not None and procedure_id is not None and unit_id not in whole:
            procedures_of[unit_id].add(procedure_id)
    return dict(procedures_of)


def _dossiers_of(units: list[int] | None, procedures_of: dict[int, set[int]]) -> QuerySet[Dossier]:
    """The dossiers of the whole ``units`` (None: all) and of the cells ``procedures_of``.

    A cell is asked for by its procedure versions, as ``(unit, version) IN (VALUES …)``: the
    database finds the period's relevant dossiers as for a full refresh and keeps those of the
    cells with one hash lookup each, however many cells there are.
    """
    dossiers = Dossier.objects.all()
    if units is None:
        return dossiers
    versions_of: dict[int, list[int]] = defaultdict(list)
    if procedures_of:
        wanted = set().union(*procedures_of.values())
        for version_id, procedure_id in ProcedureVersion.objects.filter(
            procedure_id__in=wanted
        ).values_list("id", "procedure_id"):
            versions_of[procedure_id].append(version_id)
    pairs = sorted(
        (unit_id, version_id)
        for unit_id, procedure_ids in procedures_of.items()
        for procedure_id in procedure_ids
        for version_id in versions_of.get(procedure_id, ())
    )
    table = Dossier._meta.db_table
    return dossiers.filter(
        _scope(units, pairs, (f"{table}.receiving_unit_id", f"{table}.procedure_version_id"))
    )


def _rollups_of(units: list[int], procedures_of: dict[int, set[int]]) -> Q:
    """The rollup rows of the whole ``units`` and of the cells ``procedures_of``."""
    pairs = sorted(
        (unit_id, procedure_id)
        for unit_id, procedure_ids in procedures_of.items()
        for procedure_id in procedure_ids
    )
    table = Rollup._meta.db_table
    return _scope(units, pairs, (f"{table}.unit_id", f"{table}.procedure_id"))


def _scope(units: list[int], pairs: list[tuple[int, int]], columns: tuple[str, str]) -> Q:
    """``units`` whole (the first column in them) or one of the ``pairs`` of both columns."""
    scope = Q(pk__in=[])
    if units:
        scope |= Q(**{f"{columns[0].split('.')[1]}__in": units})
    if pairs:
        quote = connection.ops.quote_name
        left = ", ".join(".".join(quote(part) for part in column.split(".")) for column in columns)
        values = ", ".join(["(%s, %s)"] * len(pairs))
        scope |= Q(
            RawSQL(
                f"({left}) IN (VALUES {values})",
                [value for pair in pairs for value in pair],
                output_field=BooleanField(),
            )
        )
    return scope


def _rollup_upsert(
    *, period: Period, statement: _CountersStatement, today: dt.date, at: dt.datetime
) -> int:
    """Write the non-zero cells of ``period`` (counted as of ``today``) with one
    ``INSERT … SELECT … ON CONFLICT DO UPDATE``; rows written."""
    quote = connection.ops.quote_name
    aggregate, params = statement.sql(period.as_of(today))
    return _rollup_insert(
        period=period,
        select=[f"q.{quote(name)}" for name in (*COUNTERS, "digitised_received")],
        source=aggregate,
        params=params,
        group=tuple(f"q.{quote(column)}" for column in ROLLUP_GROUP_BY),
        at=at,
    )


def _rollup_insert(
    *,
    period: Period,
    select: list[str],
    source: str,
    params: list,
    group: tuple[str, str],
    at: dt.datetime,
) -> int:
    """``INSERT INTO rollup … SELECT <select> FROM (<source>) q`` of the non-zero rows, upserted
    on (period, unit, procedure); rows written."""
    quote = connection.ops.quote_name
    names = [quote(name) for name in (*COUNTERS, "digitised_received")]
    columns = ", ".join(
        [quote(name) for name in ("period_key", "scheme", "kind", "year", "index")]
        + [quote("unit_id"), quote("procedure_id"), *names, quote("computed_at")]
    )
    sql = (
        f"INSERT INTO {quote(Rollup._meta.db_table)} ({columns}) "
        f"SELECT %s, %s, %s, %s, %s, {group[0]}, {group[1]}, "
        + ", ".join(select)
        + f", %s FROM ({source}) q WHERE "
        + " OR ".join(f"({expression}) > 0" for expression in select[: len(COUNTERS)])
        + f" ON CONFLICT ({quote('period_key')}, {quote('unit_id')}, {quote('procedure_id')}) "
        "DO UPDATE SET "
        + ", ".join(f"{column} = excluded.{column}" for column in [*names, quote("computed_at")])
    )
    values = [period.key, period.scheme, period.kind, period.year, period.index]
    values.append(connection.ops.adapt_datetimefield_value(at))
    with connection.cursor() as cursor:
        cursor.execute(sql, values + list(params))
        return cursor.rowcount


# From this many cells on, reading the period's relevant dossiers once (a hash join with the
# cells) beats reading each cell's whole history through its index.
_MANY_CELLS = 100


def _plan_for_many_cells(cells: int) -> None:
    """PostgreSQL estimates one dossier per cell and would walk each cell's history through
    the (unit, version, received date) index, slower for many cells than one scan of the
    period's relevant dossiers hashed against the cells (bench/README.md). For many cells,
    tell the planner so for the rest of this transaction."""
    if connection.vendor == "postgresql" and cells >= _MANY_CELLS:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_nestloop = off")


# Memory for the aggregates' sorts and bitmaps in a refresh (PostgreSQL's default is 4 MB).
_REFRESH_WORK_MEM = "64MB"


def _plan_memory() -> None:
    """Let the refresh sort and hash in memory for the rest of its transaction: with the
    default 4 MB a large province's quarter sorts on disk and the bitmap of a month's open
    dossiers turns lossy (bench/README.md)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{_REFRESH_WORK_MEM}'")


def _plan_default() -> None:
    """Back to the planner's own choices for the rest of the transaction: what follows the
    dossier aggregates (the derived periods, the unit totals) reads rollup rows, which the
    cells find best through the rollup index one by one (bench/README.md)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")


def _period_lock(key: str) -> None:
    """Serialise writers of one period's rollups until the transaction ends (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"reports.rollup:{key}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
        )
