"""The working calendar: which days the one-stop desk works, and office-time arithmetic.

Pure rules, no ORM and no Django: ``org.calendar_source.working_calendar()`` builds the
calendar from settings and the ``CalendarOverride`` rows; everything that computes a due date
or counts working days goes through a :class:`WorkingCalendar` (one calendar, DESIGN §3).

Why the rules are what they are:

- Processing times are published in working days (ngày làm việc). Weekends, the public
  holidays of Labor Code 2019 Art. 112 (lunar Tết included, with the compensatory days off
  when a holiday falls on a weekly rest day) and the swapped days the government announces
  every year do not count. ``holidays.country_holidays("VN")`` carries the legal holidays and
  the announced swaps; admins enter anything else as overrides.
- N working days = N × the office hours of one day (8 h by default), counted from the moment
  the dossier was received (DESIGN §3 "Due date"). A dossier received after hours, at lunch
  or on a day off starts at the next office-hours moment.
- All arithmetic happens in local wall-clock time (Asia/Ho_Chi_Minh, which has had no DST
  since 1975), and every datetime returned is aware and in that zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

OfficeBlock = tuple[time, time]

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

_BLOCK_PATTERN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_ONE_DAY = timedelta(days=1)


def parse_office_hours(blocks: list[str] | tuple[str, ...]) -> tuple[OfficeBlock, ...]:
    """Parse ``["07:00-11:30", "13:30-17:00"]`` (the ``OFFICE_HOURS`` setting) into times.

    The blocks must be in order and must not overlap, so that a day's office time is simply
    the sum of the block lengths; anything else is a configuration mistake that would
    silently shift every due date, hence a ``ValueError`` naming the offending block.
    """
    if isinstance(blocks, str):
        raise ValueError("Office hours must be a list of 'HH:MM-HH:MM' blocks, not one string.")
    parsed = []
    for block in blocks:
        match = _BLOCK_PATTERN.match(block)
        if match is None:
            raise ValueError(f"Office-hours block {block!r} is not of the form 'HH:MM-HH:MM'.")
        start_hour, start_minute, end_hour, end_minute = (int(part) for part in match.groups())
        try:
            parsed.append((time(start_hour, start_minute), time(end_hour, end_minute)))
        except ValueError as error:
            raise ValueError(
                f"Office-hours block {block!r} is not a valid time: {error}."
            ) from None
    blocks_parsed = tuple(parsed)
    _validate_blocks(blocks_parsed)
    return blocks_parsed


def _validate_blocks(blocks: tuple[OfficeBlock, ...]) -> None:
    if not blocks:
        raise ValueError("Office hours need at least one block.")
    previous_end: time | None = None
    for start, end in blocks:
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError("Office-hours blocks are local wall-clock times, without tzinfo.")
        if start >= end:
            raise ValueError(f"Office-hours block {start:%H:%M}-{end:%H:%M} ends before it starts.")
        if previous_end is not None and start < previous_end:
            raise ValueError(
                f"Office-hours block {start:%H:%M}-{end:%H:%M} overlaps or precedes the block "
                f"ending at {previous_end:%H:%M}; list the blocks in order without overlap."
            )
        previous_end = end


DEFAULT_OFFICE_BLOCKS: tuple[OfficeBlock, ...] = parse_office_hours(["07:00-11:30", "13:30-17:00"])


@cache
def _package_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The legal days off and the swapped working weekend days of one year, per the package.

    Loaded lazily, one year at a time, and cached for the life of the process: the package
    data only changes with a new pinned version. ``weekend_workdays`` (the Saturdays worked to
    bridge a holiday, e.g. 2025-04-26 for 2025-05-02) is filtered to the year because the
    package always includes the cross-year ones (2014-12-27, 2019-01-05), whatever years
    were asked for.
    """
    calendar = holidays.country_holidays("VN", years=year)
    days_off = frozenset(day for day in calendar if day.year == year)
    weekend_workdays = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return days_off, weekend_workdays


