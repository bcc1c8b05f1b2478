"""Every URL of the project refuses a POST without a CSRF token (403), for every role, before
the view runs: no form, API call or admin page can be driven from another site."""

from __future__ import annotations

import pytest

from dossiers.models import Dossier, Event

from .matrix import is_scoped, named_patterns, sample_url
from .world import ROLES, World, client_as

pytestmark = pytest.mark.django_db

# Read-only API endpoints: DRF checks CSRF only for a session, so an anonymous POST meets the
# method check instead (405); there is no form behind them.
READ_ONLY_API = {"api-sector-list", "api-sector-detail", "api-schema", "api-docs"}


@pytest.mark.parametrize("role", ROLES)
def test_it_refuses_every_post_without_a_csrf_token(world: World, role: str):
    client = client_as(world, role, enforce_csrf_checks=True)
    dossiers, events = Dossier.objects.count(), Event.objects.count()
    accepted = []
    posted = 0
    for item in named_patterns():
        url = sample_url(item, world, "own" if is_scoped(item) else None)
        response = client.post(url, {"reason": "x", "note": "x"})
        posted += 1
        if role == "anonymous" and item.name in READ_ONLY_API and response.status_code == 405:
            continue
        if response.status_code != 403:
            accepted.append(f"{item.name} {url}: {response.status_code}")
    assert not accepted, f"{len(accepted)} of {posted} POSTs without a token:\n" + "\n".join(
        accepted
    )
    assert (Dossier.objects.count(), Event.objects.count()) == (dossiers, events)


def test_it_refuses_an_api_step_without_a_csrf_token(world: World):
    """DRF's session authentication checks the token itself (its views are csrf_exempt)."""
    client = client_as(world, "leader", enforce_csrf_checks=True)
    code = world.own.dossier.code
    response = client.post(
        f"/api/v1/dossiers/{code}/supplement_complete/", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Dossier.objects.get(code=code).status == "supplement_requested"
