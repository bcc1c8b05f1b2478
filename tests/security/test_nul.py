"""A NUL byte (%00) in a path argument, a query string or a form field: PostgreSQL refuses it
in any query, so it must be turned away before it reaches the database (4xx, never a 500)."""

from __future__ import annotations

import pytest

from dossiers.models import Dossier

from .world import World, client_as

pytestmark = pytest.mark.django_db

NUL_PATHS = [
    "/thu-tuc/1.000948%00/",
    "/ho-so/001.37.H39-210302-0001%00/",
    "/ho-so/001.37.H39%00-210302-0001/",
    "/ho-so/abc%00/in/tiep-nhan/",
    "/ho-so/abc%00/in/bo-sung/",
    "/ho-so/abc%00/in/tu-choi/",
    "/ho-so/abc%00/in/xin-loi/",
    "/ho-so/abc%00/in/kiem-soat/",
    "/bao-cao/bieu-do/a%00.svg",
    "/api/v1/procedures/1.000948%00/",
    "/api/v1/sectors/HT%00/",
    "/api/v1/dossiers/abc%00/",
]
NUL_QUERIES = [
    ("/ho-so/", {"q": "a\x00b"}),
    ("/ho-so/", {"queue": "a\x00"}),
    ("/ho-so/thu-tuc-goi-y/", {"q": "khai\x00sinh"}),
    ("/ho-so/so-theo-doi/", {"from": "2021-03-01", "to": "2021-03-31", "unit": "a\x00"}),
    ("/thu-tuc/", {"q": "a\x00", "sector": "H\x00T"}),
    ("/tra-cuu/", {"code": "a\x00b", "digits": "1234"}),
    ("/api/v1/dossiers/", {"q": "a\x00", "receiving_unit": "x\x00"}),
    ("/api/v1/procedures/", {"q": "a\x00", "sector": "H\x00T"}),
    ("/bao-cao/", {"unit": "a\x00"}),
    ("/bao-cao/ho-so/", {"unit": "a\x00", "counter": "received_total"}),
    ("/org/don-vi/", {"q": "a\x00"}),
]


@pytest.mark.parametrize("path", NUL_PATHS)
def test_a_nul_in_a_path_is_a_4xx(world: World, path: str):
    response = client_as(world, "leader").get(path)
    assert 400 <= response.status_code < 500, response.status_code


@pytest.mark.parametrize("path, query", NUL_QUERIES)
def test_a_nul_in_a_query_string_is_not_a_500(world: World, path: str, query: dict):
    response = client_as(world, "leader").get(path, query)
    assert response.status_code < 500, response.status_code


def test_a_nul_in_the_intake_form_is_refused(world: World):
    before = Dossier.objects.count()
    response = client_as(world, "leader").post(
        "/ho-so/tiep-nhan/",
        {
            "procedure_version": str(world.own.dossier.procedure_version_id),
            "channel": "direct",
            "applicant_name": "Hoàng\x00Văn E",
            "sets_count": "1",
            "received_at": "2021-03-03T09:00",
        },
    )
    assert response.status_code == 400
    assert Dossier.objects.count() == before


def test_a_nul_in_a_lookup_post_is_refused(world: World):
    response = client_as(world, "anonymous").post(
        "/tra-cuu/", {"code": world.own.dossier.code + "\x00", "digits": "5678"}
    )
    assert response.status_code == 400
