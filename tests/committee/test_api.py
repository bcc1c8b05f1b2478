"""The read-only task API: scoped like the pages, filtered, with the derived status."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import clear_url_caches
from rest_framework.test import APIClient

from tests.committee.conftest import assigned

pytestmark = pytest.mark.django_db

TASKS = "/api/v1/committee/tasks/"


def _mounted_by_the_project() -> bool:
    from cchc_portal import urls

    return any(
        getattr(getattr(pattern, "urlconf_module", None), "__name__", "") == "committee.api_urls"
        for pattern in urls.urlpatterns
    )


@pytest.fixture(autouse=True)
def _api_mounted(settings):
    if not _mounted_by_the_project():
        settings.ROOT_URLCONF = "tests.committee.urls_with_api"
    clear_url_caches()
    yield
    clear_url_caches()


def client_for(user) -> APIClient:
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_authenticate(user)
    return client


@pytest.fixture
def late_task(conclusion, office, commune_c):
    return assigned(conclusion, office, "Việc trễ", commune_c, dt.date(2021, 4, 1))


def test_the_office_lists_every_task_with_its_status(office, task, late_task, commune_b):
    body = client_for(office).get(TASKS).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["title"] == "Việc trễ"
    assert first["status"] == "in_progress_overdue"
    assert first["deadline"] == "2021-04-01"
    assert first["meeting"]["notice_number"] == "45/TB-UBND"
    assert body["results"][1]["supporting_unit_codes"] == [commune_b.code]


def test_staff_get_only_their_unit_tasks(staff_a, staff_c, task, late_task):
    assert [row["title"] for row in client_for(staff_a).get(TASKS).json()["results"]] == [
        task.title
    ]
    assert [row["title"] for row in client_for(staff_c).get(TASKS).json()["results"]] == [
        "Việc trễ"
    ]


def test_it_filters_by_status_and_unit(office, task, late_task, commune_b):
    client = client_for(office)
    overdue = client.get(TASKS, {"status": "in_progress_overdue"}).json()["results"]
    assert {row["title"] for row in overdue} == {"Việc trễ", task.title}  # both past by now
    by_unit = client.get(TASKS, {"unit": commune_b.code}).json()["results"]
    assert [row["title"] for row in by_unit] == [task.title]


def test_it_answers_400_for_an_unknown_filter(office):
    client = client_for(office)
    assert client.get(TASKS, {"status": "late"}).json() == {"status": ["Unknown status: late."]}
    assert client.get(TASKS, {"unit": "nope"}).status_code == 400


def test_it_refuses_anonymous_callers():
    assert APIClient().get(TASKS).status_code == 403
