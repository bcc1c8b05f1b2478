"""Shared pieces of the reliability tests: PostgreSQL only, many clients at once, a Celery
app pointed at another broker for the length of a test."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import (
    QUIET_WORKER,
    ROOT,
    celery_worker_argv,
    shared_database_url,
    skip_unless_available,
)

# A port nothing listens on: connecting is refused at once, as with a stopped Redis.
CLOSED_BROKER_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def postgresql(transactional_db) -> None:
    """Committed data on PostgreSQL, where transactions really run side by side and other
    processes (workers, pg_dump, manage.py) see what the test wrote."""
    skip_unless_available(
        connection.vendor == "postgresql",
        "needs PostgreSQL (committed data shared by connections and processes): "
        "set DATABASE_URL=postgres://…",
    )


@contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Send tasks to ``url`` (not eagerly) until the block ends, then restore the app.

    Celery keeps its connection pools once made: they are dropped on the way in and out so
    that the next ``apply_async`` connects to the broker now configured.
    """
    from cchc_portal.celery import app

    previous = (app.conf.get("broker_url"), app.conf.task_always_eager)
    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    previous_environ = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    _pools_drop(app)
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        if previous_environ is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = previous_environ
        _pools_drop(app)


def _pools_drop(app) -> None:
    # What Celery itself does after a fork (Celery._after_fork).
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


def run_at_once(workers: list[Callable[[], None]], *, timeout: float = 120) -> list[BaseException]:
    """Run each callable in its own thread (hence its own database connection), all released
    together; the exceptions they raised, for the main thread to report."""
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(work: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=30)
            work()
        except BaseException as error:  # reported by the main thread
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    stuck = [thread for thread in threads if thread.is_alive()]
    if stuck:
        errors.append(TimeoutError(f"{len(stuck)} client(s) still running after {timeout} s"))
    return errors


@contextmanager
def worker_process(
    *, queue: str, application_name: str, pool: str = "solo"
) -> Iterator[subprocess.Popen]:
    """A real Celery worker on the test database, consuming ``queue`` only: ``solo`` runs the
    tasks in the worker's own process, ``prefork`` in one child process (as in production).
    Its database sessions carry ``application_name`` (libpq's PGAPPNAME), so that a test can
    watch them in ``pg_stat_activity``. The caller may kill it or its child."""
    env = {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_BROKER_URL,
        "PGAPPNAME": application_name,
    }
    options = (f"--pool={pool}", "--concurrency=1", *QUIET_WORKER, "--loglevel=WARNING")
    worker = subprocess.Popen(celery_worker_argv(queue, *options), cwd=ROOT, env=env)
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)


def child_processes(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux /proc)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


def broker_queue_forget(queue: str) -> None:
    """Remove what a test's private queue left on a Redis broker: the queue, its bindings and
    the message a killed worker held (kombu would put it back after the visibility timeout,
    on a queue nobody listens to any more)."""
    import json

    import redis

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for tag, value in broker.hgetall("unacked").items():
        _message, _exchange, routing_key = json.loads(value)
        if routing_key == queue:
            broker.hdel("unacked", tag)
            broker.zrem("unacked_index", tag)
    broker.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
