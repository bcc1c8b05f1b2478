"""The portal's one working calendar: settings plus the overrides admins enter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
from django.core.cache import cache

from org.calendar_source import _cache_key, working_calendar
from org.models import CalendarOverride
from org.workdays import VIETNAM


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # The cache outlives each test's rolled-back transaction; start and leave it clean.
    cache.clear()
    yield
    cache.clear()


def _override(day: date, kind: str) -> CalendarOverride:
    return CalendarOverride.objects.create(date=day, kind=kind, notice="Thông báo 1/TB-UBND")


def test_it_uses_the_office_hours_from_settings(db: None, settings: object) -> None:
    settings.OFFICE_HOURS = ["07:30-11:30", "13:00-16:30"]  # type: ignore[attr-defined]
    calendar = working_calendar()
    assert calendar.office_blocks == ((time(7, 30), time(11, 30)), (time(13), time(16, 30)))
    assert calendar.tz == VIETNAM


def test_it_rejects_bad_office_hours_in_settings(db: None, settings: object) -> None:
    settings.OFFICE_HOURS = ["13:30-17:00", "07:00-11:30"]  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        working_calendar()


def test_it_builds_days_from_overrides(db: None) -> None:
    _override(date(2025, 3, 11), CalendarOverride.Kind.DAY_OFF)
    _override(date(2025, 3, 15), CalendarOverride.Kind.WORKING_DAY)
    calendar = working_calendar()
    assert calendar.extra_days_off == frozenset({date(2025, 3, 11)})
    assert calendar.extra_working_days == frozenset({date(2025, 3, 15)})


def test_it_serves_the_calendar_from_the_cache(db: None, django_assert_num_queries) -> None:
    working_calendar()
    with django_assert_num_queries(0):
        working_calendar()


def test_it_sees_a_new_day_off_at_once(db: None) -> None:
    received = datetime(2025, 3, 10, 13, 30, tzinfo=VIETNAM)
    # Mon 3.5 h + Tue 07:00–11:30.
    assert working_calendar().add_working_days(received, 1) == datetime(
        2025, 3, 11, 11, 30, tzinfo=VIETNAM
    )
    _override(date(2025, 3, 11), CalendarOverride.Kind.DAY_OFF)
    # Tuesday off: Wednesday 07:00–11:30.
    assert working_calendar().add_working_days(received, 1) == datetime(
        2025, 3, 12, 11, 30, tzinfo=VIETNAM
    )


def test_it_sees_a_changed_and_a_deleted_override_at_once(db: None) -> None:
    saturday = date(2025, 3, 15)
    override = _override(saturday, CalendarOverride.Kind.DAY_OFF)
    assert not working_calendar().is_working_day(saturday)

    override.kind = CalendarOverride.Kind.WORKING_DAY
    override.save()
    assert working_calendar().is_working_day(saturday)

    override.delete()
    assert not working_calendar().is_working_day(saturday)
    assert working_calendar().extra_working_days == frozenset()


def test_it_sees_overrides_deleted_in_bulk(db: None) -> None:
    _override(date(2025, 3, 11), CalendarOverride.Kind.DAY_OFF)
    assert not working_calendar().is_working_day(date(2025, 3, 11))
    # A queryset delete still sends post_delete for each row, because a receiver listens.
    CalendarOverride.objects.all().delete()
    assert working_calendar().is_working_day(date(2025, 3, 11))


def test_it_forgets_the_calendar_again_on_commit(
    db: None, django_capture_on_commit_callbacks
) -> None:
    # Another process may cache the pre-commit calendar between the save and the commit;
    # the second invalidation, on commit, drops that copy.
    with django_capture_on_commit_callbacks(execute=True):
        _override(date(2025, 3, 11), CalendarOverride.Kind.DAY_OFF)
        working_calendar()
        assert cache.get(_cache_key()) is not None
    assert cache.get(_cache_key()) is None
