"""Benchmark of ``import_procedures``: a generated catalogue imported, then imported again.

    .venv/bin/python bench/import_procedures.py --rows 10000 [--database-url URL]

Without ``--database-url`` the import runs against a fresh SQLite file in a temporary
directory (migrated first); a URL given must point at a throwaway, empty database. Prints rows/s,
seconds, queries and the process's peak memory for the first import (every row created) and
the time of the second, all-unchanged, import.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEVELS = ("commune", "district", "province", "district;province")
ONLINE_LEVELS = ("1", "2", "3", "4", "partial", "full")
TIME_UNITS = ("working_days", "working_hours", "calendar_days")


def generate(path: Path, rows: int, unit_codes: list[str]) -> None:
    from procedures.imports import PROCEDURE_COLUMNS

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PROCEDURE_COLUMNS)
        for n in range(rows):
            sector = n % 40
            values = {
                "code": f"{1 + n // 1_000_000}.{n % 1_000_000:06d}",
                "name": f"Thủ tục hành chính số {n} về đăng ký và cấp giấy chứng nhận",
                "sector_code": f"LV{sector:03d}",
                "sector_name": f"Lĩnh vực {sector}",
                "level": LEVELS[n % len(LEVELS)],
                "online_level": ONLINE_LEVELS[n % len(ONLINE_LEVELS)],
                "processing_time": ("3", "0,5", "15", "7.5")[n % 4],
                "processing_unit": TIME_UNITS[n % len(TIME_UNITS)],
                "fee": "" if n % 3 else str(10_000 * (n % 50)),
                "fee_description": "",
                "fully_online_eligible": str(n % 2),
                "paper_result_required": "0",
                "result": "Giấy chứng nhận",
                "legal_basis": "Nghị định 63/2010/NĐ-CP",
                "decision_number": f"{n % 900 + 100}/QĐ-UBND",
                "decision_date": "2020-12-01",
                "decision_effective_date": "2021-01-01",
                "valid_from": "",
                "implementing_unit_codes": ";".join(
                    unit_codes[(n + k) % len(unit_codes)] for k in range(n % 3)
                ),
                "documents": "Tờ khai|1|0|0;Giấy tờ tùy thân|0|1|0;Giấy ủy quyền|1",
            }
            writer.writerow(values[column] for column in PROCEDURE_COLUMNS)


def timed_import(path: Path) -> tuple[float, int, object]:
    from django.db import connection

    from org.tabular import TabularFile
    from procedures.imports import PROCEDURE_REQUIRED_COLUMNS, procedures_import

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with (
        connection.execute_wrapper(count),
        TabularFile(path, required=PROCEDURE_REQUIRED_COLUMNS) as table,
    ):
        result = procedures_import(rows=table)
    return time.perf_counter() - started, queries, result


def peak_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-procedures-"))
    try:
        run(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# Over 60 lines on purpose: an earlier single-figure script kept as it was measured.
def run(workdir: Path) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--changed", type=int, default=100, help="rows changed in a third run")
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()

    os.environ["DATABASE_URL"] = options.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from org.models import Unit, UnitLevel
    from procedures.models import ProcedureVersion

    call_command("migrate", verbosity=0)
    unit_codes = [f"000.00.{n:03d}.H99" for n in range(options.units)]
    for code in unit_codes:  # save() builds each unit's path
        Unit(code=code, name=f"Xã {code}", level=UnitLevel.COMMUNE).save()
    path = workdir / "procedures.csv"
    generate(path, options.rows, unit_codes)

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"file: {options.rows} rows, {path.stat().st_size / 1e6:.1f} MB")
    rss_before = peak_mib()
    seconds, queries, result = timed_import(path)
    assert result.ok, result.errors.lines()[:10]
    assert result.created == options.rows, result
    print(
        f"first import (all created): {seconds:.2f} s, {options.rows / seconds:,.0f} rows/s, "
        f"{queries:,} queries ({queries / options.rows:.1f}/row), "
        f"peak RSS {peak_mib():.0f} MiB (before import {rss_before:.0f} MiB)"
    )
    versions = ProcedureVersion.objects.count()
    seconds, queries, result = timed_import(path)
    assert (result.unchanged, ProcedureVersion.objects.count()) == (options.rows, versions)
    print(
        f"second import (all unchanged): {seconds:.2f} s, {options.rows / seconds:,.0f} rows/s, "
        f"{queries} queries, peak RSS {peak_mib():.0f} MiB"
    )
    if options.changed:
        changed = workdir / "changed.csv"
        with (
            path.open(encoding="utf-8", newline="") as source,
            changed.open("w", encoding="utf-8", newline="") as target,
        ):
            reader, writer = csv.DictReader(source), None
            for n, row in enumerate(reader):
                if n < options.changed:
                    row["processing_time"], row["valid_from"] = "20", "2030-01-01"
                writer = writer or csv.DictWriter(target, fieldnames=list(row))
                if n == 0:
                    writer.writeheader()
                writer.writerow(row)
        seconds, queries, result = timed_import(changed)
        assert (result.updated, result.unchanged) == (
            options.changed,
            options.rows - options.changed,
        )
        print(
            f"third import ({options.changed} changed through the services, rest unchanged): "
            f"{seconds:.2f} s, {queries:,} queries"
        )


if __name__ == "__main__":
    main()
