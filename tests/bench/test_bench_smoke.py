"""A small-scale run of the benchmarks (CI checks that they run and agree, not their speed).

``bench/generate.py`` writes ~2,000 dossiers into a scratch PostgreSQL database next to the test
database (``<name>_bench_smoke``, dropped at the end), then ``bench/run.py`` prints every row of
its table once; it asserts on the way that the incrementally refreshed cells equal a live
aggregate, and at the end that every stored row of the current and previous quarter, month and
year equals a live ``counters_query``. PostgreSQL only: the generator writes with COPY.
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.conftest import skip_unless_available

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scratch_url():
    skip_unless_available(
        connection.vendor == "postgresql",
        "the benchmark generator writes with PostgreSQL COPY: set DATABASE_URL=postgres://…",
    )
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    user = settings["USER"]
    name = f"{settings['NAME']}_bench_smoke"
    url = f"postgres://{user}@{host}:{port}/{name}"
    yield url
    with psycopg.connect(
        host=host,
        port=port,
        user=user,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_url_option() -> tuple[str, ...]:
    """``--redis-url`` of this test process's broker, when there is one."""
    broker = django_settings.CELERY_BROKER_URL
    return ("--redis-url", broker) if broker else ()


def bench(*arguments: str) -> str:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return result.stdout


def test_it_generates_a_province_and_prints_every_benchmark_row(scratch_url):
    generated = bench(
        "bench/generate.py", "--dossiers", "2000", "--seed", "3", "--database-url", scratch_url
    )
    assert "dossiers: 2,000 in" in generated
    assert "rollups:" in generated

    table = bench(
        "bench/run.py",
        "--database-url",
        scratch_url,
        "--repeat",
        "2",
        "--changes",
        "20",
        "--import-rows",
        "300",
        "--intakes",
        "20",
        "--intake-clients",
        "2",
        # This test process's own Redis database (tests/conftest.py): the intake row empties
        # the Celery queue of the database it is given.
        *redis_url_option(),
    )
    for figure in (
        "dashboard /bao-cao/ p95",
        "rollups_refresh",
        "incremental refresh, ",
        "desk queue p95",
        "search p95",
        "intake over HTTP, 20 intakes",
        "import_dossiers 300 rows",
        "check: rollups = live counters_query",
    ):
        assert figure in table, table
    # Intake over HTTP: no error, no duplicate or missing code.
    (line,) = [line for line in table.splitlines() if "errors, duplicate or missing codes" in line]
    assert line.split("|")[1].strip() == "0, 0, 0", table
