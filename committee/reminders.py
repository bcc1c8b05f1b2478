"""Which reminder a task is due on a given day (pure: no ORM, no clock).

Reminders go out 7, 3 and 1 working days before the deadline and once after the deadline has
passed. "N working days before" counts the working days left after today up to and including
the deadline: on the deadline day none are left, on the working day before it one is left.

The job runs every morning, but only working days send (the office reads its mail then): a
reminder that fell on a weekend or in Tết goes out on the next working day, and the overdue
reminder of a task due on Friday goes out on Monday.

A day's due reminder is the most urgent stage reached: ``overdue`` once the deadline has
passed, else ``1`` when at most one working day is left, ``3`` when at most three, ``7`` when
at most seven. It is sent unless that stage or a more urgent one was already sent. So if the
job missed days (a worker outage), it sends only the latest stage, never a burst of the old
ones; and a task assigned two working days before its deadline gets the "3" and then "1".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from org.workdays import WorkingCalendar

OVERDUE = "overdue"
# Most urgent first; the number is the working-days-left threshold of the stage.
STAGES: tuple[tuple[str, int], ...] = (("1", 1), ("3", 3), ("7", 7))
URGENCY = {OVERDUE: 4, "1": 3, "3": 2, "7": 1}


def working_days_left(*, deadline: dt.date, today: dt.date, calendar: WorkingCalendar) -> int:
    """Working days after ``today`` up to and including ``deadline`` (0 on or after it)."""
    return calendar.working_days_between(today + dt.timedelta(days=1), deadline)


def reminder_stage(*, deadline: dt.date, today: dt.date, calendar: WorkingCalendar) -> str | None:
    """The most urgent stage reached on ``today``, ignoring what was already sent."""
    if today > deadline:
        return OVERDUE
    left = working_days_left(deadline=deadline, today=today, calendar=calendar)
    for kind, threshold in STAGES:
        if left <= threshold:
            return kind
    return None


def reminder_due(
    *, deadline: dt.date, today: dt.date, calendar: WorkingCalendar, sent: Iterable[str] = ()
) -> str | None:
    """The reminder to send for an open task on ``today``, or None.

    ``sent``: the kinds already sent for the task. None on a non-working day.
    """
    if not calendar.is_working_day(today):
        return None
    stage = reminder_stage(deadline=deadline, today=today, calendar=calendar)
    if stage is None:
        return None
    if any(URGENCY.get(kind, 0) >= URGENCY[stage] for kind in sent):
        return None
    return stage


def reminder_horizon(*, today: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The latest deadline that can have a reminder due today (the 7th working day on).

    Lets the job read only the tasks that can be concerned instead of every open task.
    """
    day = today
    for _index in range(STAGES[-1][1]):
        day = calendar.next_working_day(day)
    return day
