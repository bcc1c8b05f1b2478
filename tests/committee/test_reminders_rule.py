"""Which reminder is due on which day: 7, 3, 1 working days before the deadline and once after
it, only on working days, and only the latest stage when days were missed."""

import datetime as dt

import pytest

from committee.reminders import reminder_due, reminder_horizon, working_days_left
from org.workdays import WorkingCalendar

CALENDAR = WorkingCalendar()


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# Deadline Wednesday 17 Feb 2021, the first working day after Tết (10–16 Feb).
TET_DEADLINE = d("2021-02-17")


@pytest.mark.parametrize(
    "today, left",
    [
        ("2021-02-17", 0),
        ("2021-02-09", 1),  # Tue: only Wed 17 is left
        ("2021-02-08", 2),
        ("2021-02-05", 3),  # Fri
        ("2021-02-06", 3),  # Sat counts as Friday
        ("2021-02-01", 7),
    ],
)
def test_it_counts_the_working_days_left_across_tet(today, left):
    assert working_days_left(deadline=TET_DEADLINE, today=d(today), calendar=CALENDAR) == left


@pytest.mark.parametrize(
    "today, sent, due",
    [
        ("2021-01-29", [], None),  # 8 working days left
        ("2021-02-01", [], "7"),
        ("2021-02-02", ["7"], None),
        ("2021-02-05", ["7"], "3"),
        ("2021-02-08", ["7", "3"], None),
        ("2021-02-09", ["7", "3"], "1"),  # 1 working day left: the day before Tết
        ("2021-02-12", ["7", "3", "1"], None),  # in Tết: nothing is sent
        ("2021-02-17", ["7", "3", "1"], None),  # the deadline day itself
        ("2021-02-18", ["7", "3", "1"], "overdue"),
        ("2021-02-19", ["7", "3", "1", "overdue"], None),
        # The job missed the "7" and the "3" days: only the latest stage goes out.
        ("2021-02-08", [], "3"),
        ("2021-02-09", [], "1"),
        ("2021-02-22", [], "overdue"),
        # A stage already passed is never sent after a more urgent one.
        ("2021-02-03", ["3"], None),
    ],
)
def test_it_picks_the_reminder_due(today, sent, due):
    assert reminder_due(deadline=TET_DEADLINE, today=d(today), calendar=CALENDAR, sent=sent) == due


def test_it_sends_the_overdue_reminder_of_a_friday_deadline_on_monday():
    friday = d("2021-03-26")
    assert reminder_due(deadline=friday, today=d("2021-03-27"), calendar=CALENDAR) is None
    assert reminder_due(deadline=friday, today=d("2021-03-29"), calendar=CALENDAR) == "overdue"


def test_it_looks_seven_working_days_ahead():
    assert reminder_horizon(today=d("2021-02-05"), calendar=CALENDAR) == d(
        "2021-02-23"
    )  # 8, 9, 17, 18, 19, 22, 23
