"""The portal's own error pages, in Vietnamese by default: 404, 403, an expired form and 500,
in production and in the demo (DEBUG on)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from org.models import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

MISSING = "/khong-co-trang-nay/"


def test_a_missing_page_is_the_portals_page_in_vietnamese(client):
    answer = client.get(MISSING)
    assert answer.status_code == 404
    assert "404.html" in [template.name for template in answer.templates]
    page = answer.content.decode()
    assert "Không tìm thấy trang" in page
    assert reverse("lookup:search") in page  # somewhere to go on


def test_the_demo_shows_the_same_page_not_djangos_technical_one(client, settings):
    settings.DEBUG = True
    answer = client.get(MISSING)
    assert answer.status_code == 404
    assert "Không tìm thấy trang" in answer.content.decode()
    assert "URLconf" not in answer.content.decode()


def test_a_developer_can_ask_for_djangos_page(client, settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_404 = True
    answer = client.get(MISSING)
    assert answer.status_code == 404
    assert "URLconf" in answer.content.decode()


def test_an_api_404_stays_json_in_the_demo(client, settings):
    settings.DEBUG = True
    client.force_login(MembershipFactory(role=Role.DESK_OFFICER).user)
    answer = client.get("/api/v1/dossiers/KHONG-CO/")
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("application/json")


def test_a_page_of_another_role_says_access_denied(client):
    client.force_login(MembershipFactory(role=Role.DESK_OFFICER).user)
    answer = client.get(reverse("parindex:ranking"))
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "Không có quyền truy cập" in page
    assert "403.html" in [template.name for template in answer.templates]


def test_an_expired_form_says_so_and_that_nothing_was_saved():
    client = Client(enforce_csrf_checks=True)
    client.force_login(MembershipFactory(role=Role.DESK_OFFICER).user)
    answer = client.post(reverse("dossiers:intake"), {})
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "Biểu mẫu đã hết hạn" in page
    assert "không có gì được lưu" in page


def test_a_server_error_page_stands_alone_in_vietnamese():
    request = RequestFactory().get("/")
    with translation.override("vi"):
        answer = server_error(request)
    assert answer.status_code == 500
    page = answer.content.decode()
    assert "Đã có lỗi xảy ra" in page
    assert 'href="/"' in page
