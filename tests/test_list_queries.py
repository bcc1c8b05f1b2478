"""No list page or API list costs more queries for more rows (DESIGN §5: no N+1 queries).

The desk queues, the register, the dashboard and its tables, the drill-down, the committee's
lists, the PAR ranking, the units page and the dossier and procedure API lists have their own
query-count tests beside their other tests; these are the lists that had none.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from org.models import Role, UnitLevel
from tests.factories import MembershipFactory, SectorFactory, UnitFactory, published_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return UnitFactory(code="000.00.00.H98", name="Tỉnh Thử", level=UnitLevel.PROVINCE)


@pytest.fixture
def administrator(province):
    return MembershipFactory(unit=province, role=Role.ADMINISTRATOR).user


def _procedures(start: int, count: int) -> None:
    for number in range(start, start + count):
        published_procedure(
            code=f"1.{number:06d}",
            name=f"Thủ tục {number}",
            sector=SectorFactory(code=f"S{number % 4}", name=f"Lĩnh vực {number % 4}"),
        )


def _units(province, start: int, count: int) -> None:
    for number in range(start, start + count):
        UnitFactory(code=f"000.{number:02d}.01.H98", name=f"Xã {number}", parent=province)


def _sectors(start: int, count: int) -> None:
    for number in range(start, start + count):
        SectorFactory(code=f"X{number:03d}", name=f"Lĩnh vực thêm {number}")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.parametrize(
    ("url", "api", "add"),
    [
        (reverse("procedures:catalogue"), False, lambda province, start, n: _procedures(start, n)),
        ("/api/v1/procedures/", True, lambda province, start, n: _procedures(start, n)),
        ("/api/v1/sectors/", True, lambda province, start, n: _sectors(start, n)),
        ("/api/v1/units/", True, _units),
    ],
    ids=["catalogue page", "procedures API", "sectors API", "units API"],
)
def test_a_list_costs_the_same_queries_for_3_or_12_rows(province, administrator, url, api, add):
    client = APIClient() if api else Client()
    client.force_login(administrator)
    add(province, 1, 3)
    _queries(client, url)  # caches (calendar, translations) warm
    with_three = _queries(client, url)
    add(province, 4, 9)
    with_twelve = _queries(client, url)
    assert with_twelve == with_three
