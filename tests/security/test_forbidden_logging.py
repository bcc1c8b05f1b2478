"""A refused request is one warning line, not a traceback (issue 17, item 10)."""

from __future__ import annotations

import logging
import sys

import pytest
from rest_framework.test import APIClient

from cchc_portal.log_filters import ClientErrorsWithoutTraceback
from org.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_officer():
    officer = UserFactory(username="motcua")
    MembershipFactory(user=officer, role=Role.DESK_OFFICER)
    return officer


def request_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "django.request"]


def test_a_permission_denied_page_logs_one_line_without_a_traceback(client, desk_officer, caplog):
    client.force_login(desk_officer)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/org/xac-thuc-hai-buoc/")  # the two-step page: not for the desk

    assert response.status_code == 403
    [record] = request_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "Forbidden (Permission denied): /org/xac-thuc-hai-buoc/"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_refused_api_call_logs_one_line_without_a_traceback(caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = APIClient().get("/api/v1/dossiers/")

    assert response.status_code == 403
    [record] = request_records(caplog)
    assert record.getMessage() == "Forbidden: /api/v1/dossiers/"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def record_with_exception(status_code: int) -> logging.LogRecord:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", (), exc_info)
    record.status_code = status_code
    return record


@pytest.mark.parametrize("status_code, keeps_traceback", [(403, False), (400, False), (500, True)])
def test_only_client_errors_lose_the_traceback(status_code, keeps_traceback):
    record = record_with_exception(status_code)

    assert ClientErrorsWithoutTraceback().filter(record) is True
    assert (record.exc_info is not None) is keeps_traceback