def _require_aware(moment: datetime, name: str) -> None:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware; got the naive datetime {moment}.")


def _require_date(day: date, name: str) -> None:
    # A datetime is a date too, but it never equals one, so set lookups would silently miss.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"{name} must be a date, not {type(day).__name__}.")


def _require_non_negative(value: int | float | timedelta, name: str) -> None:
    if value < (timedelta(0) if isinstance(value, timedelta) else 0):
        raise ValueError(f"{name} must not be negative; got {value}.")


@dataclass(frozen=True)
class WorkingCalendar:
    """Office hours plus the days the office works.

    Which days are working days, strongest rule first (an admin's entry from the
    government's annual notice must win over everything else):

    1. ``extra_days_off`` / ``extra_working_days`` (``CalendarOverride`` rows);
    2. the ``holidays`` package: a legal holiday is off, a swapped weekend workday is worked;
    3. Monday to Friday are working days.

    Office hours are half-open blocks ``[start, end)`` for "is the office open at this
    instant", but office time may run out exactly at a block's end: a day's work finishes at
    17:00, not at 07:00 the next morning.
    """

    office_blocks: tuple[OfficeBlock, ...] = DEFAULT_OFFICE_BLOCKS
    tz: ZoneInfo = VIETNAM
    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    use_holidays_package: bool = True

    def __post_init__(self) -> None:
        _validate_blocks(self.office_blocks)
        if clash := self.extra_days_off & self.extra_working_days:
            raise ValueError(f"A day cannot be both a day off and a working day: {sorted(clash)}.")

    # Days ---------------------------------------------------------------------------------

    @property
    def working_day_length(self) -> timedelta:
        """The office time of one working day: what "1 working day" means (8 h by default)."""
        anchor = date(2000, 1, 1)
        return sum(
            (
                datetime.combine(anchor, end) - datetime.combine(anchor, start)
                for start, end in self.office_blocks
            ),
            timedelta(0),
        )

    def is_working_day(self, day: date) -> bool:
        """Whether the office works on ``day`` (see the precedence in the class docstring)."""
        _require_date(day, "day")
        if day in self.extra_days_off:
            return False
        if day in self.extra_working_days:
            return True
        if self.use_holidays_package:
            days_off, weekend_workdays = _package_year(day.year)
            if day in days_off:
                return False
            if day in weekend_workdays:
                return True
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        _require_date(day, "day")
        day += _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """How many working days lie in ``[first, last]``, both ends included (0 if last < first).

        Inclusive because report periods are inclusive date ranges (DESIGN §3 "Statistics").
        """
        _require_date(first, "first")
        _require_date(last, "last")
        count = 0
        day = first
        while day <= last:
            count += self.is_working_day(day)
            day += _ONE_DAY
        return count

    def working_days_in_year(self, year: int) -> int:
        """How many working days the year has."""
        return self.working_days_between(date(year, 1, 1), date(year, 12, 31))

    # Instants -----------------------------------------------------------------------------

    def next_office_moment(self, at: datetime) -> datetime:
        """``at`` itself if the office is open then, otherwise when it next opens.

        This is when the clock of a dossier starts: received at lunch → 13:30 the same day;
        received after 17:00, on a weekend or on a holiday → 07:00 of the next working day.
        """
        _require_aware(at, "at")
        local = at.astimezone(self.tz)
        day = local.date()
        if self.is_working_day(day):
            for block_start, block_end in self._blocks_on(day):
                if local < block_end:
                    return max(block_start, local)
        return self._blocks_on(self.next_working_day(day))[0][0]

    def add_office_time(self, start: datetime, delta: timedelta) -> datetime:
        """The moment when ``delta`` of office time has elapsed, counted from ``start``.

        The clock starts at ``next_office_moment(start)``. When the time runs out exactly at
        the end of a block the result is that block's end (Mon 07:00 + 8 h → Mon 17:00).
        Whole working days in between are skipped a day at a time, so a thousand working days
        cost a few thousand set lookups, not a minute-by-minute walk.
        """
        _require_aware(start, "start")
        if not isinstance(delta, timedelta):
            raise TypeError(f"delta must be a timedelta, not {type(delta).__name__}.")
        _require_non_negative(delta, "delta")
        cursor = self.next_office_moment(start)
        remaining = delta

        # The rest of the first day, from the cursor on.
        day = cursor.date()
        for block_start, block_end in self._blocks_on(day):
            if block_end <= cursor:
                continue
            begin = max(block_start, cursor)
            available = block_end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available

        # Whole working days; strictly greater, so that a day that exactly uses up the
        # remaining time ends at its closing time.
        day = self.next_working_day(day)
        length = self.working_day_length
        while remaining > length:
            remaining -= length
            day = self.next_working_day(day)

        # The last day, block by block.
        for block_start, block_end in self._blocks_on(day):
            available = block_end - block_start
            if remaining <= available:
                return block_start + remaining
            remaining -= available
        raise AssertionError("unreachable: the last day holds the remaining office time")

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """Due moment for ``n`` working days: n × one day's office hours from ``start``.

        DESIGN §3: received 2021-02-09 16:30 + 3 days → 2021-02-19 16:30 (Tết skipped).
        """
        _require_non_negative(n, "n")
        return self.add_office_time(start, n * self.working_day_length)

    def add_working_hours(self, start: datetime, hours: int | float) -> datetime:
        """Due moment for a deadline published in working hours (e.g. "within 4 working hours")."""
        _require_non_negative(hours, "hours")
        return self.add_office_time(start, timedelta(hours=hours))

    def add_calendar_days(self, start: datetime, n: int) -> datetime:
        """Due moment for a deadline published in calendar days.

        ``start`` + n days on the local wall clock, from the received time itself (calendar
        days run on weekends and after hours too). If that date is not a working day the
        deadline moves to the end of office hours of the next working day (DESIGN §3), so the
        citizen can still collect the result on the day the office reopens.
        """
        _require_aware(start, "start")
        _require_non_negative(n, "n")
        local = start.astimezone(self.tz)
        target_day = local.date() + timedelta(days=n)
        if self.is_working_day(target_day):
            return datetime.combine(target_day, local.time(), tzinfo=self.tz)
        closing = self.office_blocks[-1][1]
        return datetime.combine(self.next_working_day(target_day), closing, tzinfo=self.tz)

    def office_time_between(self, start: datetime, end: datetime) -> timedelta:
        """The office time inside ``[start, end]``; zero if ``end`` is not after ``start``.

        The inverse of :meth:`add_office_time`; it measures how long a supplement request
        kept the clock stopped, which is how far the due date moves (DESIGN §3 "Supplement").
        """
        _require_aware(start, "start")
        _require_aware(end, "end")
        start = start.astimezone(self.tz)
        end = end.astimezone(self.tz)
        total = timedelta(0)
        if end <= start:
            return total
        first, last = start.date(), end.date()
        length = self.working_day_length
        day = first
        while day <= last:
            if self.is_working_day(day):
                if first < day < last:
                    total += length
                else:
                    for block_start, block_end in self._blocks_on(day):
                        overlap_start = max(block_start, start)
                        overlap_end = min(block_end, end)
                        if overlap_end > overlap_start:
                            total += overlap_end - overlap_start
            day += _ONE_DAY
        return total

    # Helpers ------------------------------------------------------------------------------

    def _blocks_on(self, day: date) -> list[tuple[datetime, datetime]]:
        # Both ends share one tzinfo, so subtracting them gives the wall-clock difference,
        # which is what office hours mean.
        return [
            (
                datetime.combine(day, start, tzinfo=self.tz),
                datetime.combine(day, end, tzinfo=self.tz),
            )
            for start, end in self.office_blocks
        ]
