"""How far back a desk may date a receipt without saying why (DESIGN §3 "Today and the past").

A dossier received on day D and entered on day T is "N working days back" when N working days
lie after D up to and including T: entered the next working day it is 1 day back, entered the
same day 0. More than ``settings.INTAKE_BACKDATE_WORKING_DAYS`` needs a reason.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from org.calendar_source import working_calendar
from org.workdays import WorkingCalendar

from .models import local_date

_ONE_DAY = dt.timedelta(days=1)


def working_days_back_exceed(
    *, calendar: WorkingCalendar, day: dt.date, today: dt.date, limit: int
) -> bool:
    """Whether more than ``limit`` working days lie in (``day``, ``today``].

    Counts back from ``today`` and stops at ``limit + 1``, so a receipt dated years back
    costs a few days of calendar, not years.
    """
    count = 0
    current = today
    while current > day:
        if calendar.is_working_day(current):
            count += 1
            if count > limit:
                return True
        current -= _ONE_DAY
    return False


def backdate_reason_required(*, received_at: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Whether an intake dated ``received_at``, entered at ``now``, must say why it is late."""
    now = now or timezone.now()
    return working_days_back_exceed(
        calendar=working_calendar(),
        day=local_date(received_at),
        today=local_date(now),
        limit=settings.INTAKE_BACKDATE_WORKING_DAYS,
    )
