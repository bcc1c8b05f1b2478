import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

# CI sets this so that a missing service fails the run instead of silently skipping tests.
SERVICES_REQUIRED = os.environ.get("CCHC_REQUIRE_SERVICES") == "1"


def skip_unless_available(available: bool, reason: str) -> None:
    """Skip a test that needs a real service, or fail it when CI says the service must exist."""
    if available:
        return
    if SERVICES_REQUIRED:
        pytest.fail(f"{reason} (CCHC_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


# Production keeps Django's slow-by-design PBKDF2 (tests/test_settings.py checks it); here
# hashing 11 users cost the security world 2.5 of its 3 s, and test passwords guard nothing.
TEST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Every password of the run is hashed (and checked) with MD5, before any fixture makes a
    user; processes the tests start (workers, gunicorn, manage.py) keep the real settings."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=TEST_PASSWORD_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _vietnamese_by_default(settings):
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploaded files (imports) go to a throw-away folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Tasks run eagerly in every test, even with a broker configured; only tests that ask
    for ``celery_worker_process`` send them to a real worker."""
    from cchc_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached values (the working calendar) survive pytest-django's rollback: start clean."""
    from django.core.cache import cache

    from dossiers.ratelimit import fallback_reset

    cache.clear()
    fallback_reset()  # the counts kept in the process while the cache is down


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo of ``make run`` (units, catalogue, Q1 2021 dossiers), loaded once per test
    module inside a transaction rolled back at its end; each test runs in a savepoint on top.
    Returns what ``demo_dossiers_load`` returned."""
    from django.core.cache import cache
    from django.db import transaction

    from cchc_portal.celery import app
    from dossiers.demo import demo_dossiers_load
    from org.demo import demo_organisation_load
    from procedures.demo import demo_catalogue_load

    # Function-scoped fixtures (cache clearing, eager tasks) only start after this one.
    cache.clear()
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo_organisation_load(password="cchc-demo")
            demo_catalogue_load()
            yield demo_dossiers_load()
        finally:
            app.conf.task_always_eager = previous
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


ROOT = Path(__file__).resolve().parent.parent


def broker_reachable(url: str) -> bool:
    if not url.startswith("redis"):
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def shared_database_url() -> str | None:
    """A URL of pytest-django's test database that another process can open."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        return None
    user = db["USER"] or "postgres"
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def results_kept_in(url: str) -> Iterator[None]:
    """Keep task results in ``url`` until the block ends, for a test that reads one (the
    portal itself runs with no result backend: publishing must not wait for one)."""
    from cchc_portal.celery import app

    previous = app.conf.result_backend
    app.conf.result_backend = url
    app._local.__dict__.pop("backend", None)  # Celery caches the backend per thread
    try:
        yield
    finally:
        app.conf.result_backend = previous
        app._local.__dict__.pop("backend", None)


@pytest.fixture
def celery_worker_process(transactional_db):
    broker = settings.CELERY_BROKER_URL
    skip_unless_available(
        broker_reachable(broker), "needs a Redis broker: set CELERY_BROKER_URL=redis://…"
    )
    database_url = shared_database_url()
    skip_unless_available(
        database_url is not None,
        "needs a database a worker process can share: set DATABASE_URL=postgres://…",
    )
    from cchc_portal.celery import app

    app.conf.task_always_eager = False
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cchc_portal",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        with results_kept_in(broker):
            yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=30)
