"""The public catalogue pages: search, filters, one procedure, no login needed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures.services import (
    ChannelTimeSpec,
    DocumentSpec,
    procedure_abolish,
    procedure_create,
)
from tests.factories import SectorFactory, UnitFactory, procedure_content, published_procedure

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("procedures:catalogue")


def shown_codes(response) -> list[str]:
    return [version.procedure.code for version in response.context["page_obj"]]


@pytest.fixture
def catalogue(birth_and_land):
    birth_and_land("Đăng ký biến động đất đai", "partial")
    published_procedure(
        code="1.000003", name="Cấp bản sao trích lục", levels=("commune",), online_level="full"
    )


def test_it_opens_without_login(catalogue):
    response = Client().get(CATALOGUE)
    assert response.status_code == 200
    assert shown_codes(response) == ["1.000001", "1.000002", "1.000003"]
    assert "Thủ tục hành chính" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["Đăng ký khai sinh", "dang ky khai sinh", "DANG KY khai", "000001"]
)
def test_it_searches_with_or_without_diacritics(catalogue, query):
    assert shown_codes(Client().get(CATALOGUE, {"q": query})) == ["1.000001"]


def test_it_filters_by_sector_level_and_online_level(catalogue):
    land = SectorFactory(code="DD")
    client = Client()
    assert shown_codes(client.get(CATALOGUE, {"sector": land.pk})) == ["1.000002"]
    assert shown_codes(client.get(CATALOGUE, {"level": "district"})) == ["1.000002"]
    assert shown_codes(client.get(CATALOGUE, {"online_level": "full"})) == ["1.000003"]
    assert shown_codes(client.get(CATALOGUE, {"q": "dang ky", "level": "commune"})) == ["1.000001"]


def test_it_ignores_a_nonsense_filter_instead_of_failing(catalogue):
    response = Client().get(CATALOGUE, {"sector": "abc", "on": "not-a-date"})
    assert response.status_code == 200


def test_it_hides_drafts_and_abolished_procedures(catalogue):
    procedure_create(
        code="1.000009",
        content=procedure_content(name="Dự thảo"),
        by=None,
    )
    abolished = published_procedure(code="1.000010", name="Đã bãi bỏ")
    procedure_abolish(procedure=abolished.procedure, on=dt.date(2021, 1, 1), by=None)
    codes = shown_codes(Client().get(CATALOGUE))
    assert "1.000009" not in codes
    assert "1.000010" not in codes
    assert "1.000010" in shown_codes(Client().get(CATALOGUE, {"on": "2020-06-01"}))


def test_it_paginates_by_25():
    for number in range(30):
        published_procedure(code=f"1.{number:06d}")
    client = Client()
    assert len(shown_codes(client.get(CATALOGUE))) == 25
    assert len(shown_codes(client.get(CATALOGUE, {"page": 2}))) == 5


def test_the_query_count_does_not_grow_with_rows(assert_queries_flat):
    assert_queries_flat(lambda: Client().get(CATALOGUE, {"q": "dang"}))


@pytest.fixture
def full_procedure():
    unit = UnitFactory(name="UBND xã Lạc Đạo")
    return published_procedure(
        code="1.001193",
        name="Đăng ký kết hôn",
        levels=("commune",),
        online_level="partial",
        processing_time=Decimal("3"),
        fee=Decimal("20000"),
        result_description="Giấy chứng nhận kết hôn",
        legal_basis="Luật Hộ tịch 2014",
        decision_number="1872/QĐ-BTP",
        decision_date=dt.date(2020, 9, 8),
        documents=(
            DocumentSpec("Tờ khai đăng ký kết hôn", originals=1),
            DocumentSpec("CCCD", copies=2),
        ),
        channel_times=(ChannelTimeSpec("online", Decimal("2"), "working_days"),),
        implementing_unit_ids=frozenset({unit.pk}),
    )


def test_the_detail_page_shows_what_a_citizen_needs(full_procedure):
    response = Client().get(reverse("procedures:detail", args=["1.001193"]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Đăng ký kết hôn",
        "1.001193",
        "Hộ tịch",
        "UBND xã Lạc Đạo",
        "Tờ khai đăng ký kết hôn",
        "Giấy chứng nhận kết hôn",
        "Luật Hộ tịch 2014",
        "1872/QĐ-BTP",
        "08/09/2020",
        "ngày làm việc",
        "Trực tuyến một phần",
        "@page",
    ]:
        assert text in page, text
    assert [c.value for c in response.context["channels"]] == ["direct", "online", "postal"]


def test_a_fully_online_procedure_is_only_online():
    published_procedure(code="1.000005", online_level="full")
    response = Client().get(reverse("procedures:detail", args=["1.000005"]))
    assert [c.value for c in response.context["channels"]] == ["online"]


def test_the_detail_page_is_404_for_unknown_or_not_in_force(catalogue):
    client = Client()
    assert client.get(reverse("procedures:detail", args=["9.999999"])).status_code == 404
    response = client.get(reverse("procedures:detail", args=["1.000001"]), {"on": "2019-12-31"})
    assert response.status_code == 404


def test_the_detail_page_uses_a_fixed_number_of_queries(full_procedure):
    with CaptureQueriesContext(connection) as queries:
        Client().get(reverse("procedures:detail", args=["1.001193"]))
    assert len(queries) <= 8
