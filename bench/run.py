"""The benchmark table of DESIGN §5, each figure next to a baseline measured in the same run.

    .venv/bin/python bench/generate.py --dossiers 1000000 --database-url URL   # once
    .venv/bin/python bench/run.py --database-url URL [--changes 1000] [--repeat 20]

Runs on a database ``bench/generate.py`` wrote (the scale is the generator's ``--dossiers``).
It changes that database (1,000 dossiers finished, a few imported): generate again for a clean
run. Rows:

- dashboard: server time of ``/bao-cao/`` (Django test client, a steering committee member of
  the province, the current quarter; rollups) p50 / p95, against the live aggregate of the same
  quarter over the dossiers (``counters_query`` grouped by unit).
- recompute one quarter: ``rollups_refresh`` of the last full quarter for every unit, against
  the hand-written raw SQL aggregate of the same counts (``bench/recompute_quarter.py``).
- incremental refresh: 1,000 open dossiers finished through ``dossier_finish`` (the
  ``dossier_changed`` receiver marks their cells; its Celery scheduling is switched off), then
  the drain timed; also one back-dated change (a dossier received four years ago). Checked:
  the refreshed cells equal a live ``counters_query``.
- desk queue and search: ``/ho-so/`` as a desk officer of the province's public-service centre
  (the busiest desk) over every queue tab and four searches (code prefix, name, phone, ID), p95
  and the number of queries per page, against a ``count(*)`` of that desk's dossiers.
- import: ``dossiers_import_path`` of a generated CSV (``--import-rows``) in a child process:
  rows/s and the child's peak memory.
- check: every stored row of the current and previous quarter, month and year (both schemes)
  equals a live ``counters_query`` after all of the above (the import's rows drained first).
- intake: gunicorn (``--intake-workers``) serving the portal as in production, and a second
  process driving ``--intake-clients`` concurrent desk officers who post the real intake form
  (CSRF, sessions) ``--intakes`` times in all: dossiers/s, p50 / p95 latency, errors; checked:
  every returned code exists exactly once (``bench/intake_http.py``). Needs Redis
  (``--redis-url``, a database of its own: cache and Celery broker of the server).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import CENTRE, PROVINCE, setup_django
from intake_http import intake_rows
from recompute_quarter import RAW_SQL

Row = tuple[str, str, str, str, str]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def timed(function, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times, result


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def user_with(role: str, unit_code: str):
    from django.contrib.auth import get_user_model

    from org.models import Membership, Unit

    user, _ = get_user_model().objects.get_or_create(username=f"bench-{role}")
    Membership.objects.get_or_create(
        user=user, defaults={"unit": Unit.objects.get(code=unit_code), "role": role}
    )
    return user


def page_times(client, urls: list[str], repeat: int) -> tuple[list[float], list[int]]:
    """Server times and query counts of GETting every url ``repeat`` times (after a warm-up)."""
    from django.db import connection

    times, queries = [], []
    for url in urls:
        assert client.get(url).status_code == 200, url
        for _ in range(repeat):
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            queries.append(counter.count)
    return times, queries


def quarter_of(day: dt.date, shift: int = 0):
    from reports.periods import period_make

    index = (day.month - 1) // 3 + shift
    year = day.year + (index // 4)
    return period_make(kind="quarter", year=year, index=index % 4 + 1)


def dashboard_rows(repeat: int, today: dt.date) -> list[Row]:
    from django.test import Client

    from dossiers.models import Dossier
    from reports.aggregate import counters_query

    client = Client()
    client.force_login(user_with("committee_member", PROVINCE))
    quarter = quarter_of(today)
    query = f"?year={quarter.year}&quarter={quarter.index}"
    url = f"/bao-cao/{query}"
    times, queries = page_times(client, [url], repeat)
    # The tables by unit, which the page loads after itself (htmx): timed apart, as the
    # browser asks for them.
    fragment_client = Client(headers={"HX-Request": "true"})
    fragment_client.force_login(user_with("committee_member", PROVINCE))
    fragments = {
        name: page_times(fragment_client, [f"/bao-cao/{path}/{query}"], repeat)
        for name, path in (("by unit", "don-vi"), ("digitisation", "so-hoa"))
    }

    def live():
        return list(
            counters_query(Dossier.objects.all(), quarter.as_of(today), ("receiving_unit_id",))
        )

    live_times, _ = timed(live, max(3, repeat // 5))
    baseline = statistics.median(live_times)
    p95 = percentile(times, 0.95)
    rows = [
        (
            f"dashboard /bao-cao/ p50 (queries {max(queries)})",
            ms(statistics.median(times)),
            "",
            f"live aggregate {ms(baseline)}",
            f"{statistics.median(times) / baseline:.2f}",
        ),
        ("dashboard /bao-cao/ p95", ms(p95), "≤ 100 ms", "", f"{p95 / baseline:.2f}"),
    ]
    for name, (fragment_times, fragment_queries) in fragments.items():
        rows.append(
            (
                f"  its table {name} (fragment) p50 / p95 (queries {max(fragment_queries)})",
                f"{ms(statistics.median(fragment_times))} / {ms(percentile(fragment_times, 0.95))}",
                "",
                "",
                "",
            )
        )
    return rows


def recompute_rows(repeat: int, today: dt.date) -> list[Row]:
    from django.db import connection

    from dossiers.models import Dossier
    from reports.aggregate import counters_query
    from reports.services import ROLLUP_GROUP_BY, rollups_refresh

    quarter = quarter_of(today, -1)
    params = {"start": quarter.start, "end": quarter.end}

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, params)
            return cursor.fetchall()

    def orm():
        return list(counters_query(Dossier.objects.all(), quarter, ROLLUP_GROUP_BY))

    # Interleaved, one of each per round: on a shared machine the three see the same load.
    raw_times, orm_times, refresh_times, written = [], [], [], 0
    for _ in range(repeat):
        raw_times += timed(raw, 1)[0]
        orm_times += timed(orm, 1)[0]
        times, written = timed(lambda: rollups_refresh(period=quarter, today=today), 1)
        refresh_times += times
    raw_s, orm_s, refresh_s = map(statistics.median, (raw_times, orm_times, refresh_times))
    return [
        (
            f"counters_query {quarter.key}",
            ms(orm_s),
            "≤ 1.5 × raw",
            f"raw SQL {ms(raw_s)}",
            f"{orm_s / raw_s:.2f}",
        ),
        (
            f"rollups_refresh {quarter.key} ({written:,} rows)",
            ms(refresh_s),
            "≤ 1.5 × raw",
            f"raw SQL {ms(raw_s)}",
            f"{refresh_s / raw_s:.2f}",
        ),
    ]


def incremental_rows(changes: int, today: dt.date, seed: int) -> list[Row]:
    from django.db import connection
    from django.utils import timezone

    from dossiers.models import Dossier, DossierStatus
    from reports.models import RollupDirty
    from reports.services import rollups_dirty_drain

    now = timezone.now()
    open_ids = list(
        Dossier.objects.filter(
            status__in=[DossierStatus.RECEIVED, DossierStatus.PROCESSING], received_at__lt=now
        ).values_list("pk", flat=True)
    )
    chosen = random.Random(seed).sample(open_ids, min(changes, len(open_ids)))
    marking = _changes_finished(chosen, now, today)
    marks = RollupDirty.objects.count()
    started = time.perf_counter()
    written = rollups_dirty_drain(today=today)
    drain = time.perf_counter() - started

    quarter = quarter_of(today)
    _incremental_check(chosen, quarter, today)

    back_dated = _back_dated_drain(today)

    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(RAW_SQL, {"start": quarter.start, "end": today})
        cursor.fetchall()
        raw = time.perf_counter() - started
    return [
        (
            f"incremental refresh, {len(chosen):,} changes ({marks:,} marks, {written:,} rows)",
            ms(drain),
            "≤ 1 s",
            f"raw SQL quarter {ms(raw)}",
            f"{drain / raw:.2f}",
        ),
        (
            "  marking in the receiver, per change p95",
            ms(percentile(marking, 0.95)) if marking else "-",
            "",
            "",
            "",
        ),
        ("  one back-dated change, drain", back_dated, "", "", ""),
    ]


def _changes_finished(chosen: list[int], now, today: dt.date) -> list[float]:
    """Finish the chosen dossiers with the receiver's marking timed; the seconds of each mark."""
    from dossiers.models import Dossier
    from dossiers.services import dossier_finish
    from reports import receivers
    from reports.services import rollups_dirty_drain

    # The receiver marks; the drain is what is timed (the Celery task is switched off).
    marking = []
    original_mark = receivers.rollups_dirty_mark

    def timed_mark(**kwargs):
        started = time.perf_counter()
        result = original_mark(**kwargs)
        marking.append(time.perf_counter() - started)
        return result

    receivers.rollups_refresh_schedule = lambda: None
    receivers.rollups_dirty_mark = timed_mark
    # Marks left by earlier rows (the import marks whole units) are drained first, not thrown
    # away: a deleted mark would leave its periods stale and fail the check at the end.
    rollups_dirty_drain(today=today)
    try:
        for dossier in Dossier.objects.filter(pk__in=chosen):
            dossier_finish(dossier=dossier, by=None, at=now)
    finally:
        receivers.rollups_dirty_mark = original_mark
    return marking


