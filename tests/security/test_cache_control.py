"""No browser or proxy keeps a copy of personal data (issue 17, item 8): ``no-store`` on every
answer to a signed-in user and on the public lookup; static files keep their caching."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from org.models import Role
from tests.factories import MembershipFactory, UnitFactory, UserFactory, received_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    commune = UnitFactory(code="XA-A", name="Xã A")
    return received_dossier(desk=commune, applicant={"name": "Trần Thị B", "phone": "0912345678"})


@pytest.fixture
def desk_client(dossier) -> Client:
    officer = UserFactory(username="motcua.a")
    MembershipFactory(user=officer, unit=dossier.receiving_unit, role=Role.DESK_OFFICER)
    client = Client()
    client.force_login(officer)
    return client


def directives(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",") if part}


def test_a_dossier_page_is_not_stored(desk_client, dossier):
    response = desk_client.get(reverse("dossiers:detail", args=[dossier.code]))

    assert response.status_code == 200
    assert {"no-store", "private"} <= directives(response)


def test_an_api_answer_is_not_stored(desk_client, dossier):
    response = desk_client.get(f"/api/v1/dossiers/{dossier.code}/")

    assert response.status_code == 200
    assert {"no-store", "private"} <= directives(response)


def test_the_public_lookup_result_is_not_stored(client, dossier):
    response = client.get("/tra-cuu/", {"code": dossier.code, "digits": "5678"})

    assert response.status_code == 200 and response.context["result"] is not None
    assert {"no-store", "private"} <= directives(response)


def test_the_public_catalogue_may_be_cached(client):
    response = client.get(reverse("procedures:catalogue"))

    assert response.status_code == 200
    assert "no-store" not in directives(response)


def test_an_answer_with_its_own_caching_keeps_it(desk_client):
    response = desk_client.get(reverse("reports:chart", args=["channels"]))

    assert response.status_code == 200
    assert directives(response) == {"private", "max-age=300"}


def test_static_files_keep_their_caching(settings, desk_client):
    settings.WHITENOISE_USE_FINDERS = True  # read when the client's middleware is built
    client = Client()
    client.cookies = desk_client.cookies

    response = client.get(settings.STATIC_URL + "css/portal.css")

    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert any(part.startswith("max-age=") for part in directives(response))
