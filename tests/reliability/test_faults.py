"""Faults (issue 9): the broker down, a worker killed mid-recompute, the database failing in
the middle of an import. Nothing is lost and nothing is half-written.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from dossiers.models import Dossier, DossierCodeCounter, Event, EventKind
from org.models import Role, Unit, UnitLevel
from procedures.models import Procedure, ProcedureVersion
from reports.aggregate import counters_query
from reports.counters import COUNTERS
from reports.models import Rollup, RollupDirty, RollupRun
from reports.services import ROLLUP_GROUP_BY, periods_current
from reports.tasks import rollups_sweep
from tests.conftest import (
    broker_reachable,
    results_kept_in,
    shared_database_url,
    skip_unless_available,
)
from tests.factories import MembershipFactory, UnitFactory, published_procedure, received_dossier

from .conftest import (
    CLOSED_BROKER_URL,
    broker_queue_forget,
    celery_broker,
    child_processes,
    run_at_once,
    worker_process,
)
from .polling import wait_for


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def rollups_now() -> dict[tuple[str, int, int], tuple[int, ...]]:
    """Every stored rollup cell of the current periods: (period, unit, procedure) → counters."""
    keys = [period.key for period in periods_current(timezone.localdate())]
    return {
        (row["period_key"], row["unit_id"], row["procedure_id"]): tuple(
            row[name] for name in COUNTERS
        )
        for row in Rollup.objects.filter(period_key__in=keys).values(
            "period_key", "unit_id", "procedure_id", *COUNTERS
        )
    }


def recomputed_now() -> dict[tuple[str, int, int], tuple[int, ...]]:
    """The same cells counted from scratch over every dossier (the raw aggregate)."""
    today = timezone.localdate()
    cells = {}
    for period in periods_current(today):
        for row in counters_query(
            Dossier.objects.all(), period.as_of(today), group_by=ROLLUP_GROUP_BY
        ):
            counters = tuple(row[name] for name in COUNTERS)
            if any(counters):
                cells[period.key, *(row[name] for name in ROLLUP_GROUP_BY)] = counters
    return cells


# The broker down -------------------------------------------------------------------------------

DESKS_AT_ONCE = 8  # on PostgreSQL; SQLite (one writer at a time) takes two desks in turn


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_desk_works_and_the_sweep_catches_up(caplog):
    concurrent = connection.vendor == "postgresql"
    desks = DESKS_AT_ONCE if concurrent else 2
    commune = UnitFactory(code="REL-XA", name="UBND xã Lạc Đạo", level=UnitLevel.COMMUNE)
    section = UnitFactory(
        code="REL-XA-TP", name="Tư pháp", level=UnitLevel.DEPARTMENT, parent=commune
    )
    version = published_procedure(code="1.000001")
    before = received_dossier(desk=commune, procedure_version=version, received_at=timezone.now())
    rollups_sweep.apply()  # broker up: the rollups are current
    assert rollups_now() == recomputed_now() != {}
    officers = []
    for _ in range(desks):
        client = APIClient()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(MembershipFactory(role=Role.UNIT_LEADER, unit=commune).user)
        officers.append(client)
    results: list[tuple[str, float]] = []  # (code, seconds the intake took)
    lock = threading.Lock()

    def desk(client: APIClient, number: int) -> None:
        started = time.monotonic()
        intake = client.post(
            "/api/v1/dossiers/",
            {
                "procedure_code": "1.000001",
                "channel": "direct",
                "applicant": {"name": f"Công dân {number}", "phone": f"09123{number:05d}"},
            },
            format="json",
        )
        intake_seconds = time.monotonic() - started
        assert intake.status_code == 201, intake.content
        code, read = intake.json()["code"], intake.json()["version"]
        url = f"/api/v1/dossiers/{code}/"
        transfer = client.post(
            url + "transfer/", {"expected_version": read, "to_unit": section.code}, format="json"
        )
        assert transfer.status_code == 200, transfer.content
        finish = client.post(url + "finish/", {"expected_version": read + 1}, format="json")
        assert finish.status_code == 200, finish.content
        lookup = APIClient().get("/tra-cuu/", {"code": code, "digits": f"{number:04d}"[-4:]})
        assert lookup.status_code == 200
        assert lookup.context["result"] is not None, "the lookup did not find the dossier"
        with lock:
            results.append((code, intake_seconds))

    caplog.set_level(logging.WARNING)
    attempts = [lambda c=client, n=n: desk(c, n) for n, client in enumerate(officers, start=1)]
    with celery_broker(CLOSED_BROKER_URL):
        if concurrent:
            assert run_at_once(attempts) == []
        else:
            for attempt in attempts:
                attempt()

    # Nothing lost: every dossier with its three steps, codes 0002… after the one before.
    codes = sorted(code for code, _seconds in results)
    stored = Dossier.objects.exclude(pk=before.pk)
    assert sorted(stored.values_list("code", flat=True)) == codes
    assert [int(code[-4:]) for code in codes] == list(range(2, desks + 2))
    kinds = Counter(Event.objects.filter(dossier__in=stored).values_list("kind", flat=True))
    assert kinds == {
        EventKind.RECEIVED: desks,
        EventKind.TRANSFERRED: desks,
        EventKind.FINISHED: desks,
    }
    failed_enqueues = [
        record for record in caplog.records if "Could not queue" in record.getMessage()
    ]
    assert failed_enqueues, "the closed broker was never tried"
    # The changes are marked; the rollups lag behind until the sweep.
    assert RollupDirty.objects.exists()
    assert rollups_now() != recomputed_now()

    # The broker is back (eager here): the beat's sweep catches up with everything.
    rollups_sweep.apply()
    assert not RollupDirty.objects.exists()
    assert rollups_now() == recomputed_now()
    quarter = [key for key in {key for key, _u, _p in rollups_now()} if ":quarter:" in key]
    totals = Rollup.objects.filter(period_key__in=quarter, unit=commune)
    assert {row.received_in_period for row in totals} == {desks + 1}
    slowest = max(seconds for _code, seconds in results)
    print(
        f"\nbroker down ({connection.vendor}): {desks} desks, {4 * desks} requests "
        f"(intake, transfer, finish, lookup) all answered, {len(failed_enqueues)} failed "
        f"enqueues logged, slowest intake {slowest:.2f} s; {desks} dossiers and "
        f"{sum(kinds.values())} events stored, {len(rollups_now())} rollup cells equal to a "
        "full recompute after the sweep"
    )


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_entirely_the_desk_and_the_lookup_still_work(settings):
    commune = UnitFactory(code="REL-XE", name="UBND xã Tân Tiến", level=UnitLevel.COMMUNE)
    published_procedure(code="1.000005")
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.raise_request_exception = False
    client.force_login(MembershipFactory(role=Role.UNIT_LEADER, unit=commune).user)
    # Production with REDIS_URL: the same stopped Redis is the broker and the cache.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_BROKER_URL,
        }
    }
    with celery_broker(CLOSED_BROKER_URL):
        intake = client.post(
            "/api/v1/dossiers/",
            {
                "procedure_code": "1.000005",
                "channel": "direct",
                "applicant": {"name": "Công dân", "phone": "0912340007"},
            },
            format="json",
        )
        assert intake.status_code == 201, intake.status_code
        url = f"/api/v1/dossiers/{intake.json()['code']}/"
        paused = client.post(url + "supplement_request/", {"reason": "Thiếu"}, format="json")
        assert paused.status_code == 200, paused.status_code
        resumed = client.post(url + "supplement_complete/", {}, format="json")
        assert resumed.status_code == 200, resumed.status_code
        lookup = APIClient().get("/tra-cuu/", {"code": intake.json()["code"], "digits": "0007"})
        assert lookup.status_code == 200, lookup.status_code
        assert lookup.context["result"] is not None
    assert Dossier.objects.get().events.count() == 3


# A worker killed mid-recompute --------------------------------------------------------------------


def _backends_of(database_url: str, application_name: str) -> list[tuple[int, bool, str | None]]:
    """The database sessions of a worker: (pid, has written in its transaction, waiting on)."""
    with psycopg.connect(database_url, autocommit=True) as watcher:
        return watcher.execute(
            "SELECT pid, backend_xid IS NOT NULL, wait_event_type FROM pg_stat_activity "
            "WHERE application_name = %s ORDER BY backend_start",
            [application_name],
        ).fetchall()


def _blocked_mid_write(
    database_url: str, application_name: str, *, task, besides=(), written: bool = True
) -> tuple:
    """Wait for a session of the worker (other than ``besides``) that waits on a lock, and
    has written in its transaction unless ``written`` is false. ``task`` (its AsyncResult)
    must not finish meanwhile."""

    def blocked():
        if task.ready():
            raise AssertionError(f"the task ended before blocking: {task.state} {task.result!r}")
        for session in _backends_of(database_url, application_name):
            if session[0] not in besides and session[2] == "Lock":
                return session
        return None

    session = wait_for(blocked, seconds=90, what="the worker to block inside its recompute")
    assert session[1] or not written, "the worker's transaction had not written anything yet"
    return session


def _rollup_rows() -> list[tuple]:
    return sorted(
        Rollup.objects.values_list(
            "period_key", "unit_id", "procedure_id", *COUNTERS, "computed_at"
        )
    )


def _rollup_runs() -> list[tuple]:
    return sorted(RollupRun.objects.values_list("period_key", "unit_id", "computed_at"))


def _stale_rollups(*, code: str, procedure_code: str) -> Unit:
    """A commune whose rollups were computed, then four more dossiers not yet counted."""
    broker = settings.CELERY_BROKER_URL
    skip_unless_available(
        broker_reachable(broker), "needs a Redis broker: set CELERY_BROKER_URL=redis://…"
    )
    commune = UnitFactory(code=code, name="UBND xã Minh Hải", level=UnitLevel.COMMUNE)
    version = published_procedure(code=procedure_code)
    for _ in range(3):
        received_dossier(desk=commune, procedure_version=version, received_at=timezone.now())
    rollups_sweep.apply()
    with celery_broker("memory://"):
        for _ in range(4):
            received_dossier(desk=commune, procedure_version=version, received_at=timezone.now())
    assert rollups_now() != recomputed_now()
    return commune


@contextmanager
def _run_stamps_held(unit: Unit) -> Iterator[None]:
    """Hold the rows the recompute writes last (its "computed at" stamps of ``unit``): a
    worker blocks there with every figure of its transaction already written."""
    locker = psycopg.connect(shared_database_url())
    try:
        locker.execute(
            "SELECT 1 FROM reports_rolluprun WHERE unit_id = %s FOR UPDATE", [unit.pk]
        ).fetchall()
        yield
    finally:
        locker.rollback()
        locker.close()


@pytest.fixture
def queue_and_name():
    """A private queue name and a database application name for each worker; the queues are
    cleared from the broker afterwards."""
    queues = []

    def make() -> tuple[str, str]:
        tag = uuid.uuid4().hex[:8]
        queues.append(f"reliability-{tag}")
        return queues[-1], f"reliability-worker-{tag}"

    yield make
    for queue in queues:
        broker_queue_forget(queue)


@pytest.mark.worker
@pytest.mark.usefixtures("postgresql")
def test_a_worker_killed_mid_recompute_leaves_no_partial_rollup_and_a_rerun_agrees(queue_and_name):
    database_url = shared_database_url()
    commune = _stale_rollups(code="REL-XB", procedure_code="1.000002")
    before_rows, before_runs = _rollup_rows(), _rollup_runs()
    queue, name = queue_and_name()

    with (
        _run_stamps_held(commune),
        worker_process(queue=queue, application_name=name) as worker,
        celery_broker(settings.CELERY_BROKER_URL),
        results_kept_in(settings.CELERY_BROKER_URL),
    ):
        task = rollups_sweep.apply_async(queue=queue)
        session = _blocked_mid_write(database_url, name, task=task)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    wait_for(
        lambda: not _backends_of(database_url, name),
        seconds=30,
        what="the killed worker's database session to end",
    )
    # Nothing of the killed recompute is visible: not one cell, not one stamp.
    assert _rollup_rows() == before_rows
    assert _rollup_runs() == before_runs

    # A new worker reruns the sweep: the figures equal a full recompute, and again.
    rerun_queue, rerun_name = queue_and_name()
    with (
        worker_process(queue=rerun_queue, application_name=rerun_name),
        celery_broker(settings.CELERY_BROKER_URL),
        results_kept_in(settings.CELERY_BROKER_URL),
    ):
        rollups_sweep.apply_async(queue=rerun_queue).get(timeout=90)
        first = rollups_now()
        rollups_sweep.apply_async(queue=rerun_queue).get(timeout=90)
    assert first == recomputed_now() == rollups_now()
    print(
        f"\nworker SIGKILLed mid-transaction (session {session[0]} had written and was "
        f"waiting): {len(before_rows)} rollup rows and {len(before_runs)} stamps unchanged; "
        f"rerun by a new worker: {len(first)} current cells equal to a full recompute, twice"
    )


@pytest.mark.worker
@pytest.mark.usefixtures("postgresql")
def test_a_task_whose_worker_process_is_killed_is_delivered_again_and_completes(queue_and_name):
    # DESIGN §6: acks_late with task_reject_on_worker_lost; without the latter it is lost.
    database_url = shared_database_url()
    commune = _stale_rollups(code="REL-XD", procedure_code="1.000004")
    before_rows, before_runs = _rollup_rows(), _rollup_runs()
    queue, name = queue_and_name()

    with (
        worker_process(queue=queue, application_name=name, pool="prefork") as worker,
        celery_broker(settings.CELERY_BROKER_URL),
        results_kept_in(settings.CELERY_BROKER_URL),
    ):
        with _run_stamps_held(commune):
            task = rollups_sweep.apply_async(queue=queue)
            killed = _blocked_mid_write(database_url, name, task=task)
            (child,) = child_processes(worker.pid)
            os.kill(child, signal.SIGKILL)
            # The message goes back to the queue and a new child takes it up; it waits for the
            # killed child's session (still holding the period locks) to give up.
            _blocked_mid_write(database_url, name, task=task, besides={killed[0]}, written=False)
            assert _rollup_rows() == before_rows
        wait_for(
            lambda: _rollup_runs() != before_runs,
            seconds=90,
            what="the delivered-again sweep to commit",
        )
        assert worker.poll() is None, "the worker itself must survive its child"
    assert rollups_now() == recomputed_now()
    assert {unit for _key, unit, _at in _rollup_runs()} >= {commune.pk}
    print(
        f"\nworker child {child} SIGKILLed mid-transaction: the sweep was delivered again, "
        f"{len(rollups_now())} current cells equal to a full recompute"
    )


# The database failing mid-import ------------------------------------------------------------------

FAIL_ON_ROW_SQL = """
CREATE OR REPLACE FUNCTION reliability_fail_on_row() RETURNS trigger AS $$
DECLARE
    seen integer := coalesce(nullif(current_setting('reliability.rows', true), ''), '0')::integer;
