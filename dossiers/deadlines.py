"""Due dates of dossiers (DESIGN §3 "Due date" and "Supplement").

Pure rules on top of the one working calendar: the only thing read from the database is the
calendar itself when none is passed (and the version's per-channel times).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from org.calendar_source import working_calendar
from org.workdays import WorkingCalendar
from procedures.models import ProcedureVersion, TimeUnit

_MICROSECOND = dt.timedelta(microseconds=1)


def _scaled(length: dt.timedelta, factor: Decimal) -> dt.timedelta:
    # Exact decimal arithmetic: 0.5 × 8 h is 4 h, not 3:59:59.999999.
    return dt.timedelta(microseconds=int(Decimal(length // _MICROSECOND) * factor))


def due_at_compute(
    *,
    version: ProcedureVersion,
    channel: str,
    received_at: dt.datetime,
    calendar: WorkingCalendar | None = None,
) -> dt.datetime:
    """The legal due date-time of a dossier received at ``received_at`` through ``channel``.

    Working days are N × one day's office hours from the received moment (fractions allowed:
    "0.5 working day" is half a day of office time); working hours likewise; calendar days run
    on the wall clock and a non-working target day moves to the next working day's closing time.
    """
    calendar = calendar or working_calendar()
    value, unit = version.processing_time_for(channel)
    value = Decimal(value)
    if value < 0:
        raise ValueError(f"A processing time cannot be negative; got {value}.")
    if unit == TimeUnit.WORKING_DAYS:
        return calendar.add_office_time(received_at, _scaled(calendar.working_day_length, value))
    if unit == TimeUnit.WORKING_HOURS:
        return calendar.add_office_time(received_at, _scaled(dt.timedelta(hours=1), value))
    if unit == TimeUnit.CALENDAR_DAYS:
        if value != value.to_integral_value():
            raise ValueError(f"A processing time in calendar days must be whole; got {value}.")
        return calendar.add_calendar_days(received_at, int(value))
    raise ValueError(f"Unknown unit of processing time: {unit!r}.")


def supplement_due_at_shift(
    *,
    due_at: dt.datetime,
    paused_from: dt.datetime,
    resumed_at: dt.datetime,
    calendar: WorkingCalendar | None = None,
) -> dt.datetime:
    """The due date after a supplement pause from ``paused_from`` to ``resumed_at``.

    The clock stops while the citizen completes the dossier; on completion the due date moves
    later by the office time that elapsed (DESIGN §3), landing in office hours. A pause that
    held no office time (e.g. over a weekend) leaves the due date as it was.
    """
    calendar = calendar or working_calendar()
    elapsed = calendar.office_time_between(paused_from, resumed_at)
    if not elapsed:
        return due_at
    return calendar.add_office_time(due_at, elapsed)
