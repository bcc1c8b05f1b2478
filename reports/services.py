"""Writes of the reports app: computing, refreshing and freezing the statistics rollups.

How the rollups stay fresh:

- :func:`rollups_refresh` recomputes one period for a set of receiving units with one grouped
  aggregate (:func:`reports.aggregate.counters_query`) and replaces exactly those units' rows of
  that period in one transaction. It is idempotent, and refreshes of the same period are
  serialised (a PostgreSQL advisory lock; SQLite serialises writers anyway) with the aggregate
  run *inside* the lock, so the last write is always computed from the latest data.
- Every committed dossier change marks the (period, unit) pairs it touches as stale
  (:func:`rollups_dirty_mark`, called by :mod:`reports.receivers`); a debounced Celery task
  drains them (:func:`rollups_dirty_drain`), the periods that share a set of units together
  (:func:`rollups_refresh_many`: the aggregate is compiled once and run per period, then one
  upsert and one delete); the beat job :func:`rollups_sweep` recomputes the current periods
  (overdue status follows the clock) and drains any leftover.
- :func:`period_freeze` makes a closed period's rows an immutable snapshot: refresh, rebuild and
  the stale marks skip it from then on.

Choices written down here because the design is silent:

- A period that has not started yet is never computed; one that is not over is computed as of
  today (:meth:`Period.as_of`) and stored under its full key.
- A stale mark that arrives for a pair already marked moves its ``marked_at`` forward (upsert)
  instead of being ignored: a change committed while that pair is being recomputed must survive
  the drain's delete, which removes only the marks it read.
- The sweep also recomputes the periods that contain *yesterday*: a period that just ended must
  be counted once more as of its real last day (in_progress_within / overdue at period end).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from org.models import Unit

from .aggregate import counters_query
from .counters import COUNTERS
from .models import PeriodFreeze, Rollup, RollupDirty, RollupRun
from .periods import Period, PeriodKind, Scheme, period_from_key, periods_overlapping

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
    first = min(dates)
    affected: list[Period] = []
    for scheme in Scheme:
        affected.extend(
            period
            for period in periods_overlapping(min(first, today), today, scheme=scheme)
            if period.end >= first
        )
    return affected


def periods_current(today: dt.date) -> list[Period]:
    """The periods of both schemes and all kinds containing today or yesterday."""
    seen: dict[str, Period] = {}
    for day in (today - dt.timedelta(days=1), today):
        for scheme in Scheme:
            for period in periods_overlapping(day, day, scheme=scheme):
                seen.setdefault(period.key, period)
    return list(seen.values())


# Refresh ------------------------------------------------------------------------------------------


def rollups_refresh(
    *,
    period: Period,
    unit_ids: Collection[int] | None = None,
    today: dt.date | None = None,
) -> int:
    """Recompute ``period`` for the receiving units ``unit_ids`` (None: all); rows written.

    A frozen period, or one that has not started, is left alone (0).
    """
    return rollups_refresh_many(periods=[period], unit_ids=unit_ids, today=today)


def rollups_refresh_many(
    *,
    periods: Iterable[Period],
    unit_ids: Collection[int] | None = None,
    today: dt.date | None = None,
) -> int:
    """:func:`rollups_refresh` of several periods for the same units in one transaction (one
    aggregate per period, one upsert and one delete for all); rows written."""
    return _refresh(periods=periods, unit_ids=unit_ids, today=today)


def _refresh(
    *,
    periods: Iterable[Period],
    unit_ids: Collection[int] | None,
    today: dt.date | None,
    statement: _CountersStatement | None = None,
) -> int:
    today = today or timezone.localdate()
    periods = sorted(
        {period.key: period for period in periods if period.start <= today}.values(),
        key=lambda period: period.key,
    )
    units = None if unit_ids is None else sorted(set(unit_ids))
    if not periods or units == []:
        return 0
    with transaction.atomic():
        for period in periods:  # in key order: two writers never wait on each other in a cycle
            _period_lock(period.key)
        frozen = set(
            PeriodFreeze.objects.filter(
                period_key__in=[period.key for period in periods]
            ).values_list("period_key", flat=True)
        )
        if frozen:
            logger.info("Rollups of %s are frozen: not recomputed.", ", ".join(sorted(frozen)))
        periods = [period for period in periods if period.key not in frozen]
        if not periods:
            return 0
        statement = statement or _CountersStatement(_dossiers_of(units))
        computed_at = timezone.now()
        # Computed and written by the database in one statement per period: no row travels
        # through Python (DESIGN §6, INSERT … ON CONFLICT DO UPDATE).
        written = sum(
            _rollup_upsert(period=period, statement=statement, today=today, at=computed_at)
            for period in periods
        )
        keys = [period.key for period in periods]
        stale = Rollup.objects.filter(period_key__in=keys).exclude(computed_at=computed_at)
        if units is not None:
            stale = stale.filter(unit_id__in=units)
        stale.delete()
        run_units = units if units is not None else list(Unit.objects.values_list("pk", flat=True))
        RollupRun.objects.bulk_create(
            [
                RollupRun(period_key=key, unit_id=unit_id, computed_at=computed_at)
                for key in keys
                for unit_id in sorted(run_units)
            ],
            batch_size=_BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["period_key", "unit"],
            update_fields=["computed_at"],
        )
    return written


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
    frozen = set(
        PeriodFreeze.objects.filter(period_key__in=[period.key for period in periods]).values_list(
            "period_key", flat=True
        )
    )
    units = None if unit_ids is None else sorted(set(unit_ids))
    statement = _CountersStatement(_dossiers_of(units))
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
        return PeriodFreeze.objects.create(
            period_key=period.key, frozen_at=timezone.now(), frozen_by=by, note=note
        )


# Stale marks, the drain and the sweep -------------------------------------------------------------


def rollups_dirty_mark(
    *, dates: Iterable[dt.date], unit_ids: Iterable[int], today: dt.date | None = None
) -> int:
    """Mark stale the periods a change dated ``dates`` touches, for ``unit_ids``; pairs marked."""
    today = today or timezone.localdate()
    units = sorted({unit_id for unit_id in unit_ids if unit_id is not None})
    keys = sorted({period.key for period in periods_affected(dates, today)})
    if not units or not keys:
        return 0
    frozen = set(
        PeriodFreeze.objects.filter(period_key__in=keys).values_list("period_key", flat=True)
    )
    marked_at = timezone.now()
    marks = [
        RollupDirty(period_key=key, unit_id=unit_id, marked_at=marked_at)
        for key in keys
        if key not in frozen
        for unit_id in units
    ]
    RollupDirty.objects.bulk_create(
        marks,
        batch_size=_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["period_key", "unit"],
        update_fields=["marked_at"],
    )
    return len(marks)


def rollups_dirty_drain(*, today: dt.date | None = None) -> int:
    """Recompute every stale (period, unit) pair, the periods sharing a set of units
    together; rows written. Commits every few periods, so a long drain (an import of old
    dossiers) that is interrupted keeps what it did and leaves the rest marked."""
    keys = list(
        RollupDirty.objects.order_by("period_key").values_list("period_key", flat=True).distinct()
    )
    return sum(
        _dirty_drain_chunk(keys=keys[at : at + _DRAIN_PERIODS], today=today)
        for at in range(0, len(keys), _DRAIN_PERIODS)
    )


def rollups_sweep(*, today: dt.date | None = None) -> int:
    """Recompute the current periods for all units, then drain leftover marks; rows written."""
    today = today or timezone.localdate()
    written = rollups_refresh_many(periods=periods_current(today), today=today)
    return written + rollups_dirty_drain(today=today)


# Helpers ------------------------------------------------------------------------------------------


# Two made-up periods whose dates appear nowhere else in the compiled aggregate.
_SENTINELS = (
    Period("calendar", "quarter", 1901, 1, dt.date(1901, 1, 7), dt.date(1901, 2, 11)),
    Period("calendar", "quarter", 1902, 1, dt.date(1902, 3, 5), dt.date(1902, 4, 16)),
)
_PERIOD_VALUES = ("start", "end", "start_at", "end_at")


class _CountersStatement:
    """:func:`counters_query` of some dossiers, compiled once and run for many periods.

    Building and compiling the ORM aggregate costs ~15 ms, far more than running it on a unit's
    dossiers, and a change to an old dossier touches hundreds of periods. The SQL is the same
    for every period; only the period's dates among the parameters differ. Two compilations
    with made-up periods show which parameters those are; if anything else differs (a new
    kind of condition in reports.aggregate), every period is compiled as before.
    """

    def __init__(self, dossiers) -> None:
        self.dossiers = dossiers
        self.runs = 0
        self.slots: dict[int, tuple[str, Callable]] | None = None

    def sql(self, period: Period) -> tuple[str, list]:
        """The aggregate's SQL and parameters for ``period``."""
        self.runs += 1
        if self.runs == 2:  # worth compiling the template from the second period on
            self._prepare()
        if not self.slots:
            sql, params = self._compile(period)
            return sql, list(params)
        params = list(self.params)
        for position, (name, adapt) in self.slots.items():
            params[position] = adapt(getattr(period, name))
        return self.sql_template, params

    def _prepare(self) -> None:
        first, second = (self._compile(sentinel) for sentinel in _SENTINELS)
        self.sql_template, self.params = first
        if first[0] != second[0] or len(first[1]) != len(second[1]):
            return
        slots = {}
        for position, (one, other) in enumerate(zip(first[1], second[1], strict=True)):
            if one == other:
                continue
            slot = self._slot(_SENTINELS[0], one)
            if slot is None or self._slot(_SENTINELS[1], other) != slot:
                return
            slots[position] = slot
        self.slots = slots

    def _compile(self, period: Period) -> tuple[str, tuple]:
        query = counters_query(self.dossiers, period, group_by=ROLLUP_GROUP_BY).query
        return query.get_compiler(connection=connection).as_sql()

    @staticmethod
    def _slot(sentinel: Period, value) -> tuple[str, Callable] | None:
        """Which date of ``sentinel`` a parameter holds, and how it was adapted for the
        database."""
        ops = connection.ops
        for name in _PERIOD_VALUES:
            adapters = (
                (ops.adapt_datetimefield_value,)
                if name.endswith("_at")
                else (ops.adapt_datefield_value,)
            )
            for adapt in (*adapters, lambda value: value):
                if adapt(getattr(sentinel, name)) == value:
                    return name, adapt
        return None


