"""The organisation's Celery tasks, in-process and on a real worker."""

import datetime as dt

import pytest
from django.core import mail

from org.models import CalendarOverride, Role
from org.tasks import calendar_review_reminder, calendar_summary
from tests.factories import MembershipFactory, UserFactory

# 2026 by hand: 365 days from Thursday 1 Jan = 52 weeks + Thursday 31 Dec → 261 weekdays.
# Weekday holidays: 1/1; Tết 16–20/2 (5); Hùng Kings observed 27/4; 30/4; 1/5; 31/8 (swapped
# for Saturday 22/8); 1/9 and 2/9; 24/11 → 13 days off. Saturday 22/8 is worked: 261 − 13 + 1.
WORKING_DAYS_2026 = 249


@pytest.mark.django_db
def test_it_summarises_a_year_of_the_working_calendar():
    summary = calendar_summary.delay(2026).get()
    assert summary["working_days"] == WORKING_DAYS_2026
    assert {"date": "2026-02-17", "name": "Lunar New Year"} in summary["days_off"]
    assert [d["date"] for d in summary["working_weekend_days"]] == ["2026-08-22"]


@pytest.mark.django_db
def test_it_counts_an_override_in_the_summary():
    CalendarOverride.objects.create(
        date=dt.date(2026, 12, 31), kind="day_off", notice="Thông báo 01/TB-UBND"
    )
    summary = calendar_summary(2026)
    assert summary["working_days"] == WORKING_DAYS_2026 - 1
    assert {"date": "2026-12-31", "name": "Thông báo 01/TB-UBND"} in summary["days_off"]


@pytest.mark.django_db
def test_it_mails_administrators_to_review_next_years_calendar():
    admin = MembershipFactory(role=Role.ADMINISTRATOR, user=UserFactory(email="qt@x.gov.vn"))
    MembershipFactory(role=Role.DESK_OFFICER, user=UserFactory(email="mc@x.gov.vn"))
    assert calendar_review_reminder() == 1
    assert mail.outbox[0].to == [admin.user.email]
    next_year = str(dt.date.today().year + 1)
    assert next_year in mail.outbox[0].subject


@pytest.mark.worker
def test_it_runs_the_summary_on_a_real_worker_reading_the_database(celery_worker_process):
    CalendarOverride.objects.create(
        date=dt.date(2026, 12, 31), kind="day_off", notice="Thông báo 01/TB-UBND"
    )
    result = calendar_summary.apply_async(args=[2026], queue=celery_worker_process)
    summary = result.get(timeout=60)
    assert summary["working_days"] == WORKING_DAYS_2026 - 1