def _incremental_check(chosen: list[int], quarter, today: dt.date) -> None:
    """The changed cells of the current quarter equal a live aggregate (AssertionError if not)."""
    from dossiers.models import Dossier
    from reports.aggregate import counters_query
    from reports.counters import COUNTERS
    from reports.models import Rollup
    from reports.services import ROLLUP_GROUP_BY

    cells = set(
        Dossier.objects.filter(pk__in=chosen).values_list(
            "receiving_unit_id", "procedure_version__procedure_id"
        )
    )
    units = {unit for unit, _ in cells}
    live = {
        (row["receiving_unit_id"], row["procedure_version__procedure_id"]): tuple(
            row[name] for name in COUNTERS
        )
        for row in counters_query(
            Dossier.objects.filter(receiving_unit_id__in=units),
            quarter.as_of(today),
            ROLLUP_GROUP_BY,
        )
    }
    stored = {
        (row["unit_id"], row["procedure_id"]): tuple(row[name] for name in COUNTERS)
        for row in Rollup.objects.filter(period_key=quarter.key, unit_id__in=units).values(
            "unit_id", "procedure_id", *COUNTERS
        )
    }
    mismatched = [cell for cell in cells if live.get(cell) != stored.get(cell)]
    assert not mismatched, f"incremental rollups differ from a live count: {mismatched[:5]}"


