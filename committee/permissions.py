"""Who does what in the committee workspace.

- The standing office (cơ quan thường trực): users whose active membership is a steering
  committee member or an administrator (and superusers). They record meetings, conclusions and
  tasks, and follow every task of their tree (``org.selectors.units_visible_to``).
- Everybody else works for a unit: they see, and report on, only the tasks where their own
  unit is the lead or a supporting unit. Any other task answers 404.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from org.models import Role, Unit
from org.selectors import membership_of

from .models import Task

STANDING_OFFICE_ROLES = frozenset({Role.COMMITTEE_MEMBER, Role.ADMINISTRATOR})


def is_standing_office(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    membership = membership_of(user)
    return membership is not None and membership.role in STANDING_OFFICE_ROLES


def reporting_unit(user: AbstractBaseUser | AnonymousUser, task: Task) -> Unit | None:
    """The unit ``user`` reports for on ``task``: their own, if it leads or supports the task."""
    membership = membership_of(user)
    if membership is None or not user.is_active:
        return None
    unit = membership.unit
    if task.lead_unit_id == unit.pk or task.supporting_units.filter(pk=unit.pk).exists():
        return unit
    return None


def can_report(user: AbstractBaseUser | AnonymousUser, task: Task) -> bool:
    return task.completed_on is None and reporting_unit(user, task) is not None
