"""A deeply nested JSON body is a 400, not a RecursionError (issue 17, item 6)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from cchc_portal.parsers import MAX_JSON_DEPTH, json_nesting_exceeds
from dossiers.models import Dossier
from org.models import Role
from tests.factories import MembershipFactory, UnitFactory, UserFactory, published_procedure

DOSSIERS = "/api/v1/dossiers/"
# About 2 KB each: 1,000 arrays or 340 objects, one inside the other.
NESTED_ARRAYS = "[" * 1000 + "]" * 1000
NESTED_OBJECTS = '{"a":' * 340 + "1" + "}" * 340


@pytest.mark.parametrize(
    "text, limit, too_deep",
    [
        ("[]", 1, False),
        ("[[]]", 1, True),
        ('{"a": {"b": [1, 2]}}', 3, False),
        ('{"a": {"b": [1, 2]}}', 2, True),
        # Brackets inside strings, escaped quotes included, do not nest.
        ('["[[[[", "{{{{"]', 1, False),
        ('["\\"[[[[", 1]', 1, False),
        ("[1]" * 100, 1, False),
    ],
)
def test_it_measures_the_nesting_outside_strings(text, limit, too_deep):
    assert json_nesting_exceeds(text, limit) is too_deep


def test_the_nested_body_would_break_pythons_decoder():
    with pytest.raises(RecursionError):
        json.loads(NESTED_ARRAYS)


@pytest.fixture
def desk_client(db) -> APIClient:
    commune = UnitFactory(code="XA-A", name="Xã A")
    published_procedure(code="1.000001", name="Đăng ký khai sinh")
    officer = UserFactory(username="motcua.a")
    MembershipFactory(user=officer, unit=commune, role=Role.DESK_OFFICER)
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(officer)
    return client


@pytest.mark.parametrize("body", [NESTED_ARRAYS, NESTED_OBJECTS], ids=["arrays", "objects"])
@pytest.mark.parametrize("address", [DOSSIERS, f"{DOSSIERS}refuse/"], ids=["intake", "refuse"])
def test_a_deeply_nested_body_is_a_400_and_writes_nothing(desk_client, address, body):
    assert len(body) < 2100

    response = desk_client.post(address, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels."
    }
    assert not Dossier.objects.exists()


def test_an_ordinary_intake_still_parses(desk_client):
    intake = {
        "procedure_code": "1.000001",
        "channel": "direct",
        # Brackets in a name are text, not nesting.
        "applicant": {"name": "Nguyễn Văn An [[[[{{{{", "phone": "0987654321"},
        "received_at": "2021-03-02T09:00:00+07:00",
        "backdate_reason": "Nhập lại hồ sơ nhận qua bưu điện",
    }

    response = desk_client.post(DOSSIERS, intake, format="json")

    assert response.status_code == 201, response.json()
    assert Dossier.objects.get().applicant_name == "Nguyễn Văn An [[[[{{{{"
