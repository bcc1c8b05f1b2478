"""Redis stopped under a running portal: the desk's requests over HTTP still answer at once,
and an officer never has a reason to submit twice.

The portal runs as in production (gunicorn, ``DJANGO_DEBUG=0``, no result backend) on the
test database, with a Redis of its own that the test stops and starts again. Two set-ups:
Redis as broker and cache (``REDIS_URL``), and Redis as broker only (``CELERY_BROKER_URL``,
the cache in the process: the ``make serve`` default). Before the fix every intake with Redis
down waited ~19 s for the result backend's retries, and without ``REDIS_URL`` gunicorn's
timeout killed the request after the dossier was saved (HTTP 500, then a duplicate).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from django.conf import settings
from django.test import Client

from dossiers.models import Dossier, Event, EventKind
from org.models import Role, UnitLevel
from tests.conftest import ROOT, shared_database_url, skip_unless_available
from tests.factories import MembershipFactory, UnitFactory, published_procedure

from .redis_process import free_port, redis_process, redis_server_available

pytestmark = pytest.mark.usefixtures("postgresql")

# What the issue asks: an intake with Redis down answers within 2 s.
ANSWER_SECONDS = 2.0
CSRF_SECRET = "r" * 32


@contextmanager
def portal_process(*, redis_url: str, cache_on_redis: bool) -> Iterator[str]:
    """gunicorn serving the portal with production settings on the test database; its base
    URL. Requests must carry ``X-Forwarded-Proto: https`` (the portal sits behind TLS)."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    }
    env.update(
        DATABASE_URL=shared_database_url(),
        CELERY_BROKER_URL=redis_url,
        DJANGO_DEBUG="0",
        SECRET_KEY=settings.SECRET_KEY,  # the test's sessions are valid there
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
    )
    if cache_on_redis:
        env["REDIS_URL"] = redis_url
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cchc_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


class Desk:
    """An officer's browser session against the portal process, over plain HTTP."""

    def __init__(self, base_url: str, session_key: str) -> None:
        self.base_url = base_url
        # Secure cookies are sent by hand: the TLS proxy is left out of the test.
        self.headers = {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
            "X-CSRFToken": CSRF_SECRET,
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{base_url.removeprefix('http://')}",
            "Accept-Language": "en",
        }

    def post(self, path: str, payload: dict) -> tuple[int, dict, float]:
        """POST ``payload`` as JSON: the status, the JSON answer and the seconds it took."""
        request = Request(
            self.base_url + path,
            data=json.dumps(payload).encode(),
            headers={**self.headers, "Content-Type": "application/json"},
            method="POST",
        )
        started = time.monotonic()
        try:
            with urlopen(request, timeout=60) as answer:
                status, body = answer.status, answer.read()
        except HTTPError as error:
            status, body = error.code, error.read()
        seconds = time.monotonic() - started
        try:
            content = json.loads(body)
        except ValueError:
            content = {"body": body[:500].decode(errors="replace")}
        return status, content, seconds

    def intake(self, number: int) -> tuple[int, dict, float]:
        return self.post(
            "/api/v1/dossiers/",
            {
                "procedure_code": "1.000017",
                "channel": "direct",
                "applicant": {"name": f"Công dân {number}", "phone": f"09170{number:05d}"},
            },
        )


@pytest.mark.parametrize("cache_on_redis", [True, False], ids=["redis-cache", "local-cache"])
def test_with_redis_stopped_the_desk_answers_at_once_and_nothing_duplicates(cache_on_redis):
    skip_unless_available(redis_server_available(), "needs redis-server on PATH")
    commune = UnitFactory(code="OUT-XA", name="UBND xã Thạch Hà", level=UnitLevel.COMMUNE)
    published_procedure(code="1.000017")
    client = Client()
    client.force_login(MembershipFactory(role=Role.UNIT_LEADER, unit=commune).user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    timings: dict[str, list[float]] = {"up": [], "down": [], "steps down": [], "back": []}
    with (
        redis_process() as redis_server,
        portal_process(redis_url=redis_server.url, cache_on_redis=cache_on_redis) as base_url,
    ):
        desk = Desk(base_url, session_key)
        status, answer, seconds = desk.intake(1)
        assert status == 201, answer
        timings["up"].append(seconds)

        redis_server.stop()
        codes = []
        for number in (2, 3, 4):
            status, answer, seconds = desk.intake(number)
            assert status == 201, answer
            timings["down"].append(seconds)
            codes.append(answer["code"])
        # The steps that publish (supplement request, finish) answer at once as well.
        url = f"/api/v1/dossiers/{codes[0]}/"
        status, answer, seconds = desk.post(
            url + "supplement_request/", {"reason": "Thiếu bản sao"}
        )
        assert status == 200, answer
        timings["steps down"].append(seconds)
        status, answer, seconds = desk.post(url + "supplement_complete/", {})
        assert status == 200, answer
        timings["steps down"].append(seconds)
        status, answer, seconds = desk.post(url + "finish/", {})
        assert status == 200, answer
        timings["steps down"].append(seconds)

        redis_server.start()
        status, answer, seconds = desk.intake(5)
        assert status == 201, answer
        timings["back"].append(seconds)

    slowest = max(timings["down"] + timings["steps down"])
    print(
        f"\nRedis stopped ({'cache and broker' if cache_on_redis else 'broker only'}): "
        + ", ".join(
            f"{what} " + "/".join(f"{seconds:.2f}" for seconds in values) + " s"
            for what, values in timings.items()
        )
    )
    assert slowest < ANSWER_SECONDS, timings
    # One dossier per request, each with its own history: nothing twice, nothing lost.
    names = sorted(Dossier.objects.values_list("applicant_name", flat=True))
    assert names == [f"Công dân {number}" for number in range(1, 6)]
    assert Event.objects.filter(kind=EventKind.RECEIVED).count() == 5
    assert Event.objects.filter(kind=EventKind.FINISHED).count() == 1
