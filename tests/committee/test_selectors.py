"""The SQL status filter agrees with the pure status function; who sees which tasks; the
per-unit counts the dashboard shows."""

import datetime as dt

import pytest

from committee import services
from committee.models import Task
from committee.selectors import (
    status_condition,
    task_counts_by_unit,
    tasks_overdue,
    tasks_visible_to,
)
from committee.status import TaskStatus, task_status
from org.models import Role
from tests.committee.conftest import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(conclusion, office, commune_a, commune_b, commune_c):
    """Five tasks of the 25 Mar 2021 meeting in every state on 2021-04-15."""

    def make(title, lead, deadline, first=None, completed=None, supporting=()):
        task = services.task_assign(
            conclusion=conclusion,
            by=office,
            title=title,
            lead_unit=lead,
            supporting_units=supporting,
            deadline=dt.date.fromisoformat(deadline),
        )
        Task.objects.filter(pk=task.pk).update(
            first_reported_on=first and dt.date.fromisoformat(first),
            completed_on=completed and dt.date.fromisoformat(completed),
        )
        return task

    return {
        "not_started": make("A", commune_a, "2021-04-29"),
        "within": make("B", commune_a, "2021-04-29", first="2021-04-01", supporting=[commune_b]),
        "overdue": make("C", commune_b, "2021-04-14", first="2021-04-01"),
        "on_time": make("D", commune_b, "2021-04-14", "2021-04-01", completed="2021-04-14"),
        "late": make("E", commune_c, "2021-04-08", "2021-04-01", completed="2021-04-12"),
    }


@pytest.mark.parametrize("today", ["2021-03-31", "2021-04-09", "2021-04-14", "2021-04-15"])
def test_the_sql_status_agrees_with_the_status_function(tasks, today):
    today = dt.date.fromisoformat(today)
    for status in TaskStatus:
        from_sql = set(
            Task.objects.filter(status_condition(status, today)).values_list("id", flat=True)
        )
        from_python = {
            task.id
            for task in Task.objects.all()
            if task_status(
                deadline=task.deadline,
                first_report_on=task.first_reported_on,
                completed_on=task.completed_on,
                today=today,
            )
            == status
        }
        assert from_sql == from_python, status


def test_it_lists_the_overdue_tasks(tasks):
    overdue = tasks_overdue(Task.objects.all(), today=dt.date(2021, 4, 15))
    assert list(overdue) == [tasks["overdue"]]


def test_the_standing_office_sees_every_task_and_staff_only_their_units(
    tasks, office, staff_a, staff_b, staff_c
):
    assert tasks_visible_to(office).count() == 5
    assert set(tasks_visible_to(staff_a)) == {tasks["not_started"], tasks["within"]}
    # Commune B leads two tasks and supports one.
    assert set(tasks_visible_to(staff_b)) == {tasks["within"], tasks["overdue"], tasks["on_time"]}
    assert list(tasks_visible_to(staff_c)) == [tasks["late"]]


def test_a_user_without_a_membership_sees_no_task(tasks):
    from tests.factories import UserFactory

    assert tasks_visible_to(UserFactory()).count() == 0


def test_a_committee_member_of_another_province_sees_nothing(tasks):
    from tests.factories import UnitFactory

    other = UnitFactory(code="000.00.00.H31", level="province")
    outsider = member(other, Role.COMMITTEE_MEMBER, "bcd.khac")
    assert tasks_visible_to(outsider).count() == 0


def test_it_counts_open_and_overdue_tasks_by_lead_unit(
    tasks, commune_a, commune_b, commune_c, district
):
    counts = task_counts_by_unit(
        units=[commune_a, commune_b, commune_c, district], on=dt.date(2021, 4, 15)
    )
    assert counts == {
        commune_a.pk: {"open": 2, "overdue": 0},
        commune_b.pk: {"open": 1, "overdue": 1},
        commune_c.pk: {"open": 0, "overdue": 0},
        district.pk: {"open": 0, "overdue": 0},
    }
    # On 31 March nothing is done yet and nothing is due.
    assert task_counts_by_unit(units=[commune_c.pk], on=dt.date(2021, 3, 31)) == {
        commune_c.pk: {"open": 1, "overdue": 0}
    }
    # Before the meeting, its tasks do not exist yet.
    assert task_counts_by_unit(units=[commune_a], on=dt.date(2021, 3, 24)) == {
        commune_a.pk: {"open": 0, "overdue": 0}
    }