BEGIN
    seen := seen + 1;
    PERFORM set_config('reliability.rows', seen::text, true);  -- this transaction only
    IF seen >= TG_ARGV[0]::integer THEN
        RAISE EXCEPTION 'reliability: the disk failed at row %', seen;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


def _fail_on_row(table: str, n: int) -> None:
    """Make the database refuse the n-th row written to ``table`` in a transaction."""
    with connection.cursor() as cursor:
        cursor.execute(FAIL_ON_ROW_SQL)
        cursor.execute(
            f"CREATE TRIGGER reliability_fail BEFORE INSERT ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION reliability_fail_on_row({n})"
        )


def _heal(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER reliability_fail ON {table}")


def _counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "procedures": Procedure.objects.count(),
        "versions": ProcedureVersion.objects.count(),
        "dossiers": Dossier.objects.count(),
        "events": Event.objects.count(),
        "counters": DossierCodeCounter.objects.count(),
    }


def _csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


DOSSIER_ROWS = 2500  # more than one chunk of import_dossiers (2,000): the first is written


@pytest.mark.usefixtures("postgresql")
def test_a_database_failure_mid_import_of_dossiers_writes_nothing(tmp_path):
    UnitFactory(code="REL-XC", name="UBND xã Đình Dù")
    published_procedure(code="1.000003")
    file = _csv(
        tmp_path / "dossiers.csv",
        "procedure_code,unit_code,channel,applicant_name,received_at",
        [
            f"1.000003,REL-XC,direct,Công dân {n},2021-03-{1 + n % 28:02d}T09:{n % 60:02d}:00"
            for n in range(DOSSIER_ROWS)
        ],
    )
    before = _counts()
    _fail_on_row(Dossier._meta.db_table, DOSSIER_ROWS - 10)
    # One line for the officer: the COPY writer (cchc_portal.db) raises Django's own error.
    with pytest.raises(CommandError, match=r"database refused.*the disk failed at row 2490"):
        call_command("import_dossiers", str(file))
    assert _counts() == before
    _heal(Dossier._meta.db_table)
    call_command("import_dossiers", str(file))
    after = _counts()
    assert after["dossiers"] - before["dossiers"] == DOSSIER_ROWS
    # Codes start at 0001 on each day: the failed run gave its numbers back.
    assert Dossier.objects.filter(code__endswith="-0001").count() == 28


