"""The write endpoints of the API under hostile JSON: 201 with exactly one new row, or 400 and
nothing written (rows counted before and after); never a 500."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from dossiers.models import Dossier, Event
from procedures.models import Procedure, ProcedureVersion

from .hostile import hostile_text
from .world import PROCEDURE_CODE, World

pytestmark = pytest.mark.django_db

JSON = "application/json"

HYPOTHESIS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANY_JSON = st.one_of(
    hostile_text(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def api_as(world: World, role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


def intake_body() -> dict:
    return {
        "procedure_code": PROCEDURE_CODE,
        "channel": "online",
        "applicant": {"name": "Đỗ Thị F", "phone": "0912345678", "id_number": "079123456789"},
        "received_at": "2021-03-03T09:00:00+07:00",
        "sets_count": 1,
        "digitised": False,
    }


def test_api_intake_answers_201_or_400_and_writes_accordingly(world: World):
    client = api_as(world, "desk")

    @HYPOTHESIS
    @given(
        changes=st.dictionaries(
            st.sampled_from(
                [
                    "procedure_code",
                    "procedure_version",
                    "channel",
                    "received_at",
                    "sets_count",
                    "digitised",
                    "applicant",
                    "reason",
                ]
            ),
            ANY_JSON,
            max_size=3,
        ),
        applicant=st.dictionaries(
            st.sampled_from(["name", "phone", "id_number", "email", "address"]),
            ANY_JSON,
            max_size=3,
        ),
        refuse=st.booleans(),
    )
    def check(changes, applicant, refuse):
        body = intake_body()
        body["applicant"].update(applicant)
        body.update(changes)
        url = "/api/v1/dossiers/refuse/" if refuse else "/api/v1/dossiers/"
        with transaction.atomic():
            before = Dossier.objects.count(), Event.objects.count()
            response = client.post(url, body, format="json")
            after = Dossier.objects.count(), Event.objects.count()
            transaction.set_rollback(True)
        assert response.status_code in {201, 400}, (response.status_code, body)
        if response.status_code == 201:
            assert after == (before[0] + 1, before[1] + 1)
        else:
            assert after == before

    check()


def test_api_procedure_create_answers_201_or_400_and_writes_accordingly(world: World):
    world.users["admin"].is_superuser = True
    world.users["admin"].save()
    client = api_as(world, "admin")
    base = {
        "code": "4.000001",
        "name": "Cấp giấy phép",
        "sector": "HT",
        "levels": ["commune"],
        "online_level": "full",
        "processing_time": "3",
        "processing_unit": "working_days",
        "fee": "10000",
        "documents": [{"name": "Tờ khai", "originals": 1}],
        "channel_times": [{"channel": "online", "processing_time": "2"}],
    }

    @HYPOTHESIS
    @given(changes=st.dictionaries(st.sampled_from(sorted(base)), ANY_JSON, max_size=3))
    def check(changes):
        body = {**base, **changes}
        with transaction.atomic():
            before = Procedure.objects.count(), ProcedureVersion.objects.count()
            response = client.post("/api/v1/procedures/", body, format="json")
            after = Procedure.objects.count(), ProcedureVersion.objects.count()
            transaction.set_rollback(True)
        assert response.status_code in {201, 400}, (response.status_code, body)
        if response.status_code == 201:
            assert after == (before[0] + 1, before[1] + 1)
        else:
            assert after == before

    check()


@pytest.mark.parametrize(
    "bad, fields, transfer_field",
    [
        # A NUL is a control character: refused for the whole body before any view runs.
        ("H\x00T", {"detail"}, "detail"),
        ("H\udabfT", {"sector", "implementing_units"}, "to_unit"),
    ],
    ids=["nul", "lone-surrogate"],
)
def test_a_code_no_database_can_hold_is_an_unknown_code(
    world: World, bad: str, fields: set, transfer_field: str
):
    """Found by schemathesis on PostgreSQL: a NUL in a related code was a 500."""
    world.users["admin"].is_superuser = True
    world.users["admin"].save()
    admin = api_as(world, "admin")
    body = {
        "code": "4.000002",
        "name": "Cấp phép",
        "sector": bad,
        "levels": ["commune"],
        "online_level": "3",
        "processing_time": "1",
        "implementing_units": [bad],
    }
    before = Procedure.objects.count()
    # json.dumps escapes a lone surrogate (\\udabf), as a hostile client would send it.
    response = admin.post("/api/v1/procedures/", json.dumps(body), content_type=JSON)
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert Procedure.objects.count() == before
    code = world.own.dossier.code
    response = api_as(world, "leader").post(
        f"/api/v1/dossiers/{code}/transfer/", json.dumps({"to_unit": bad}), content_type=JSON
    )
    assert response.status_code == 400
    assert transfer_field in response.json()
