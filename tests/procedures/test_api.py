"""The catalogue API: anyone reads what is in force; only administrators draft and publish."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from procedures.models import Procedure, ProcedureVersion
from procedures.services import procedure_create
from tests.factories import SectorFactory, procedure_content, published_procedure

pytestmark = pytest.mark.django_db

PROCEDURES = "/api/v1/procedures/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def catalogue(birth_and_land):
    birth_and_land("Đăng ký đất đai", "full")
    procedure_create(code="1.000003", content=procedure_content(name="Dự thảo"), by=None)


def codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def test_anyone_lists_the_procedures_in_force(catalogue):
    response = client_for().get(PROCEDURES)
    assert response.status_code == 200
    assert codes(response) == ["1.000001", "1.000002"]
    first = response.json()["results"][0]
    assert first["sector"] == {"code": "HT", "name": "Hộ tịch"}
    assert first["levels"] == ["commune"]
    assert first["status"] == "published"


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "dang ky khai"}, ["1.000001"]),
        ({"q": "Đất đai"}, ["1.000002"]),
        ({"sector": "DD"}, ["1.000002"]),
        ({"level": "district"}, ["1.000002"]),
        ({"online_level": "full"}, ["1.000002"]),
        ({"on": "2019-12-31"}, []),
    ],
)
def test_it_filters(catalogue, params, expected):
    assert codes(client_for().get(PROCEDURES, params)) == expected


@pytest.mark.parametrize(
    "params, field",
    [({"on": "31/12/2020"}, "on"), ({"level": "ward"}, "level"), ({"sector": "NOPE"}, "sector")],
)
def test_bad_filters_are_400_with_the_field(catalogue, params, field):
    response = client_for().get(PROCEDURES, params)
    assert response.status_code == 400
    assert field in response.json()


def test_the_detail_is_by_code(catalogue):
    response = client_for().get(f"{PROCEDURES}1.000001/")
    assert response.status_code == 200
    assert response.json()["name"] == "Đăng ký khai sinh"
    assert client_for().get(f"{PROCEDURES}1.000003/").status_code == 404  # a draft
    assert client_for().get(f"{PROCEDURES}1.000001/", {"on": "2019-01-01"}).status_code == 404


def test_anyone_lists_sectors(catalogue):
    response = client_for().get("/api/v1/sectors/")
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["DD", "HT"]
    assert client_for().get("/api/v1/sectors/DD/").json()["name"] == "Đất đai"


def new_procedure(**overrides) -> dict:
    SectorFactory(code="HT", name="Hộ tịch")
    return {
        "code": "1.000948",
        "name": "Đăng ký kết hôn",
        "sector": "HT",
        "levels": ["commune"],
        "online_level": "partial",
        "processing_time": "3",
        "documents": [{"name": "Tờ khai", "originals": 1}],
        "channel_times": [{"channel": "online", "processing_time": "2"}],
        **overrides,
    }


def test_anonymous_and_desk_officers_may_not_write(desk_officer):
    data = new_procedure()
    assert client_for().post(PROCEDURES, data, format="json").status_code == 403
    assert client_for(desk_officer).post(PROCEDURES, data, format="json").status_code == 403
    procedure_create(code="1.000004", content=procedure_content(), by=None)
    response = client_for(desk_officer).post(
        f"{PROCEDURES}1.000004/publish/", {"valid_from": "2024-01-01"}, format="json"
    )
    assert response.status_code == 403
    assert not Procedure.objects.filter(code="1.000948").exists()


def test_an_administrator_creates_a_draft_and_publishes_it(administrator):
    client = client_for(administrator)
    response = client.post(PROCEDURES, new_procedure(), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "draft"
    version = ProcedureVersion.objects.get(procedure__code="1.000948")
    assert version.created_by == administrator
    assert [d.name for d in version.documents.all()] == ["Tờ khai"]

    response = client.post(
        f"{PROCEDURES}1.000948/publish/", {"valid_from": "2024-01-01"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["valid_from"] == "2024-01-01"
    version.refresh_from_db()
    assert version.published_by == administrator
    assert client_for().get(f"{PROCEDURES}1.000948/").status_code == 200


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"code": "1.948"}, "code"),
        ({"levels": []}, "levels"),
        ({"levels": ["ward"]}, "levels"),
        ({"sector": "NOPE"}, "sector"),
        ({"processing_time": "-1"}, "processing_time"),
        ({"online_level": "5"}, "online_level"),
    ],
)
def test_bad_input_is_400_with_the_field(administrator, overrides, field):
    response = client_for(administrator).post(PROCEDURES, new_procedure(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Procedure.objects.exists()


def test_a_duplicate_code_is_400(administrator):
    published_procedure(code="1.000948")
    response = client_for(administrator).post(PROCEDURES, new_procedure(), format="json")
    assert response.status_code == 400
    assert "code" in response.json()


def test_publishing_before_the_current_version_is_400(administrator):
    version = published_procedure(code="1.000948", valid_from=dt.date(2024, 1, 1))
    from procedures.services import procedure_draft_new

    procedure_draft_new(procedure=version.procedure, by=None)
    response = client_for(administrator).post(
        f"{PROCEDURES}1.000948/publish/", {"valid_from": "2023-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "01/01/2023" in str(response.json()["detail"])
    response = client_for(administrator).post(
        f"{PROCEDURES}1.000948/publish/", {"valid_from": "soon"}, format="json"
    )
    assert response.status_code == 400
    assert "valid_from" in response.json()


def test_publishing_without_a_draft_is_404(administrator):
    published_procedure(code="1.000948")
    response = client_for(administrator).post(
        f"{PROCEDURES}1.000948/publish/", {"valid_from": "2025-01-01"}, format="json"
    )
    assert response.status_code == 404


def test_the_schema_is_generated(client):
    assert client.get("/api/schema/").status_code == 200


def test_the_list_query_count_does_not_grow_with_rows(assert_queries_flat):
    assert_queries_flat(lambda: client_for().get(PROCEDURES))
