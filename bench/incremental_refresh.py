"""Benchmark of the incremental rollup refresh after a burst of dossier changes.

    .venv/bin/python bench/incremental_refresh.py --changes 1000 \\
        --database-url postgres://postgres@127.0.0.1:5432/cchc_bench

Runs on the database ``bench/recompute_quarter.py`` loaded (it is not reloaded). "Today" is set
to 30 June 2021, the end of the generated data: the script finishes ``--changes`` open dossiers
received that month (one UPDATE, as the services would leave them), marks the periods they touch
as the ``dossier_changed`` receiver would, then times the drain that recomputes them, next to
the raw SQL aggregate of one quarter on the same data (DESIGN §5: ≤ 1 s for 1,000 changes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recompute_quarter import RAW_SQL, setup_django

TODAY = dt.date(2021, 6, 30)


# Over 60 lines on purpose: an earlier single-figure script kept as it was measured.
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--database-url", required=True)
    options = parser.parse_args()
    setup_django(options.database_url)

    from django.db import connection, transaction

    from dossiers.models import Dossier, DossierStatus
    from reports.models import RollupDirty
    from reports.periods import period_make
    from reports.services import (
        periods_affected,
        rollups_dirty_drain,
        rollups_dirty_mark,
        rollups_refresh_many,
    )

    changed = list(
        Dossier.objects.filter(
            status=DossierStatus.PROCESSING, received_date__gte=dt.date(2021, 6, 1)
        ).values_list("id", "receiving_unit_id", "received_date")[: options.changes]
    )
    if len(changed) < options.changes:
        sys.exit(f"only {len(changed)} open dossiers in June 2021: load more dossiers first")
    affected = periods_affected({received for _, _, received in changed} | {TODAY}, TODAY)
    # Bring the rollups of those periods up to date first, so the drain below does only the
    # work the changes cause.
    rollups_refresh_many(periods=affected, today=TODAY)

    finished_at = dt.datetime(2021, 6, 30, 9, 0, tzinfo=dt.UTC)
    with transaction.atomic():
        Dossier.objects.filter(pk__in=[pk for pk, _, _ in changed]).update(
            status=DossierStatus.FINISHED, finished_at=finished_at, finished_date=TODAY
        )
    started = time.perf_counter()
    marked = rollups_dirty_mark(
        dates={received for _, _, received in changed} | {TODAY},
        unit_ids={unit for _, unit, _ in changed},
        today=TODAY,
    )
    mark_seconds = time.perf_counter() - started
    started = time.perf_counter()
    written = rollups_dirty_drain(today=TODAY)
    drain_seconds = time.perf_counter() - started
    assert not RollupDirty.objects.exists()

    quarter = period_make(kind="quarter", year=2021, index=2)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL, {"start": quarter.start, "end": quarter.end})
        cursor.fetchall()
    raw_seconds = time.perf_counter() - started

    units = len({unit for _, unit, _ in changed})
    print(
        f"{len(changed):,} dossiers finished at {units} units: {marked:,} (period, unit) pairs "
        f"marked in {mark_seconds:.3f} s over {len(affected)} periods"
    )
    print(f"drain: {drain_seconds:.2f} s, {written:,} rollup rows written")
    print(f"raw SQL aggregate of one quarter on the same data: {raw_seconds:.2f} s")


if __name__ == "__main__":
    main()
