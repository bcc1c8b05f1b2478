"""The unit totals of the rollups (reports.models.UnitRollup): after every way the cells are
written (a full refresh, a refresh of some units, the incremental drain of changed cells over
random histories, the longer periods derived from their months, a freeze, a rebuild) each
(period, unit) row equals the sums of that unit's cells, and the migration fills it from cells
that already exist."""

import datetime as dt
import importlib
import random

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Sum

from dossiers.models import Dossier, DossierStatus
from dossiers.services import dossier_finish
from reports.counters import COUNTERS
from reports.models import Rollup, RollupDirty, RollupRun, UnitRollup
from reports.periods import period_make
from reports.selectors import period_counters
from reports.services import (
    period_freeze,
    periods_affected,
    rollups_rebuild,
    rollups_refresh,
    rollups_refresh_many,
)
from tests.factories import UnitFactory, local, published_procedure
from tests.reports.test_rollups import A_Q1, B_Q1, Q1, world  # noqa: F401 (a fixture)
from tests.reports.test_rollups_incremental import FIRST_DAY, TODAY, random_history

pytestmark = pytest.mark.django_db

NAMES = (*COUNTERS, "digitised_received")
PARTS = ("scheme", "kind", "year", "index")


def sums_of_cells() -> dict:
    """{(period, unit id): its parts and the sums of its cells}: what the dashboard read before."""
    rows = (
        Rollup.objects.values("period_key", "unit_id", *PARTS)
        .annotate(**{f"sum_{name}": Sum(name) for name in NAMES})
        .order_by()
    )
    return {
        (row["period_key"], row["unit_id"]): (
            *(row[part] for part in PARTS),
            *(row[f"sum_{name}"] for name in NAMES),
        )
        for row in rows
    }


def unit_totals() -> dict:
    """The same from the stored unit totals."""
    return {
        (row["period_key"], row["unit_id"]): tuple(row[name] for name in (*PARTS, *NAMES))
        for row in UnitRollup.objects.values("period_key", "unit_id", *PARTS, *NAMES)
    }


class StatementsOnly:
    """What the fill uses of a schema editor (its connection, ``execute``): SQLite opens no
    real one inside the test's transaction."""

    connection = connection

    def execute(self, sql: str, params=()) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def totals_of(period, unit) -> dict:
    row = UnitRollup.objects.get(period_key=period.key, unit=unit)
    return {name: getattr(row, name) for name in COUNTERS if getattr(row, name)}


def test_a_refresh_writes_each_units_totals(world):  # noqa: F811
    rollups_refresh(period=Q1)
    assert totals_of(Q1, world["A"]) == A_Q1
    assert totals_of(Q1, world["B"]) == B_Q1
    # C received nothing: no cell, no total.
    assert not UnitRollup.objects.filter(unit=world["C"]).exists()
    assert unit_totals() == sums_of_cells()


def test_a_refresh_of_one_unit_rewrites_only_its_totals(world):  # noqa: F811
    rollups_refresh(period=Q1)
    a_before = UnitRollup.objects.get(period_key=Q1.key, unit=world["A"])
    dossier_finish(dossier=world["d3"], by=None, at=local("2021-03-31 16:00"))
    rollups_refresh(period=Q1, unit_ids=[world["B"].pk])
    in_progress_gone = {"in_progress": 1, "in_progress_within": 1}
    resolved_early = {"resolved": 2, "resolved_early": 1}
    expected = {k: v for k, v in B_Q1.items() if k not in in_progress_gone}
    assert totals_of(Q1, world["B"]) == {**expected, **resolved_early}
    a_after = UnitRollup.objects.get(period_key=Q1.key, unit=world["A"])
    assert (a_after.pk, a_after.computed_at) == (a_before.pk, a_before.computed_at)
    assert unit_totals() == sums_of_cells()


def test_the_longer_periods_derived_from_months_have_their_totals(world):  # noqa: F811
    # Months computed, quarters, halves and the year summed from them.
    rollups_rebuild(first=dt.date(2021, 1, 1), last=dt.date(2021, 3, 31), today=dt.date(2021, 7, 1))
    assert totals_of(Q1, world["A"]) == A_Q1
    assert totals_of(Q1, world["B"]) == B_Q1
    year = period_make(kind="year", year=2021, index=1)
    assert UnitRollup.objects.filter(period_key=year.key).count() == 2
    assert unit_totals() == sums_of_cells()


def test_a_frozen_periods_totals_stay_as_frozen(world):  # noqa: F811
    period_freeze(period=Q1, by=None)
    frozen = unit_totals()
    # A correction made around the services (they refuse a step in a frozen quarter).
    Dossier.objects.filter(pk=world["d3"].pk).update(
        status=DossierStatus.FINISHED,
        finished_at=local("2021-03-31 16:00"),
        finished_date=dt.date(2021, 3, 31),
    )
    assert rollups_refresh(period=Q1) == 0
    assert unit_totals() == frozen == sums_of_cells()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_totals_equal_the_cells_after_random_histories(
    seed,
    today_is,
    django_capture_on_commit_callbacks,
):
    today_is(TODAY)
    rng = random.Random(seed)
    desks = [UnitFactory(code=f"U{seed}{n}") for n in range(3)]
    versions = [published_procedure(code=f"1.00{seed}10{n}") for n in range(3)]
    periods = periods_affected({FIRST_DAY - dt.timedelta(days=20)}, TODAY)
    rollups_refresh_many(periods=periods, today=TODAY)

    # Each change marks its cells and the eager drain refreshes them at once.
    random_history(rng, django_capture_on_commit_callbacks, desks, versions)
    assert Dossier.objects.count() >= 25
    assert not RollupDirty.objects.exists()
    incremental = unit_totals()
    assert incremental == sums_of_cells()
    assert len(incremental) > 30

    # From scratch: the same totals.
    Rollup.objects.all().delete()
    UnitRollup.objects.all().delete()
    RollupRun.objects.all().delete()
    rollups_refresh_many(periods=periods, today=TODAY)
    assert unit_totals() == incremental


def test_the_reads_give_the_sums_of_the_cells(world):  # noqa: F811
    rollups_refresh(period=Q1)
    units = [world["A"].pk, world["B"].pk, world["C"].pk]
    for group_by in (None, "unit", "level"):
        got = period_counters(period=Q1, unit_ids=units, group_by=group_by)
        # The old path: the cells summed at request time.
        column = {None: None, "unit": "unit_id", "level": "unit__level"}[group_by]
        cells = Rollup.objects.filter(period_key=Q1.key, unit_id__in=units)
        sums = {name: Sum(name) for name in COUNTERS}
        if column is None:
            assert got == {name: value or 0 for name, value in cells.aggregate(**sums).items()}
        else:
            assert got == {
                row.pop(column): row for row in cells.values(column).annotate(**sums).order_by()
            }


def test_the_migration_fills_the_totals_from_existing_cells(world):  # noqa: F811
    rollups_rebuild(first=dt.date(2021, 1, 1), last=dt.date(2021, 3, 31), today=dt.date(2021, 7, 1))
    expected = sums_of_cells()
    assert len(expected) > 20
    UnitRollup.objects.all().delete()  # a deployment from before the table

    migration = importlib.import_module("reports.migrations.0004_unitrollup")
    migration.unit_rollups_fill(apps, StatementsOnly())
    assert unit_totals() == expected
