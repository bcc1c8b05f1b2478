import os
import re
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


def broker_of_this_process(url: str, worker: str) -> str:
    """The Redis database of one pytest-xdist process: ``gw0`` the one configured, ``gw1`` the
    one below it, …, so that a Celery worker one process starts never takes (or a test never
    purges) the other process's tasks. Anything else is left as it is."""
    match = re.fullmatch(r"(redis://[^/]+)/(\d+)", url)
    if not worker.startswith("gw") or not match:
        return url
    return f"{match[1]}/{int(match[2]) - int(worker[2:])}"


@pytest.fixture(autouse=True, scope="session")
def _broker_of_this_process():
    """Before any test publishes: this process's own Redis database (see above)."""
    from django.test import override_settings

    from cchc_portal.celery import app

    url = broker_of_this_process(
        settings.CELERY_BROKER_URL, os.environ.get("PYTEST_XDIST_WORKER", "")
    )
    if url == settings.CELERY_BROKER_URL:
        yield
        return
    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    previous = os.environ.get("CELERY_BROKER_URL"), app.conf.broker_url
    os.environ["CELERY_BROKER_URL"] = app.conf.broker_url = url
    with override_settings(CELERY_BROKER_URL=url):
        yield
    if previous[0] is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = previous[0]
    app.conf.broker_url = previous[1]


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


@contextmanager
def demo_base_loaded(django_db_blocker) -> Iterator[None]:
    """The demo's units and catalogue loaded (tasks run eagerly) in a transaction rolled back
    when the block ends: for module-scoped fixtures that load the rest of a demo on top."""
    from django.db import transaction

    from cchc_portal.celery import app
    from org.demo import demo_organisation_load
    from procedures.demo import demo_catalogue_load

    # Function-scoped fixtures (eager tasks) only start after a module-scoped one.
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo_organisation_load(password="cchc-demo")
            demo_catalogue_load()
            yield
        finally:
            app.conf.task_always_eager = previous
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo of ``make run`` (units, catalogue, Q1 2021 dossiers), loaded once per test
    module inside a transaction rolled back at its end; each test runs in a savepoint on top.
    Returns what ``demo_dossiers_load`` returned."""
    from django.core.cache import cache

    from dossiers.demo import demo_dossiers_load

    cache.clear()  # function-scoped fixtures (cache clearing) only start after this one
    with demo_base_loaded(django_db_blocker):
        yield demo_dossiers_load()


@pytest.fixture
def english():
    """The screen in English for the test (use with ``pytest.mark.usefixtures``)."""
    from django.utils import translation

    with translation.override("en"):
        yield


# The Hưng Yên units most page tests use; a module defining a fixture of the same name wins.
@pytest.fixture
def province(db):
    from tests.factories import hung_yen_unit

    return hung_yen_unit("province")


@pytest.fixture
def district(province):
    from tests.factories import hung_yen_unit

    return hung_yen_unit("district", parent=province)


@pytest.fixture
def commune(district):
    """UBND xã Lạc Đạo, also known as ``commune_a``."""
    from tests.factories import hung_yen_unit

    return hung_yen_unit("commune", parent=district)


@pytest.fixture
def commune_a(commune):
    return commune


@pytest.fixture
def commune_b(district):
    from tests.factories import hung_yen_unit

    return hung_yen_unit("commune_b", parent=district)


@pytest.fixture
def version(db):
    """Birth registration (1.000001, 3 working days), published from 2020-01-01."""
    from tests.factories import published_procedure

    return published_procedure(code="1.000001", name="Đăng ký khai sinh")


ROOT = Path(__file__).resolve().parent.parent


# Worker options that keep a test's worker from talking to other workers.
QUIET_WORKER = ("--without-gossip", "--without-mingle", "--without-heartbeat")


def celery_worker_argv(queue: str, *options: str) -> list[str]:
    """The command of a Celery worker of the portal consuming ``queue`` only."""
    return [sys.executable, "-m", "celery", "-A", "cchc_portal", "worker", *options, "-Q", queue]


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
    argv = celery_worker_argv(queue, "--pool=solo", *QUIET_WORKER, "--loglevel=WARNING")
    worker = subprocess.Popen(argv, cwd=ROOT, env=env)
    try:
        with results_kept_in(broker):
            yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=30)
