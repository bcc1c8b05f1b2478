"""A Celery worker keeps running through a Redis restart while it holds a task (issue 17).

A real worker, started as the Procfile starts it (prefork, two processes, gossip, mingle and
heartbeats on), on a private queue of a private ``redis-server``. It takes a task that holds
it for a few seconds; Redis is stopped under it and started again (empty: no persistence).
With kombu 5.7.0 as released, the worker died on the spot ("Unrecoverable error:
AttributeError: 'NoneType' object has no attribute 'hostname'" while putting the held
message back); cchc_portal/celery.py's Redis channel turns that into a connection error
kombu ignores. Checked: the worker is alive throughout, the held task runs to its end
exactly once (Redis came back without its data, so nothing can deliver it again), and tasks
sent after the restart complete, among them the real rollup sweep on the shared database.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import timezone

from org.models import UnitLevel
from reports.models import Rollup
from reports.tasks import rollups_sweep
from tests.conftest import ROOT, celery_worker_argv, shared_database_url, skip_unless_available
from tests.factories import UnitFactory, published_procedure, received_dossier

from .conftest import celery_broker
from .polling import wait_for
from .redis_process import redis_process, redis_server_available

HOLD = "tests.reliability.outage_tasks.hold"
HOLD_SECONDS = 8


@contextmanager
def worker_on(broker_url: str, *, queue: str, log: Path) -> Iterator[subprocess.Popen]:
    """The Procfile's worker command on ``queue`` only, loading the test tasks; its output
    goes to ``log``. No result backend (the portal's default) and no Redis cache."""
    env = {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": "",
        "REDIS_URL": "",
    }
    with log.open("wb") as output:
        options = (
            "--loglevel=INFO",
            "--concurrency=2",
            "--include",
            "tests.reliability.outage_tasks",
        )
        worker = subprocess.Popen(
            celery_worker_argv(queue, *options),
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=60)


def _tail(log: Path, lines: int = 60) -> str:
    text = log.read_text(errors="replace") if log.exists() else ""
    return "worker log:\n" + "\n".join(text.splitlines()[-lines:])


def _notes(path: Path) -> Counter:
    return Counter(path.read_text().splitlines() if path.exists() else [])


@pytest.fixture
def services(postgresql) -> None:
    skip_unless_available(
        redis_server_available(), "needs redis-server on PATH (a private Redis to stop)"
    )


@pytest.mark.worker
@pytest.mark.usefixtures("services")
@pytest.mark.parametrize(
    "outage_seconds",
    [3, HOLD_SECONDS + 4],
    ids=["redis-back-while-the-task-runs", "redis-back-after-the-task-ended"],
)
def test_the_worker_survives_a_redis_restart_while_it_holds_a_task(tmp_path, outage_seconds):
    commune = UnitFactory(code="REL-XW", name="UBND xã Hồng Phong", level=UnitLevel.COMMUNE)
    version = published_procedure(code="1.000017")
    with celery_broker("memory://"):  # the rollup enqueue goes nowhere: no rollup yet
        received_dossier(desk=commune, procedure_version=version, received_at=timezone.now())
    assert not Rollup.objects.filter(unit=commune).exists()
    notes, log = tmp_path / "notes.txt", tmp_path / "worker.log"
    queue = f"outage-{uuid.uuid4().hex[:8]}"

    with redis_process() as redis, worker_on(redis.url, queue=queue, log=log) as worker:
        with celery_broker(redis.url):
            from cchc_portal.celery import app

            app.send_task(HOLD, args=[str(notes), "held", HOLD_SECONDS], queue=queue)
        wait_for(
            lambda: _notes(notes)["started held"],
            seconds=60,
            what="the held task",
            detail=lambda: _tail(log),
        )

        redis.stop()
        stopped = time.monotonic()
        wait_for(
            lambda: "Connection to broker lost" in log.read_text(errors="replace"),
            seconds=30,
            what="the worker to notice",
            detail=lambda: _tail(log),
        )
        while time.monotonic() - stopped < outage_seconds:
            assert worker.poll() is None, f"the worker died with Redis down\n{_tail(log)}"
            time.sleep(0.2)
        held_ended_in_outage = _notes(notes)["finished held"] == 1
        redis.start()

        with celery_broker(redis.url):
            from cchc_portal.celery import app

            app.send_task(HOLD, args=[str(notes), "after", 0.1], queue=queue)
            rollups_sweep.apply_async(queue=queue)
        wait_for(
            lambda: _notes(notes)["finished after"] and _notes(notes)["finished held"],
            seconds=90,
            what="the held task and the task sent after the restart",
            detail=lambda: _tail(log),
        )
        wait_for(
            lambda: Rollup.objects.filter(unit=commune).exists(),
            seconds=90,
            what="the rollup sweep sent after the restart",
            detail=lambda: _tail(log),
        )
        assert worker.poll() is None, f"the worker died\n{_tail(log)}"

    output = log.read_text(errors="replace")
    assert "Unrecoverable error" not in output, _tail(log)
    assert _notes(notes) == {
        "started held": 1,
        "finished held": 1,
        "started after": 1,
        "finished after": 1,
    }
    assert held_ended_in_outage == (outage_seconds > HOLD_SECONDS)
    print(
        f"\nRedis stopped under a worker holding an {HOLD_SECONDS} s task for "
        f"{outage_seconds} s: worker alive, held task finished once "
        f"({'during' if held_ended_in_outage else 'after'} the outage), a task and the "
        f"rollup sweep sent after the restart completed "
        f"({Rollup.objects.filter(unit=commune).count()} rollup rows for the commune)"
    )


def test_the_private_redis_stops_and_starts_again_on_its_port():
    import redis as redis_client

    skip_unless_available(redis_server_available(), "needs redis-server on PATH")
    with redis_process() as server:
        assert server.url == f"redis://127.0.0.1:{server.port}/0"
        client = redis_client.Redis.from_url(server.url, socket_connect_timeout=1)
        client.set("kept", "no")
        server.stop()
        with pytest.raises(redis_client.ConnectionError):
            client.ping()
        server.start()
        assert client.ping()
        assert client.get("kept") is None  # no persistence: a restart starts empty