def _dirty_drain_chunk(*, keys: list[str], today: dt.date | None) -> int:
    with transaction.atomic():
        claimed = RollupDirty.objects.filter(period_key__in=keys).order_by("period_key", "unit_id")
        if connection.features.has_select_for_update_skip_locked:
            # Another worker draining at the same time takes the other marks, not these.
            claimed = claimed.select_for_update(skip_locked=True)
        claimed = list(claimed.only("pk", "period_key", "unit_id", "marked_at"))
        if not claimed:
            return 0
        units_of: dict[str, set[int]] = defaultdict(set)
        for mark in claimed:
            units_of[mark.period_key].add(mark.unit_id)
        periods_of: dict[frozenset[int], list[Period]] = defaultdict(list)
        for key, units in units_of.items():
            try:
                periods_of[frozenset(units)].append(period_from_key(key))
            except ValueError:
                logger.warning("Dropping stale marks of an unknown period %r.", key)
        written = sum(
            rollups_refresh_many(periods=periods, unit_ids=units, today=today)
            for units, periods in periods_of.items()
        )
        # Only the marks read above: one moved forward meanwhile is kept for the next run.
        RollupDirty.objects.filter(
            pk__in=[mark.pk for mark in claimed],
            marked_at__lte=max(mark.marked_at for mark in claimed),
        ).delete()
    return written


