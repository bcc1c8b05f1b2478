"""The one working calendar of the portal: settings.OFFICE_HOURS plus the CalendarOverride rows.

Cached in Django's cache so that computing a due date costs no query; ``org.signals`` drops
the cached copy whenever an override is saved or deleted.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from org.models import CalendarOverride
from org.workdays import WorkingCalendar, parse_office_hours

# Bump the version when WorkingCalendar changes shape, so a deploy never unpickles an old one.
_CACHE_VERSION = 1
# A safety net, not the invalidation mechanism: bounds how long a copy built from data that
# was then rolled back, or overtaken by a concurrent write, can survive.
_CACHE_TIMEOUT = 60 * 60

logger = logging.getLogger(__name__)


def _cache_key() -> str:
    # Office hours and zone are part of the key: changing them in the environment takes
    # effect on restart without waiting for the cached copy to expire.
    hours = ",".join(settings.OFFICE_HOURS).replace(" ", "")
    return f"org:working-calendar:v{_CACHE_VERSION}:{settings.TIME_ZONE}:{hours}"


def working_calendar() -> WorkingCalendar:
    """The working calendar every due date and every working-day count must use."""
    key = _cache_key()
    try:
        calendar = cache.get(key)
    except Exception:  # the cache (Redis) is down: the database has the answer
        logger.warning(
            "Working calendar cache unavailable; built from the database.", exc_info=True
        )
        return _working_calendar_build()
    if calendar is None:
        calendar = _working_calendar_build()
        try:
            cache.set(key, calendar, _CACHE_TIMEOUT)
        except Exception:
            logger.warning("Could not cache the working calendar.", exc_info=True)
    return calendar


def _working_calendar_build() -> WorkingCalendar:
    overrides = CalendarOverride.objects.values_list("date", "kind")
    return WorkingCalendar(
        office_blocks=parse_office_hours(settings.OFFICE_HOURS),
        tz=ZoneInfo(settings.TIME_ZONE),
        extra_days_off=frozenset(
            day for day, kind in overrides if kind == CalendarOverride.Kind.DAY_OFF
        ),
        extra_working_days=frozenset(
            day for day, kind in overrides if kind == CalendarOverride.Kind.WORKING_DAY
        ),
    )


def working_calendar_invalidate() -> None:
    """Forget the cached calendar, now and again when the current transaction commits.

    Now, so the request that saved an override sees it at once; on commit, because another
    process may have rebuilt the calendar from the not-yet-committed state in between.
    Queryset ``update()`` and ``bulk_create()`` send no signals: call this after them.
    """
    key = _cache_key()
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
