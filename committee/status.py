"""A task's status, derived from its dates only (pure: no ORM, no clock).

The five statuses of the follow-up table (bảng theo dõi thực hiện kết luận):

- ``not_started``: no unit has reported yet and the deadline has not passed;
- ``in_progress_within``: a unit has reported, the lead unit has not reported 100 %, and the
  deadline has not passed;
- ``in_progress_overdue``: not completed and the deadline has passed, whether or not anybody
  reported (a task nobody started is late all the same, and the overdue list must show it);
- ``done_on_time``: the lead unit reported 100 % on or before the deadline;
- ``done_late``: the lead unit reported 100 % after the deadline.

The deadline is a date: the task is due by the end of that day, so it is overdue from the next
calendar day on and completing it on the deadline day is on time. Deadlines are always working
days (``committee.deadlines``), so holidays only matter through how the deadline was computed
and through :func:`working_days_overdue`, which counts a Tết week as no delay at all.

Everything is judged "as of ``today``": a report or a completion dated after ``today`` has not
happened yet, so the same function answers "what was the status on 31 March?".
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from org.workdays import WorkingCalendar


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS_WITHIN = "in_progress_within"
    IN_PROGRESS_OVERDUE = "in_progress_overdue"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"


STATUS_LABELS = {
    TaskStatus.NOT_STARTED: _("Not started"),
    TaskStatus.IN_PROGRESS_WITHIN: _("In progress, within the deadline"),
    TaskStatus.IN_PROGRESS_OVERDUE: _("Overdue, not done"),
    TaskStatus.DONE_ON_TIME: _("Done on time"),
    TaskStatus.DONE_LATE: _("Done late"),
}

# Bootstrap badge classes of each status on the pages.
STATUS_BADGES = {
    TaskStatus.NOT_STARTED: "text-bg-secondary",
    TaskStatus.IN_PROGRESS_WITHIN: "text-bg-primary",
    TaskStatus.IN_PROGRESS_OVERDUE: "text-bg-danger",
    TaskStatus.DONE_ON_TIME: "text-bg-success",
    TaskStatus.DONE_LATE: "text-bg-warning",
}

OPEN_STATUSES = frozenset(
    {TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS_WITHIN, TaskStatus.IN_PROGRESS_OVERDUE}
)


def task_status(
    *,
    deadline: dt.date,
    first_report_on: dt.date | None,
    completed_on: dt.date | None,
    today: dt.date,
) -> TaskStatus:
    """The status of a task on ``today`` (see the module docstring for the rules)."""
    for name, value in (("deadline", deadline), ("today", today)):
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise TypeError(f"{name} must be a date, not {type(value).__name__}.")
    if completed_on is not None and completed_on <= today:
        return TaskStatus.DONE_ON_TIME if completed_on <= deadline else TaskStatus.DONE_LATE
    if today > deadline:
        return TaskStatus.IN_PROGRESS_OVERDUE
    if first_report_on is not None and first_report_on <= today:
        return TaskStatus.IN_PROGRESS_WITHIN
    return TaskStatus.NOT_STARTED


def working_days_overdue(*, deadline: dt.date, until: dt.date, calendar: WorkingCalendar) -> int:
    """How many working days after the deadline ``until`` is (0 when not after it).

    ``until`` is today for an open task and the completion date for a finished one: a task due
    on Tuesday 9 Feb 2021 and done on Wednesday 17 Feb, after Tết, is one working day late.
    """
    if until <= deadline:
        return 0
    return calendar.working_days_between(deadline + dt.timedelta(days=1), until)