def _dossiers_of(units: list[int] | None):
    dossiers = Dossier.objects.all()
    if units is not None:
        dossiers = dossiers.filter(receiving_unit_id__in=units)
    return dossiers


def _rollup_upsert(
    *, period: Period, statement: _CountersStatement, today: dt.date, at: dt.datetime
) -> int:
    """Write the non-zero cells of ``period`` (counted as of ``today``) with one
    ``INSERT … SELECT … ON CONFLICT DO UPDATE``; rows written."""
    quote = connection.ops.quote_name
    counters = [quote(name) for name in COUNTERS]
    columns = ", ".join(
        [quote(name) for name in ("period_key", "scheme", "kind", "year", "index")]
        + [quote("unit_id"), quote("procedure_id"), *counters, quote("computed_at")]
    )
    aggregate, params = statement.sql(period.as_of(today))
    sql = (
        f"INSERT INTO {quote(Rollup._meta.db_table)} ({columns}) "
        f"SELECT %s, %s, %s, %s, %s, q.{quote(ROLLUP_GROUP_BY[0])}, q.{quote(ROLLUP_GROUP_BY[1])}, "
        + ", ".join(f"q.{counter}" for counter in counters)
        + f", %s FROM ({aggregate}) q WHERE "
        + " OR ".join(f"q.{counter} > 0" for counter in counters)
        + f" ON CONFLICT ({quote('period_key')}, {quote('unit_id')}, {quote('procedure_id')}) "
        "DO UPDATE SET "
        + ", ".join(f"{column} = excluded.{column}" for column in [*counters, quote("computed_at")])
    )
    values = [period.key, period.scheme, period.kind, period.year, period.index]
    values.append(connection.ops.adapt_datetimefield_value(at))
    with connection.cursor() as cursor:
        cursor.execute(sql, values + list(params))
        return cursor.rowcount


def _period_lock(key: str) -> None:
    """Serialise writers of one period's rollups until the transaction ends (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"reports.rollup:{key}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
        )
