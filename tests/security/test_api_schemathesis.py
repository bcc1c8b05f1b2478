"""schemathesis against the OpenAPI schema (/api/schema/), in-process through the WSGI app,
signed in as an administrator and as a desk officer: no operation answers 5xx, and every
answer matches the schema.

Each generated call runs in a savepoint that is rolled back, so one example's intake or step
never changes what the next one sees.
"""

from __future__ import annotations

import os
import zlib

import pytest
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, given, settings

from .world import World, client_as

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

pytestmark = pytest.mark.django_db

EXAMPLES = 200


@pytest.fixture
def wsgi_app():
    """The project's WSGI app, sharing the test's connection and transaction (as Django's test
    client does, the connection is not closed at the end of each request)."""
    from django.core.wsgi import get_wsgi_application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _credentials(world: World, role: str) -> tuple[dict, dict]:
    session = client_as(world, role).cookies[django_settings.SESSION_COOKIE_NAME].value
    token = _get_new_csrf_string()
    cookies = {
        django_settings.SESSION_COOKIE_NAME: session,
        django_settings.CSRF_COOKIE_NAME: token,
        django_settings.LANGUAGE_COOKIE_NAME: "en",
    }
    return cookies, {"X-CSRFToken": token}


@pytest.mark.parametrize("mode", ["positive", "negative"])
@pytest.mark.parametrize("role", ["admin", "desk"])
def test_no_api_operation_fails_or_breaks_its_schema(world: World, wsgi_app, role: str, mode: str):
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    cookies, headers = _credentials(world, role)
    tried: dict[str, int] = {}
    codes = [world.own.dossier.code, world.other.dossier.code, world.own.refused.code]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=schema.as_strategy(generation_mode=GenerationMode(mode)))
    def check(case):
        if "code" in (case.path_parameters or {}) and "dossiers" in case.path:
            # Half the time a real dossier (own, another province's, refused), so the steps
            # get past the 404.
            seed = zlib.crc32(repr(case.body).encode()) % 6
            if seed < 3:
                case.path_parameters["code"] = codes[seed]
        with transaction.atomic():
            response = case.call_and_validate(
                headers=headers,
                cookies=cookies,
                checks=[not_a_server_error, response_schema_conformance],
            )
            transaction.set_rollback(True)
        key = f"{case.operation.label} {response.status_code}"
        tried[key] = tried.get(key, 0) + 1

    check()
    if os.environ.get("HOSTILE_REPORT"):
        print(role, mode, sum(tried.values()), sorted(tried.items()))
