"""Reads of the committee workspace; every page and export starts from these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Q, QuerySet

from org.models import Unit
from org.selectors import membership_of, units_visible_to
from org.workdays import WorkingCalendar

from .models import Meeting, Task, TaskReport
from .permissions import is_standing_office
from .status import STATUS_BADGES, STATUS_LABELS, TaskStatus, task_status, working_days_overdue


def meetings_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Meeting]:
    """The standing office sees the meetings of the committees of its tree; nobody else any."""
    if not is_standing_office(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(unit__in=units_visible_to(user))


def tasks_for_unit(unit: Unit) -> QuerySet[Task]:
    """Tasks where ``unit`` is the lead or a supporting unit (no duplicates)."""
    supported = Task.supporting_units.through.objects.filter(unit=unit).values("task_id")
    return Task.objects.filter(Q(lead_unit=unit) | Q(id__in=supported))


def tasks_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Task]:
    """Standing office: every task of its tree; anyone else: their own unit's tasks."""
    if not user.is_authenticated or not user.is_active:
        return Task.objects.none()
    if is_standing_office(user):
        visible = units_visible_to(user)
        return Task.objects.filter(
            Q(conclusion__meeting__unit__in=visible) | Q(lead_unit__in=visible)
        )
    membership = membership_of(user)
    if membership is None:
        return Task.objects.none()
    return tasks_for_unit(membership.unit)


def _open_on(today: dt.date) -> Q:
    return Q(completed_on__isnull=True) | Q(completed_on__gt=today)


def status_condition(status: TaskStatus, today: dt.date) -> Q:
    """The SQL twin of ``committee.status.task_status`` (tests check they agree)."""
    done = Q(completed_on__lte=today)
    started = Q(first_reported_on__lte=today)
    if status == TaskStatus.DONE_ON_TIME:
        return done & Q(completed_on__lte=F("deadline"))
    if status == TaskStatus.DONE_LATE:
        return done & Q(completed_on__gt=F("deadline"))
    if status == TaskStatus.IN_PROGRESS_OVERDUE:
        return _open_on(today) & Q(deadline__lt=today)
    if status == TaskStatus.IN_PROGRESS_WITHIN:
        return _open_on(today) & Q(deadline__gte=today) & started
    return _open_on(today) & Q(deadline__gte=today) & ~started


def tasks_overdue(tasks: QuerySet[Task], *, today: dt.date) -> QuerySet[Task]:
    return tasks.filter(status_condition(TaskStatus.IN_PROGRESS_OVERDUE, today))


def tasks_filtered(
    tasks: QuerySet[Task],
    *,
    today: dt.date,
    unit: Unit | None = None,
    status: str = "",
    meeting: Meeting | None = None,
    deadline_from: dt.date | None = None,
    deadline_to: dt.date | None = None,
) -> QuerySet[Task]:
    """The follow-up table's filters; ``unit`` matches the lead or a supporting unit."""
    if unit is not None:
        tasks = tasks.filter(id__in=tasks_for_unit(unit).values("id"))
    if status:
        tasks = tasks.filter(status_condition(TaskStatus(status), today))
    if meeting is not None:
        tasks = tasks.filter(conclusion__meeting=meeting)
    if deadline_from is not None:
        tasks = tasks.filter(deadline__gte=deadline_from)
    if deadline_to is not None:
        tasks = tasks.filter(deadline__lte=deadline_to)
    return tasks


def tasks_for_table(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """With everything a row of the follow-up table reads, in a fixed number of queries."""
    return (
        tasks.select_related("lead_unit", "conclusion", "conclusion__meeting")
        .prefetch_related("supporting_units")
        .order_by("deadline", "conclusion__meeting__held_on", "conclusion__number", "id")
    )


@dataclass(frozen=True)
class TaskRow:
    task: Task
    status: TaskStatus
    status_label: str
    badge: str
    # Working days past the deadline: until today for an open task, until completion if done.
    days_overdue: int

    @property
    def supporting_names(self) -> list[str]:
        return [unit.name for unit in self.task.supporting_units.all()]


def task_row(
    task: Task,
    *,
    today: dt.date,
    calendar: WorkingCalendar,
    delays: dict[tuple[dt.date, dt.date], int] | None = None,
) -> TaskRow:
    """``delays``: a memo of working days overdue by (deadline, until), shared by the rows of
    one table (many tasks share a deadline; counting walks the calendar day by day)."""
    status = task_status(
        deadline=task.deadline,
        first_report_on=task.first_reported_on,
        completed_on=task.completed_on,
        today=today,
    )
    until = (
        task.completed_on if status in (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE) else today
    )
    delays = {} if delays is None else delays
    key = (task.deadline, until)
    if key not in delays:
        delays[key] = working_days_overdue(deadline=task.deadline, until=until, calendar=calendar)
    return TaskRow(
        task=task,
        status=status,
        status_label=str(STATUS_LABELS[status]),
        badge=STATUS_BADGES[status],
        days_overdue=delays[key],
    )


def task_rows(tasks: Iterable[Task], *, today: dt.date, calendar: WorkingCalendar) -> list[TaskRow]:
    delays: dict[tuple[dt.date, dt.date], int] = {}
    return [task_row(task, today=today, calendar=calendar, delays=delays) for task in tasks]


def task_reports(task: Task) -> QuerySet[TaskReport]:
    return task.reports.select_related("unit", "by").order_by("-at", "-id")


def task_counts_by_unit(*, units: Iterable[Unit | int], on: dt.date) -> dict[int, dict[str, int]]:
    """``{unit_id: {"open": n, "overdue": n}}`` for the tasks each unit leads, as of ``on``.

    Open: assigned at a meeting held on or before ``on`` and not completed by then; overdue:
    those of them whose deadline is before ``on``. Every unit asked for is in the answer, with
    zeros when it leads nothing. One query.
    """
    unit_ids = [unit if isinstance(unit, int) else unit.pk for unit in units]
    counts = {unit_id: {"open": 0, "overdue": 0} for unit_id in unit_ids}
    rows = (
        Task.objects.filter(lead_unit_id__in=unit_ids, conclusion__meeting__held_on__lte=on)
        .filter(_open_on(on))
        .values("lead_unit_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(deadline__lt=on)))
    )
    for row in rows:
        counts[row["lead_unit_id"]] = {"open": row["open"], "overdue": row["overdue"]}
    return counts