@pytest.mark.usefixtures("postgresql")
def test_a_database_failure_mid_import_of_units_writes_nothing(tmp_path):
    file = _csv(
        tmp_path / "units.csv",
        "code,name,level,parent_code,valid_from,valid_to",
        ["REL-T,Tỉnh Hưng Yên,province,,2020-01-01,"]
        + [f"REL-T-{n:02d},Xã {n},commune,REL-T,2020-01-01," for n in range(40)],
    )
    before = _counts()
    _fail_on_row(Unit._meta.db_table, 30)
    with pytest.raises(CommandError, match=r"database refused.*the disk failed at row 30"):
        call_command("import_units", str(file))
    assert _counts() == before
    _heal(Unit._meta.db_table)
    call_command("import_units", str(file))
    assert _counts()["units"] - before["units"] == 41


@pytest.mark.usefixtures("postgresql")
def test_a_database_failure_mid_import_of_procedures_writes_nothing(tmp_path):
    file = _csv(
        tmp_path / "procedures.csv",
        "code,name,sector_code,sector_name,level,online_level,processing_time,processing_unit",
        [f"2.{n:06d},Thủ tục {n},HT,Hộ tịch,commune,4,3,working_days" for n in range(60)],
    )
    before = _counts()
    _fail_on_row(ProcedureVersion._meta.db_table, 45)
    with pytest.raises(CommandError, match=r"database refused.*the disk failed at row 45"):
        call_command("import_procedures", str(file))
    assert _counts() == before
    _heal(ProcedureVersion._meta.db_table)
    call_command("import_procedures", str(file))
    assert _counts()["procedures"] - before["procedures"] == 60
