"""Intake over HTTP: gunicorn serving the portal, concurrent desk officers posting the intake form.

``bench/run.py --only intake`` calls :func:`intake_rows`; run as a script this file is the load
driver (the second process), which needs no Django:

    python bench/intake_http.py --port P --sessions FILE --count N --clients C

The server runs as in production (``DJANGO_DEBUG=0``, PostgreSQL with persistent connections,
Redis for the cache and the Celery broker, collected static files), behind no proxy: each request
carries ``X-Forwarded-Proto: https`` as the TLS-terminating proxy would, so the secure cookies,
the HTTPS redirect and the CSRF origin check all apply. Each client is its own desk officer of
the province's public-service centre (the busiest desk: every intake takes the same per-day code
counter) with a session made in the database beforehand; it GETs the intake page once for the
CSRF cookie and token, then posts the form (``Connection: keep-alive``) for its share of the
intakes, and reads the new code from the redirect to the dossier page. Afterwards every returned
code must exist exactly once in the database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]
INTAKE_PATH = "/ho-so/tiep-nhan/"
_CODE = re.compile(r"^/ho-so/([^/]+-\d{6}-\d{4,7})/$")
SERVER_SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# The driver (no Django) ---------------------------------------------------------------------------


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


# Over 60 lines on purpose: a desk officer's whole session in the client process (no Django),
# kept in one place so that what is timed is plain to see.
def _client(
    *, port: int, session: dict, count: int, start: threading.Barrier, results: list
) -> None:
    origin = f"https://127.0.0.1:{port}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookies = {session["cookie"]: session["key"]}

    def headers(extra: dict | None = None) -> dict:
        return {
            "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
            "X-Forwarded-Proto": "https",
            "Host": f"127.0.0.1:{port}",
            **(extra or {}),
        }

    connection.request("GET", INTAKE_PATH, headers=headers())
    response = connection.getresponse()
    page = response.read().decode()
    if response.status != 200:
        start.wait()
        results.append(("setup", 0.0, f"GET {INTAKE_PATH} answered {response.status}"))
        return
    cookies.update(_cookies(response))
    token = _TOKEN.search(page).group(1)
    start.wait()
    for n in range(count):
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "procedure_version": session["versions"][n % len(session["versions"])],
                "channel": "direct",
                "applicant_name": f"Người nộp {session['name']} {n}",
                "applicant_phone": f"09{n % 100_000_000:08d}",
                "sets_count": "1",
                "received_at": time.strftime("%Y-%m-%dT%H:%M", time.localtime()),
            }
        )
        started = time.perf_counter()
        try:
            connection.request(
                "POST",
                INTAKE_PATH,
                body=body,
                headers=headers(
                    {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Origin": origin,
                        "Referer": origin + INTAKE_PATH,
                    }
                ),
            )
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            results.append(("error", time.perf_counter() - started, repr(error)))
            connection.close()
            continue
        elapsed = time.perf_counter() - started
        location = urllib.parse.urlsplit(response.headers.get("Location", "")).path
        match = _CODE.match(location)
        if response.status == 302 and match:
            results.append(("ok", elapsed, match.group(1)))
        else:
            results.append(("error", elapsed, f"{response.status} {location}"))


def drive(*, port: int, sessions: list[dict], count: int) -> dict:
    """Share ``count`` intakes between one thread per session; the figures as a dict."""
    results: list[tuple[str, float, str]] = []
    start = threading.Barrier(len(sessions) + 1)
    shares = [count // len(sessions) + (i < count % len(sessions)) for i in range(len(sessions))]
    threads = [
        threading.Thread(
            target=_client,
            kwargs={"port": port, "session": s, "count": c, "start": start, "results": results},
        )
        for s, c in zip(sessions, shares, strict=True)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies = sorted(elapsed for kind, elapsed, _ in results if kind == "ok")
    return {
        "wall": wall,
        "codes": [value for kind, _, value in results if kind == "ok"],
        "errors": [value for kind, _, value in results if kind != "ok"],
        "p50": statistics.median(latencies) if latencies else None,
        "p95": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
        if latencies
        else None,
    }


# The server and the bench row (Django) ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _desk_sessions(clients: int) -> list[dict]:
    """One desk officer of the centre per client, logged in (a database session), and
    published province-level procedure versions in force today."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings
    from django.utils import timezone
    from generate import CENTRE

    from org.models import Membership, Unit
    from procedures.models import ProcedureVersion, VersionStatus

    centre = Unit.objects.get(code=CENTRE)
    today = timezone.localdate()
    versions = [
        str(version.pk)
        for version in ProcedureVersion.objects.filter(
            status=VersionStatus.PUBLISHED, levels__level="province"
        )
        .select_related("procedure")
        .order_by("pk")[:200]
        if version.is_in_force_on(today)
    ][:50]
    assert versions, "no published version in force today for the centre"
    sessions = []
    for n in range(clients):
        user, _ = get_user_model().objects.get_or_create(username=f"bench-intake-{n}")
        Membership.objects.get_or_create(
            user=user, defaults={"unit": centre, "role": "desk_officer"}
        )
        client = Client()
        # Signed with the server's key: the session data and the password hash in it.
        with override_settings(SECRET_KEY=SERVER_SECRET_KEY):
            client.force_login(user)
        sessions.append(
            {
                "cookie": settings.SESSION_COOKIE_NAME,
                "key": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "name": f"{n}-{int(time.time())}",
                "versions": versions,
            }
        )
    return sessions


