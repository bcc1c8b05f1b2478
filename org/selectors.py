"""Reads of the organisation: who may see which units."""

from __future__ import annotations

import datetime as dt

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
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    membership = membership_of(user)
    if membership is None:
        return Unit.objects.none()
    unit = membership.unit
    top_path = f"/{unit.root_id}/" if membership.role in ROOT_WIDE_ROLES else unit.path
    visible_ids = set(Unit.objects.filter(path__startswith=top_path).values_list("id", flat=True))
    frontier = visible_ids
    while frontier:
        # Predecessors and their subtrees (a merged district's communes), until nothing new.
        predecessor_paths = (
            Unit.objects.filter(successor_id__in=frontier)
            .exclude(id__in=visible_ids)
            .values_list("path", flat=True)
        )
        condition = Q()
        for path in predecessor_paths:
            condition |= Q(path__startswith=path)
        if not condition:
            break
        frontier = set(Unit.objects.filter(condition).values_list("id", flat=True)) - visible_ids
        visible_ids |= frontier
    return Unit.objects.filter(id__in=visible_ids)


def unit_is_visible_to(user: AbstractBaseUser | AnonymousUser, unit: Unit) -> bool:
    return units_visible_to(user).filter(pk=unit.pk).exists()


def working_calendar_summary(*, year: int) -> dict:
    """The days off and decreed working weekend days of a year, and its working-day count."""
    calendar = working_calendar()
    legal = holidays.country_holidays("VN", years=year)
    overrides = {
        o.date: o for o in CalendarOverride.objects.filter(date__year=year).order_by("date")
    }
    days_off, working_weekend_days = [], []
    day = dt.date(year, 1, 1)
    while day.year == year:
        override = overrides.get(day)
        name = override.notice if override else legal.get(day, _("Swapped working day"))
        if not calendar.is_working_day(day) and (override or day in legal):
            days_off.append({"date": day.isoformat(), "name": name})
        elif calendar.is_working_day(day) and day.weekday() >= 5:
            working_weekend_days.append({"date": day.isoformat(), "name": name})
        day += dt.timedelta(days=1)
    return {
        "year": year,
        "working_days": calendar.working_days_in_year(year),
        "days_off": days_off,
        "working_weekend_days": working_weekend_days,
    }
