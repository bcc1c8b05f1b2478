"""The status of a task from its dates, and the deadlines it is judged against (Tết 2021:
10–16 Feb off; 2021-02-09 is a Tuesday, 2021-02-17 a Wednesday)."""

import datetime as dt

import pytest

from committee.deadlines import deadline_after_working_days, deadline_problem
from committee.status import TaskStatus, task_status, working_days_overdue
from org.workdays import WorkingCalendar

CALENDAR = WorkingCalendar()
S = TaskStatus


def d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@pytest.mark.parametrize(
    "deadline, first_report, completed, today, expected",
    [
        # Nobody reported, deadline ahead (or today): not started.
        ("2021-03-31", None, None, "2021-03-01", S.NOT_STARTED),
        ("2021-03-31", None, None, "2021-03-31", S.NOT_STARTED),
        # A report, deadline ahead: in progress within.
        ("2021-03-31", "2021-03-10", None, "2021-03-15", S.IN_PROGRESS_WITHIN),
        ("2021-03-31", "2021-03-10", None, "2021-03-31", S.IN_PROGRESS_WITHIN),
        # The day after the deadline, started or not: overdue.
        ("2021-03-31", "2021-03-10", None, "2021-04-01", S.IN_PROGRESS_OVERDUE),
        ("2021-03-31", None, None, "2021-04-01", S.IN_PROGRESS_OVERDUE),
        # Done on the deadline day is on time; the day after is late.
        ("2021-03-31", "2021-03-10", "2021-03-31", "2021-04-15", S.DONE_ON_TIME),
        ("2021-03-31", "2021-03-10", "2021-04-01", "2021-04-15", S.DONE_LATE),
        ("2021-03-31", "2021-03-02", "2021-03-02", "2021-03-02", S.DONE_ON_TIME),
        # As of an earlier day, later reports and completions have not happened yet.
        ("2021-03-31", "2021-03-10", "2021-04-05", "2021-03-09", S.NOT_STARTED),
        ("2021-03-31", "2021-03-10", "2021-04-05", "2021-03-20", S.IN_PROGRESS_WITHIN),
        ("2021-03-31", "2021-03-10", "2021-04-05", "2021-04-02", S.IN_PROGRESS_OVERDUE),
        # Due Tuesday 9 Feb 2021, just before Tết: overdue during Tết already …
        ("2021-02-09", "2021-02-08", None, "2021-02-12", S.IN_PROGRESS_OVERDUE),
        # … and done on the first working day after Tết is late.
        ("2021-02-09", "2021-02-08", "2021-02-17", "2021-02-17", S.DONE_LATE),
        # 3 working days from the notice of Fri 5 Feb end on Wed 17 Feb: Tết is not counted.
        ("2021-02-17", None, None, "2021-02-16", S.NOT_STARTED),
        ("2021-02-17", "2021-02-08", "2021-02-17", "2021-02-17", S.DONE_ON_TIME),
    ],
)
def test_it_derives_the_status_from_the_dates(deadline, first_report, completed, today, expected):
    status = task_status(
        deadline=d(deadline),
        first_report_on=d(first_report),
        completed_on=d(completed),
        today=d(today),
    )
    assert status == expected


def test_it_refuses_a_datetime_for_a_date():
    with pytest.raises(TypeError):
        task_status(
            deadline=dt.datetime(2021, 3, 31, 17),
            first_report_on=None,
            completed_on=None,
            today=dt.date(2021, 3, 1),
        )


@pytest.mark.parametrize(
    "start, days, deadline",
    [
        ("2021-02-05", 3, "2021-02-17"),  # Fri; Mon 8, Tue 9, Tết, Wed 17
        ("2021-02-05", 1, "2021-02-08"),
        ("2021-03-26", 5, "2021-04-02"),  # Fri → the next Friday
        ("2021-04-19", 2, "2021-04-22"),  # Hùng Kings' day, Wed 21 Apr 2021, skipped
        ("2021-02-13", 1, "2021-02-17"),  # a notice dated in Tết
    ],
)
def test_it_counts_working_days_from_the_notice(start, days, deadline):
    computed = deadline_after_working_days(start=d(start), working_days=days, calendar=CALENDAR)
    assert computed == d(deadline)


@pytest.mark.parametrize(
    "deadline, ok",
    [
        ("2021-02-09", True),
        ("2021-02-12", False),  # Tết
        ("2021-02-20", False),  # Saturday
        ("2021-04-21", False),  # Hùng Kings
        ("2021-02-17", True),
    ],
)
def test_it_refuses_a_deadline_on_a_day_off(deadline, ok):
    problem = deadline_problem(deadline=d(deadline), not_before=d("2021-02-01"), calendar=CALENDAR)
    assert (problem is None) == ok


def test_it_suggests_the_next_working_day_for_a_refused_deadline(settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        problem = deadline_problem(
            deadline=d("2021-02-12"), not_before=d("2021-02-01"), calendar=CALENDAR
        )
    assert problem == (
        "12/02/2021 is not a working day (weekend or holiday); choose a working day, "
        "for example 17/02/2021."
    )


def test_it_refuses_a_deadline_before_the_meeting():
    problem = deadline_problem(
        deadline=d("2021-03-01"), not_before=d("2021-03-02"), calendar=CALENDAR
    )
    assert problem is not None


def test_it_honours_an_extra_day_off_decreed_by_the_government():
    calendar = WorkingCalendar(extra_days_off=frozenset({d("2021-03-08")}))
    assert deadline_after_working_days(
        start=d("2021-03-05"), working_days=1, calendar=calendar
    ) == d("2021-03-09")
    assert deadline_problem(deadline=d("2021-03-08"), not_before=d("2021-03-01"), calendar=calendar)


@pytest.mark.parametrize(
    "deadline, until, days",
    [
        ("2021-03-31", "2021-03-31", 0),
        ("2021-03-31", "2021-04-01", 1),
        ("2021-03-31", "2021-04-05", 3),  # Thu 1, Fri 2, Mon 5
        ("2021-02-09", "2021-02-16", 0),  # all of Tết: no working day lost
        ("2021-02-09", "2021-02-17", 1),
    ],
)
def test_it_counts_the_delay_in_working_days(deadline, until, days):
    assert working_days_overdue(deadline=d(deadline), until=d(until), calendar=CALENDAR) == days
