"""Benchmark of the statistics recompute: one quarter's counters for every unit × procedure.

    .venv/bin/python bench/recompute_quarter.py --dossiers 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/cchc_bench

The URL must point at a throwaway database (it is dropped and created again). The script
migrates it, loads the demo units and catalogue, adds ``--units`` communes, writes the dossiers
with COPY (received from October 2020 to June 2021, so Q1 2021 has carried-over, paused,
withdrawn, refused, early, on-time and late dossiers), then times, each ``--repeat`` times:

- ``raw SQL``: one hand-written ``count(*) FILTER (…)`` aggregate grouped by unit and procedure,
  the baseline of DESIGN §5;
- ``counters_query``: the ORM aggregate the rollups use (reports/aggregate.py), fetched;
- ``rollups_refresh``: the whole recompute of the quarter, rows written.

It prints the medians and the ratios to the baseline (target ≤ 1.5), and checks that the raw
SQL and the ORM give the same totals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

# setup_django is also imported from here by incremental_refresh.py.
from generate import recreate_database, setup_django

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_DAY = dt.date(2020, 10, 1)
DAYS = 273  # to the end of June 2021

# A supplement request still open at the end of the period (its dossier's clock stopped).
PAUSED_AT_END = """
               SELECT 1 FROM dossiers_supplementrequest s
               WHERE s.dossier_id = d.id
                 AND (s.requested_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= %(end)s
                 AND (s.completed_at IS NULL
                      OR (s.completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date > %(end)s)"""

RAW_SQL = f"""
WITH d AS (
    SELECT d.receiving_unit_id, pv.procedure_id, d.channel, d.status, d.digitised,
           d.received_date, d.due_date, d.finished_date,
           EXISTS ({PAUSED_AT_END}
                 AND (s.requested_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= d.due_date
           ) AS paused_in_time,
           EXISTS ({PAUSED_AT_END}
           ) AS paused
    FROM dossiers_dossier d
    JOIN procedures_procedureversion pv ON pv.id = d.procedure_version_id
    WHERE d.received_date <= %(end)s
      AND (d.finished_date IS NULL OR d.finished_date >= %(start)s)
      AND d.status <> 'refused'
), c AS (
    SELECT *,
           received_date >= %(start)s AS in_period,
           finished_date IS NOT NULL AND finished_date <= %(end)s AS ended,
           status IN ('withdrawn', 'stopped') AS withdrawn_kind
    FROM d
)
SELECT receiving_unit_id, procedure_id,
       count(*) FILTER (WHERE in_period AND channel = 'online') AS received_online,
       count(*) FILTER (WHERE in_period AND channel = 'direct') AS received_direct,
       count(*) FILTER (WHERE in_period AND channel = 'postal') AS received_postal,
       count(*) FILTER (WHERE in_period) AS received_in_period,
       count(*) FILTER (WHERE NOT in_period) AS carried_over,
       count(*) AS received_total,
       count(*) FILTER (WHERE ended AND NOT withdrawn_kind) AS resolved,
       count(*) FILTER (WHERE ended AND NOT withdrawn_kind AND finished_date < due_date)
           AS resolved_early,
       count(*) FILTER (WHERE ended AND NOT withdrawn_kind AND finished_date = due_date)
           AS resolved_on_time,
       count(*) FILTER (WHERE ended AND NOT withdrawn_kind AND finished_date > due_date)
           AS resolved_late,
       count(*) FILTER (WHERE NOT ended) AS in_progress,
       count(*) FILTER (WHERE NOT ended AND (due_date >= %(end)s OR paused_in_time))
           AS in_progress_within,
       count(*) FILTER (WHERE NOT ended AND NOT (due_date >= %(end)s OR paused_in_time))
           AS in_progress_overdue,
       count(*) FILTER (WHERE NOT ended AND paused) AS paused,
       count(*) FILTER (WHERE ended AND withdrawn_kind) AS withdrawn,
       count(*) FILTER (WHERE digitised) AS digitised
FROM c
GROUP BY receiving_unit_id, procedure_id
"""


def office_moment(rng: random.Random, day: dt.date) -> dt.datetime:
    minute = rng.randrange(7 * 60, 17 * 60)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), VN)


def _fate(rng: random.Random, received: dt.datetime, due: dt.datetime):
    """(status, due, finished, returned) of one dossier: refused, withdrawn, done or open."""
    fate = rng.random()
    finished = returned = None
    if fate < 0.01:
        return "refused", received, None, None
    if fate < 0.04:
        finished = received + dt.timedelta(days=rng.randrange(1, 20))
        return "withdrawn", due, finished, None
    if fate >= 0.92:
        return "processing", due, None, None
    finished = received + (due - received) * rng.uniform(0.2, 1.25)
    if rng.random() < 0.7:
        status, returned = "returned", finished + dt.timedelta(days=rng.randrange(0, 5))
    else:
        status = "finished"
    return status, due, finished, returned


def _pause(rng: random.Random, status: str, received: dt.datetime, finished):
    """(status, pause or None): about 3 % of the dossiers asked for a supplement."""
    if status == "refused" or rng.random() >= 0.03:
        return status, None
    requested = received + dt.timedelta(days=1)
    completed = (
        None
        if status == "processing" and rng.random() < 0.5
        else (requested + dt.timedelta(days=rng.randrange(1, 10)))
    )
    if finished is not None and (completed is None or completed > finished):
        completed = finished
    if status == "processing" and completed is None:
        status = "supplement_requested"
    return status, (requested, completed)


def dossier_rows(count: int, units: list[tuple[int, str]], versions: list[int], seed: int = 7):
    """(dossier row, pause or None) tuples; derived dates filled as Dossier.save() would."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    numbers: dict[tuple[int, dt.date], int] = {}
    for n in range(count):
        unit_id, unit_code = units[n % len(units)]
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        received = office_moment(rng, day)
        due = received + dt.timedelta(days=rng.choice((1, 3, 5, 7, 10, 15)))
        status, due, finished, returned = _fate(rng, received, due)
        status, pause = _pause(rng, status, received, finished)
        key = (unit_id, day)
        numbers[key] = numbers.get(key, 0) + 1
        ends = [moment for moment in (finished, returned) if moment]
        row = (
            f"{unit_code}-{day:%y%m%d}-{numbers[key]:04d}",
            versions[n % len(versions)],
            unit_id,
            unit_id,
            rng.choice(("direct", "direct", "direct", "online", "postal")),
            f"Người nộp {n}",
            "",
            f"09{n % 100_000_000:08d}",
            "",
            "",
            1,
            received,
            due,
            due,
            None,
            finished,
            returned,
            status,
            "2018",
            rng.random() < 0.1,
            day,
            due.astimezone(VN).date(),
            min(ends).astimezone(VN).date() if ends else None,
            0,
            now,
        )
        yield row, pause


COLUMNS = (
    "code, procedure_version_id, receiving_unit_id, handling_unit_id, channel, applicant_name, "
    "applicant_id_number, applicant_phone, applicant_email, applicant_address, sets_count, "
    "received_at, due_at, original_due_at, rescheduled_due_at, finished_at, returned_at, status, "
    "regime, digitised, received_date, due_date, finished_date, version, created_at"
)


def load(count: int, commune_count: int) -> None:
    from django.db import connection

    from dossiers.models import Dossier
    from org.demo import demo_organisation_load
    from org.models import Unit, UnitLevel
    from procedures.demo import demo_catalogue_load
    from procedures.models import ProcedureVersion

    demo_organisation_load(password="bench")
    demo_catalogue_load()
    district = Unit.objects.get(code="000.00.37.H21")
    for n in range(commune_count):
        Unit(
            code=f"{100 + n:03d}.37.H21", name=f"Xã {n}", level=UnitLevel.COMMUNE, parent=district
        ).save()
    units = list(Unit.objects.order_by("id").values_list("id", "code"))
    versions = list(ProcedureVersion.objects.order_by("id").values_list("id", flat=True))
    started = time.perf_counter()
    pauses = []
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        with raw.copy(f"COPY dossiers_dossier ({COLUMNS}) FROM STDIN") as copy:
            for row, pause in dossier_rows(count, units, versions):
                copy.write_row(row)
                if pause:
                    pauses.append((row[0], *pause))
        raw.execute(
            "CREATE TEMP TABLE bench_pause (code text, requested timestamptz, "
            "completed timestamptz)"
        )
        with raw.copy("COPY bench_pause FROM STDIN") as copy:
            for pause in pauses:
                copy.write_row(pause)
        raw.execute(
            "INSERT INTO dossiers_supplementrequest (dossier_id, requested_at, completed_at, "
            "reason, missing_documents) SELECT d.id, p.requested, p.completed, 'Thiếu giấy tờ', '' "
            "FROM bench_pause p JOIN dossiers_dossier d ON d.code = p.code"
        )
        raw.execute("ANALYZE")
    print(
        f"loaded {Dossier.objects.count():,} dossiers ({len(pauses):,} paused) over "
        f"{len(units)} units and {len(versions)} procedure versions in "
        f"{time.perf_counter() - started:.1f} s"
    )


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=85, help="communes added to the demo's 16")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of an earlier run (no load)"
    )
    options = parser.parse_args()
    if not options.database_url.startswith("postgres"):
        parser.error("the baseline is PostgreSQL SQL: give a postgres:// URL")
    return options


def main() -> None:
    options = parse_options()
    if not options.reuse:
        recreate_database(options.database_url)
    setup_django(options.database_url)
    from django.core.management import call_command
    from django.db import connection

    from dossiers.models import Dossier
    from reports.aggregate import counters_query
    from reports.counters import COUNTERS
    from reports.periods import period_make
    from reports.services import rollups_refresh

    if not options.reuse:
        call_command("migrate", verbosity=0)
        load(options.dossiers, options.units)
    quarter = period_make(kind="quarter", year=2021, index=1)
    params = {"start": quarter.start, "end": quarter.end}

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, params)
            columns = [column.name for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def orm():
        return list(
            counters_query(
                Dossier.objects.all(),
                quarter,
                group_by=("receiving_unit_id", "procedure_version__procedure_id"),
            )
        )

    def refresh():
        return rollups_refresh(period=quarter, unit_ids=None, today=dt.date(2026, 1, 1))

    raw_seconds, raw_rows = timed(raw_sql, options.repeat)
    orm_seconds, orm_rows = timed(orm, options.repeat)
    refresh_seconds, written = timed(refresh, options.repeat)
    for name in COUNTERS:
        if name != "refused":
            raw_total = sum(row[name] for row in raw_rows)
            orm_total = sum(row[name] for row in orm_rows)
            assert raw_total == orm_total, (name, raw_total, orm_total)
    total = sum(row["received_total"] for row in raw_rows)
    print(f"Q1 2021: {len(raw_rows):,} unit × procedure cells, received_total {total:,}")
    print(f"raw SQL aggregate:  {raw_seconds:.3f} s (median of {options.repeat})")
    print(f"counters_query:     {orm_seconds:.3f} s  ratio {orm_seconds / raw_seconds:.2f}")
    print(
        f"rollups_refresh:    {refresh_seconds:.3f} s  ratio {refresh_seconds / raw_seconds:.2f}"
        f"  ({written} rows written)"
    )


if __name__ == "__main__":
    main()