def _wait_until_up(server: subprocess.Popen, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def server_environment(database_url: str, redis_url: str) -> dict[str, str]:
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": SERVER_SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "PYTHONPATH": str(ROOT),
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return environment


# Over 60 lines on purpose: one benchmark run read top to bottom (servers, sessions, load,
# checks), like the other rows of bench/run.py.
def intake_rows(
    *, count: int, clients: int, workers: int, database_url: str, redis_url: str
) -> list[tuple[str, str, str, str, str]]:
    from dossiers.models import Dossier

    environment = server_environment(database_url, redis_url)
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        # A deployment step (README): the manifest storage of DEBUG=0 needs it to render pages.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=environment,
            check=True,
        )
    sessions = _desk_sessions(clients)
    before = Dossier.objects.count()
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with tempfile.TemporaryDirectory() as folder:
        sessions_file = Path(folder) / "sessions.json"
        sessions_file.write_text(json.dumps(sessions))
        server = subprocess.Popen(
            [
                str(gunicorn),
                "cchc_portal.wsgi",
                "-w",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=environment,
        )
        try:
            _wait_until_up(server, port)
            driver = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--port",
                    str(port),
                    "--sessions",
                    str(sessions_file),
                    "--count",
                    str(count),
                ],
                check=True,
                capture_output=True,
                text=True,
                timeout=900,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
            # The rollup refreshes the server queued: no worker runs them here (the bench
            # drains the marks itself); leave no queue behind.
            redis.Redis.from_url(redis_url).delete("celery")
    figures = json.loads(driver.stdout)
    codes = figures["codes"]
    stored = list(Dossier.objects.filter(code__in=codes).values_list("code", flat=True))
    created = Dossier.objects.count() - before
    duplicates = len(codes) - len(set(codes)) + len(stored) - len(set(stored))
    missing = len(set(codes) - set(stored))
    errors = figures["errors"]
    assert not duplicates and not missing, (duplicates, missing)
    assert created == len(codes), (created, len(codes))
    rate = len(codes) / figures["wall"]
    return [
        (
            f"intake over HTTP, {len(codes):,} intakes, {clients} clients, {workers} workers",
            f"{rate:,.0f}/s",
            "≥ 150/s",
            "",
            "",
        ),
        (
            "  intake latency p50 / p95",
            f"{figures['p50'] * 1000:,.0f} / {figures['p95'] * 1000:,.0f} ms" if codes else "-",
            "p95 ≤ 150 ms",
            "",
            "",
        ),
        (
            "  errors, duplicate or missing codes",
            f"{len(errors)}, {duplicates}, {missing}" + (f" ({errors[0]})" if errors else ""),
            "0, 0, 0",
            "",
            "",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description="The intake load driver (no Django).")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--sessions", required=True)
    parser.add_argument("--count", type=int, required=True)
    options = parser.parse_args()
    sessions = json.loads(Path(options.sessions).read_text())
    print(json.dumps(drive(port=options.port, sessions=sessions, count=options.count)))


if __name__ == "__main__":
    main()