def _back_dated_drain(today: dt.date) -> str:
    """One back-dated change: a dossier received four years ago gets a late finish recorded;
    the drain's time, or why there was none."""
    from dossiers.models import Dossier, DossierStatus
    from reports import receivers
    from reports.models import RollupDirty
    from reports.services import rollups_dirty_drain

    old = (
        Dossier.objects.filter(
            status=DossierStatus.FINISHED, received_date__lte=today - dt.timedelta(days=4 * 365)
        )
        .order_by("pk")
        .first()
    )
    back_dated = "no finished dossier 4 years old"
    if old is not None:
        receivers.rollups_refresh_schedule = lambda: None
        receivers.rollups_dirty_on_change(
            sender=Dossier,
            dossier_id=old.pk,
            unit_ids=frozenset({old.receiving_unit_id}),
            dates=frozenset({old.received_date}),
        )
        periods = RollupDirty.objects.count()
        started = time.perf_counter()
        rollups_dirty_drain(today=today)
        back_dated = f"{ms(time.perf_counter() - started)} ({periods} periods)"
    return back_dated


def desk_rows(repeat: int) -> list[Row]:
    from django.test import Client

    from dossiers.models import Dossier
    from dossiers.queues import QUEUES, Cursor
    from org.models import Unit

    client = Client()
    client.force_login(user_with("desk_officer", CENTRE))
    centre = Unit.objects.get(code=CENTRE)
    sample = Dossier.objects.filter(receiving_unit=centre).order_by("-pk").first()
    # A page deep in "all" (a dossier received a year before the newest), reached by its cursor:
    # keyset paging costs the same there as on the first page.
    deep = (
        Dossier.objects.filter(
            receiving_unit=centre, received_at__lte=sample.received_at - dt.timedelta(days=365)
        )
        .order_by("-received_at", "-id")
        .first()
        or sample
    )
    queue_urls = [f"/ho-so/?queue={queue.name}" for queue in QUEUES] + [
        f"/ho-so/?queue=all&after={Cursor(key=deep.received_at, id=deep.pk)}"
    ]
    search_urls = [
        f"/ho-so/?q={sample.code[:-3]}",
        "/ho-so/?q=Trần Thị Hà",
        f"/ho-so/?q={sample.applicant_phone}",
        f"/ho-so/?q={sample.applicant_id_number}",
    ]
    queue_times, queue_queries = page_times(client, queue_urls, max(2, repeat // 4))
    search_times, search_queries = page_times(client, search_urls, max(2, repeat // 4))
    count_times, total = timed(
        lambda: Dossier.objects.filter(receiving_unit=centre).count(), max(3, repeat // 5)
    )
    baseline = statistics.median(count_times)
    return [
        (
            f"desk queue p95, 7 tabs + a deep page (queries {min(queue_queries)}–"
            f"{max(queue_queries)})",
            ms(percentile(queue_times, 0.95)),
            "≤ 150 ms",
            f"count(*) of the desk's {total:,} {ms(baseline)}",
            f"{percentile(queue_times, 0.95) / baseline:.2f}",
        ),
        (
            f"search p95, 4 kinds (queries {min(search_queries)}–{max(search_queries)})",
            ms(percentile(search_times, 0.95)),
            "≤ 150 ms",
            "",
            "",
        ),
    ]


IMPORT_CHILD = """
import resource, sys, time
sys.path.insert(0, {bench!r})
from generate import setup_django
setup_django({url!r})
from dossiers.imports import dossiers_import_path
from reports import receivers
# Marks only: bench/run.py drains them before its check (a worker would, in production).
receivers.rollups_refresh_schedule = lambda: None
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
result = dossiers_import_path(path={path!r})
assert not result.errors, result.errors.lines()[:5]
print(result.created, time.perf_counter() - started,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, before)
"""


def import_rows(rows: int, database_url: str, seed: int) -> list[Row]:
    from org.models import Unit
    from procedures.models import ProcedureVersion

    rng = random.Random(seed)
    versions = list(
        ProcedureVersion.objects.filter(status="published", levels__level="commune").values_list(
            "procedure__code", flat=True
        )
    )
    communes = list(
        Unit.objects.filter(level="commune", valid_to__isnull=True).values_list("code", flat=True)
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dossiers.csv"
        _import_csv_write(path, rows, rng, versions, communes)
        bench = str(Path(__file__).resolve().parent)
        child = IMPORT_CHILD.format(bench=bench, url=database_url, path=str(path))
        output = subprocess.run(
            [sys.executable, "-c", child], check=True, capture_output=True, text=True
        ).stdout.split()
    created, seconds, peak, before = (
        int(output[0]),
        float(output[1]),
        float(output[2]),
        float(output[3]),
    )
    return [
        (
            f"import_dossiers {created:,} rows, rows/s",
            f"{created / seconds:,.0f}/s",
            "≥ 20,000/s",
            "",
            "",
        ),
        (
            "import_dossiers peak memory (baseline: the child before importing)",
            f"{peak:,.0f} MiB",
            "flat",
            f"{before:,.0f} MiB",
            f"+{peak - before:,.0f} MiB",
        ),
    ]


def _import_csv_write(
    path: Path, rows: int, rng: random.Random, versions: list[str], communes: list[str]
) -> None:
    """A dossier import file of ``rows`` rows, received from August 2025 on."""
    from dossiers.imports import DOSSIER_REQUIRED_COLUMNS

    stamp = int(time.time())
    columns = [*DOSSIER_REQUIRED_COLUMNS, "outcome", "finished_at", "digitised"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for n in range(rows):
            day = dt.date(2025, 8, 1) + dt.timedelta(days=n % 300)
            # Any second of the office day: a desk's times rarely repeat (and repeated runs
            # do not pile candidates onto the same unit and minute for the matching).
            received = dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(
                seconds=rng.randrange(9 * 3600)
            )
            values = {
                "procedure_code": rng.choice(versions),
                "unit_code": rng.choice(communes),
                "channel": rng.choice(("direct", "online", "postal")),
                "applicant_name": f"Người nhập {stamp} {n}",
                "received_at": received.isoformat(),
                "outcome": "resolved" if n % 3 else "",
                "finished_at": (received + dt.timedelta(days=3)).isoformat() if n % 3 else "",
                "digitised": str(n % 2),
            }
            writer.writerow([values.get(column, "") for column in columns])


def check_rows(today: dt.date) -> list[Row]:
    """Every stored row of the current and the previous quarter, and of the current month, of
    both schemes equals a live ``counters_query`` of the dossiers (AssertionError otherwise)."""
    from django.db.models import Sum

    from dossiers.models import Dossier
    from reports.aggregate import counters_query
    from reports.counters import COUNTERS
    from reports.models import Rollup, UnitRollup
    from reports.periods import Scheme, periods_containing
    from reports.services import ROLLUP_GROUP_BY, rollups_dirty_drain

    drained_at = time.perf_counter()
    rollups_dirty_drain(today=today)
    drained = time.perf_counter() - drained_at
    periods = [
        period
        for scheme in Scheme
        for day in (today, today - dt.timedelta(days=92))
        for period in periods_containing(day, scheme=scheme, kinds=("month", "quarter", "year"))
    ]
    started = time.perf_counter()
    for period in periods:
        live = {
            (row[ROLLUP_GROUP_BY[0]], row[ROLLUP_GROUP_BY[1]]): tuple(row[n] for n in COUNTERS)
            for row in counters_query(Dossier.objects.all(), period.as_of(today), ROLLUP_GROUP_BY)
            if any(row[n] for n in COUNTERS)
        }
        stored = {
            (row["unit_id"], row["procedure_id"]): tuple(row[n] for n in COUNTERS)
            for row in Rollup.objects.filter(period_key=period.key).values(
                "unit_id", "procedure_id", *COUNTERS
            )
        }
        assert stored == live, f"rollups of {period.key} differ from a live count"
        # The unit totals the dashboard reads are the sums of those cells.
        summed = {
            row["unit_id"]: tuple(row[f"sum_{n}"] for n in COUNTERS)
            for row in Rollup.objects.filter(period_key=period.key)
            .values("unit_id")
            .annotate(**{f"sum_{n}": Sum(n) for n in COUNTERS})
            .order_by()
        }
        totals = {
            row["unit_id"]: tuple(row[n] for n in COUNTERS)
            for row in UnitRollup.objects.filter(period_key=period.key).values("unit_id", *COUNTERS)
        }
        assert totals == summed, f"unit totals of {period.key} differ from the sums of its cells"
    return [
        (
            f"check: rollups = live counters_query, unit totals = their sums ({len(periods)} "
            "periods)",
            "equal",
            "equal",
            f"{time.perf_counter() - started:.1f} s (drain before it {drained:.1f} s)",
            "",
        )
    ]


def table(rows: list[Row]) -> str:
    header = ("figure", "measured", "target", "baseline same run", "ratio")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(5)]
    lines = [
        " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--import-rows", type=int, default=20_000)
    parser.add_argument(
        "--intakes", type=int, help="intakes over HTTP; default 600, 1 per 200 dossiers below 120 k"
    )
    parser.add_argument("--intake-clients", type=int, default=8)
    parser.add_argument("--intake-workers", type=int, default=2)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--only",
        default="dashboard,recompute,incremental,desk,intake,import,check",
        help="rows to run, comma-separated",
    )
    options = parser.parse_args()
    print(run(options))


def run(options) -> str:
    setup_django(options.database_url)
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        (dossiers,) = cursor.fetchone()
    only = set(options.only.split(","))
    rows: list[Row] = []
    steps = (
        ("dashboard", lambda: dashboard_rows(options.repeat, today)),
        ("recompute", lambda: recompute_rows(max(3, options.repeat // 5), today)),
        ("incremental", lambda: incremental_rows(options.changes, today, options.seed)),
        ("desk", lambda: desk_rows(options.repeat)),
        (
            "intake",
            lambda: intake_rows(
                count=options.intakes or min(600, max(20, dossiers // 200)),
                clients=options.intake_clients,
                workers=options.intake_workers,
                database_url=options.database_url,
                redis_url=options.redis_url,
            ),
        ),
        ("import", lambda: import_rows(options.import_rows, options.database_url, options.seed)),
        ("check", lambda: check_rows(today)),
    )
    for name, step in steps:
        if name in only:
            started = time.perf_counter()
            rows.extend(step())
            print(f"[{name}: {time.perf_counter() - started:.1f} s]", file=sys.stderr)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (
        f"{dossiers:,} dossiers, today {today}, {os.cpu_count()} CPUs, peak memory of this "
        f"process {peak:,.0f} MiB\n" + table(rows)
    )


if __name__ == "__main__":
    main()
