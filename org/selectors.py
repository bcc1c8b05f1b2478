"""Reads of the organisation: who may see which units."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass

import holidays
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .calendar_source import working_calendar
from .models import ROOT_WIDE_ROLES, CalendarOverride, Membership, Unit


def membership_of(user: AbstractBaseUser | AnonymousUser) -> Membership | None:
    """The user's active membership, cached on the user object for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_active_membership"):
        user._active_membership = (
            Membership.objects.select_related("unit").filter(user=user, is_active=True).first()
        )
    return user._active_membership


def unit_subtree(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=unit.path)


def units_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Unit]:
    """The one rule for what a user may see; every list and detail view goes through it.

    Staff see their unit's subtree; committee members and administrators see everything under
    the root of their unit's tree. Units merged into a visible unit stay visible, so a commune
    formed in the 2025 reform still sees the dossiers of the communes it absorbed.
    """
    unit_ids = unit_ids_visible_to(user)
    if unit_ids is None:
        return Unit.objects.all()
    return Unit.objects.filter(id__in=unit_ids)


def unit_ids_visible_to(user: AbstractBaseUser | AnonymousUser) -> set[int] | None:
    """The ids of :func:`units_visible_to` (None: every unit, for a superuser).

    As literal ids, a filter on them lets PostgreSQL use the unit indexes of big tables and
    know how many rows each unit has, which a subquery does not.
    """
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    membership = membership_of(user)
    if membership is None:
        return set()
    unit = membership.unit
    top_path = f"/{unit.root_id}/" if membership.role in ROOT_WIDE_ROLES else unit.path
    return _with_predecessors(
        set(Unit.objects.filter(path__startswith=top_path).values_list("id", flat=True))
    )


def unit_lineage_ids(unit: Unit) -> set[int]:
    """The units whose dossiers count for ``unit``: its subtree and, transitively, the units
    it succeeded with their subtrees (a commune formed in 2025 inherits the history of the
    communes it absorbed). Remembered on the instance for the request."""
    if not hasattr(unit, "_lineage_ids"):
        unit._lineage_ids = frozenset(
            _with_predecessors(set(unit_subtree(unit).values_list("id", flat=True)))
        )
    return set(unit._lineage_ids)


def _with_predecessors(unit_ids: set[int]) -> set[int]:
    visible_ids = set(unit_ids)
    frontier = visible_ids
    while frontier:
        # Predecessors and their subtrees (a merged district's communes), until nothing new.
        predecessor_paths = (
            Unit.objects.filter(successors__in=frontier)
            .exclude(id__in=visible_ids)
            .values_list("path", flat=True)
            .distinct()
        )
        condition = Q()
        for path in predecessor_paths:
            condition |= Q(path__startswith=path)
        if not condition:
            break
        frontier = set(Unit.objects.filter(condition).values_list("id", flat=True)) - visible_ids
        visible_ids |= frontier
    return visible_ids


@dataclass(frozen=True)
class HolidayRow:
    day: dt.date
    name: str
    is_working_day: bool


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    working_days: int


@dataclass(frozen=True)
class CalendarYear:
    """One year of the working calendar: legal holidays (and whether an override reopened
    them), the package's swapped working weekend days, the admins' overrides, working days."""

    year: int
    holidays: list[HolidayRow]
    weekend_workdays: list[dt.date]
    overrides: list[CalendarOverride]
    months: list[MonthRow]

    @property
    def working_days(self) -> int:
        return sum(row.working_days for row in self.months)


def working_calendar_year(*, year: int, language: str = "en_US") -> CalendarYear:
    """Holiday names come from the package; which days are off from the WorkingCalendar."""
    calendar = working_calendar()
    legal = holidays.country_holidays("VN", years=year, language=language)
    return CalendarYear(
        year=year,
        holidays=[
            HolidayRow(day=day, name=name, is_working_day=calendar.is_working_day(day))
            for day, name in sorted(legal.items())
            if day.year == year
        ],
        weekend_workdays=sorted(day for day in legal.weekend_workdays if day.year == year),
        overrides=list(CalendarOverride.objects.filter(date__year=year).order_by("date")),
        months=[
            MonthRow(
                month=dt.date(year, month, 1),
                working_days=calendar.working_days_between(
                    dt.date(year, month, 1), dt.date(year, month, monthrange(year, month)[1])
                ),
            )
            for month in range(1, 13)
        ],
    )


def working_calendar_summary(*, year: int) -> dict:
    """The days off and decreed working weekend days of a year, and its working-day count."""
    calendar = working_calendar()
    year_view = working_calendar_year(year=year)
    days_off = {row.day: row.name for row in year_view.holidays if not row.is_working_day}
    working_weekend_days = {
        day: _("Swapped working day")
        for day in year_view.weekend_workdays
        if calendar.is_working_day(day)
    }
    for override in year_view.overrides:
        if not calendar.is_working_day(override.date):
            days_off[override.date] = override.notice
        elif override.date.weekday() >= 5:
            working_weekend_days[override.date] = override.notice

    def listed(days: dict) -> list[dict]:
        return [{"date": day.isoformat(), "name": name} for day, name in sorted(days.items())]

    return {
        "year": year,
        "working_days": year_view.working_days,
        "days_off": listed(days_off),
        "working_weekend_days": listed(working_weekend_days),
    }
