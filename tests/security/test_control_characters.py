"""A control character never enters through a form or the API, and an import drops it (issue
"reliability II", item 5): one stored used to break every XLSX export it reached."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.models import Dossier, Event
from org.models import Role
from org.text import control_characters_removed, has_control_characters
from tests.factories import MembershipFactory, UnitFactory, UserFactory, published_procedure

DOSSIERS = "/api/v1/dossiers/"
INTAKE = {
    "procedure_code": "1.000001",
    "channel": "direct",
    "received_at": "2021-03-02T09:00:00+07:00",
    "backdate_reason": "Nhập lại hồ sơ nhận qua bưu điện",
}


@pytest.mark.parametrize("character", ["\x1b", "\x07", "\x08", "\x00", "\x0b", "\x1f"])
def test_these_are_control_characters(character):
    assert has_control_characters(f"Nguyễn{character}Văn")
    assert control_characters_removed(f"Nguyễn{character}Văn") == "NguyễnVăn"


@pytest.mark.parametrize("text", ["Thôn 1\nxã A", "Cột\tB", "dòng\r\nmới", "Nguyễn Văn An"])
def test_tabs_and_line_breaks_are_text(text):
    assert not has_control_characters(text)


@pytest.fixture
def officer(db):
    commune = UnitFactory(code="XA-A", name="Xã A")
    version = published_procedure(code="1.000001", name="Đăng ký khai sinh")
    user = UserFactory(username="motcua.a")
    MembershipFactory(user=user, unit=commune, role=Role.DESK_OFFICER)
    return user, version


def api_client(user) -> APIClient:
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.mark.parametrize("character", ["\x1b", "\x07", "\x08"])
def test_the_intake_form_refuses_a_control_character_and_writes_nothing(officer, character):
    user, version = officer
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    response = client.post(
        reverse("dossiers:intake"),
        {
            "procedure_version": str(version.pk),
            "channel": "direct",
            "applicant_name": f"Nguyễn{character}Văn An",
            "sets_count": "1",
            "received_at": "02/03/2021 09:00",
            "backdate_reason": "Nhập lại",
            "decision": "receive",
        },
    )
    assert response.status_code == 400
    assert "The field applicant_name holds a control character" in response.content.decode()
    assert not Dossier.objects.exists()
    assert not Event.objects.exists()


def test_the_api_refuses_an_escaped_control_character_and_writes_nothing(officer):
    user, _version = officer
    body = '{"applicant": {"name": "Nguyễn\\u001bVăn An"}, "channel": "direct"}'
    response = api_client(user).post(DOSSIERS, body, content_type="application/json")
    assert response.status_code == 400
    assert "control character" in response.json()["detail"][0]
    assert not Dossier.objects.exists()


def test_the_api_takes_the_text_of_an_escape_and_line_breaks(officer):
    user, _version = officer
    # "\\u001b" is the six characters \u001b as text, and a newline is text: both are accepted.
    intake = {**INTAKE, "applicant": {"name": "An \\u001b", "address": "Thôn 1\nxã A"}}
    response = api_client(user).post(DOSSIERS, intake, format="json")
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get()
    assert (dossier.applicant_name, dossier.applicant_address) == ("An \\u001b", "Thôn 1\nxã A")
