"""The working calendar, checked against the calendar the one-stop desk actually kept.

Every expected value below was worked out by hand from a paper calendar: office hours are
07:00–11:30 (4 h 30) and 13:30–17:00 (3 h 30), so one working day is 8 h of office time.
Weekdays used: 2021-02-09 Tue, 2021-03-05 Fri, 2025-01-24 Fri, 2025-03-10 Mon,
2025-04-25 Fri, 2025-04-26 Sat, 2026-02-13 Fri, 2026-04-24 Fri.
"""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from org.workdays import VIETNAM, WorkingCalendar, parse_office_hours

CALENDAR = WorkingCalendar()


def at(local: str) -> datetime:
    """A wall-clock time at the desk, e.g. "2025-03-10 07:00"."""
    return datetime.fromisoformat(local).replace(tzinfo=VIETNAM)


def assert_local(moment: datetime, expected: str) -> None:
    assert moment.tzinfo == VIETNAM
    assert moment == at(expected)


# Which days the desk works ----------------------------------------------------------------


@pytest.mark.parametrize(
    "day, working",
    [
        # An ordinary week: Monday to Friday work, Saturday and Sunday rest.
        ("2025-03-10", True),
        ("2025-03-14", True),
        ("2025-03-15", False),
        ("2025-03-16", False),
        # New Year's Day.
        ("2021-01-01", False),
        # Tết Tân Sửu 2021: off Wed 10 Feb to Tue 16 Feb; back on Wed 17 Feb.
        ("2021-02-09", True),
        ("2021-02-10", False),
        ("2021-02-12", False),
        ("2021-02-15", False),
        ("2021-02-16", False),
        ("2021-02-17", True),
        # Tết Ất Tỵ 2025 (Notice 6150/TB-LĐTBXH): weekdays off Mon 27 – Fri 31 Jan.
        ("2025-01-24", True),
        ("2025-01-27", False),
        ("2025-01-31", False),
        ("2025-02-03", True),
        # Tết Bính Ngọ 2026: weekdays off Mon 16 – Fri 20 Feb.
        ("2026-02-13", True),
        ("2026-02-16", False),
        ("2026-02-20", False),
        ("2026-02-23", True),
        # Hùng Kings' Commemoration Day (10/3 lunar).
        ("2021-04-21", False),
        ("2025-04-07", False),
        # 2026: it falls on Sunday 26 Apr, so Monday 27 Apr is the compensatory day off.
        ("2026-04-27", False),
        # 30/4 and 1/5 in 2021: 1 May is a Saturday, so Monday 3 May is off instead.
        ("2021-04-30", False),
        ("2021-05-03", False),
        ("2021-05-04", True),
        # 2025: 30/4, 1/5, and Friday 2/5 off in exchange for working Saturday 26/4.
        ("2025-04-26", True),
        ("2025-04-27", False),
        ("2025-04-30", False),
        ("2025-05-01", False),
        ("2025-05-02", False),
        ("2025-05-05", True),
        # 2024: Monday 29/4 off in exchange for working Saturday 4/5.
        ("2024-04-29", False),
        ("2024-05-04", True),
        # National Day 2/9 with the adjacent day (Labor Code 2019 Art. 112).
        ("2021-09-02", False),
        ("2021-09-03", False),
        ("2025-09-01", False),
        ("2025-09-02", False),
        ("2025-09-03", True),
    ],
)
def test_it_knows_which_days_are_working_days(day: str, working: bool) -> None:
    assert CALENDAR.is_working_day(date.fromisoformat(day)) is working


@pytest.mark.parametrize(
    "first, last, count",
    [
        # 8, 9 Feb, then Tết, then 17, 18, 19 Feb.
        ("2021-02-08", "2021-02-19", 5),
        # Fri 25 Apr, Sat 26 Apr (worked), Mon 28, Tue 29 Apr, then Mon 5 May.
        ("2025-04-25", "2025-05-05", 5),
        # Both ends are included.
        ("2025-03-10", "2025-03-10", 1),
        # An empty range.
        ("2025-03-11", "2025-03-10", 0),
    ],
)
def test_it_counts_working_days_between_dates(first: str, last: str, count: int) -> None:
    assert (
        CALENDAR.working_days_between(date.fromisoformat(first), date.fromisoformat(last)) == count
    )


@pytest.mark.parametrize(
    "year, count",
    [
        # 261 weekdays (starts on a Friday); off on weekdays: 1/1, Tết 10–12 and 15–16/2,
        # 21/4, 30/4, 3/5, 2–3/9 = 11 → 250.
        (2021, 250),
        # 261 weekdays (starts on a Wednesday); off on weekdays: 1/1, Tết 27–31/1, 7/4, 30/4,
        # 1/5, 2/5, 1–2/9 = 12; plus Saturday 26/4 worked → 250.
        (2025, 250),
    ],
)
def test_it_counts_working_days_in_a_year(year: int, count: int) -> None:
    assert CALENDAR.working_days_in_year(year) == count


def test_it_finds_the_next_working_day_after_tet() -> None:
    # Friday 24 Jan 2025 → Tết 27–31 Jan → Monday 3 Feb.
    assert CALENDAR.next_working_day(date(2025, 1, 24)) == date(2025, 2, 3)


# When the clock starts --------------------------------------------------------------------


@pytest.mark.parametrize(
    "received, starts",
    [
        # Before opening: the clock starts at 07:00.
        ("2025-03-10 06:59", "2025-03-10 07:00"),
        # During office hours: at once.
        ("2025-03-10 07:00", "2025-03-10 07:00"),
        ("2025-03-10 11:29", "2025-03-10 11:29"),
        ("2025-03-10 16:59:59", "2025-03-10 16:59:59"),
        # At 11:30 the morning block has closed: lunch break, so 13:30.
        ("2025-03-10 11:30", "2025-03-10 13:30"),
        ("2025-03-10 12:15", "2025-03-10 13:30"),
        # At or after 17:00: 07:00 the next working day.
        ("2025-03-10 17:00", "2025-03-11 07:00"),
        ("2025-03-10 22:00", "2025-03-11 07:00"),
        # Friday evening and Saturday: Monday 07:00.
        ("2025-03-14 17:30", "2025-03-17 07:00"),
        ("2025-03-15 10:00", "2025-03-17 07:00"),
        # During Tết 2025: Monday 3 Feb 07:00.
        ("2025-01-29 09:00", "2025-02-03 07:00"),
        # Saturday 26 Apr 2025 was worked: at once.
        ("2025-04-26 09:00", "2025-04-26 09:00"),
    ],
)
def test_it_starts_the_clock_at_the_next_office_moment(received: str, starts: str) -> None:
    assert_local(CALENDAR.next_office_moment(at(received)), starts)


def test_it_answers_in_local_time_for_a_utc_input() -> None:
    # 02:00 UTC is 09:00 in Hà Nội (UTC+7), inside office hours: same instant, local zone.
    assert_local(
        CALENDAR.next_office_moment(datetime(2025, 3, 10, 2, 0, tzinfo=UTC)), "2025-03-10 09:00"
    )


# Deadlines in working days ----------------------------------------------------------------


@pytest.mark.parametrize(
    "received, days, due",
    [
        # Tue 16:30–17:00 (0.5 h) + Tết 10–16 Feb skipped + 17, 18 Feb (16 h) + 19 Feb
        # 07:00–11:30 (4.5 h) + 13:30–16:30 (3 h) = 24 h.
        ("2021-02-09 16:30", 3, "2021-02-19 16:30"),
        # Tue 10:00–17:00 less lunch = 5 h, the remaining 3 h on Wed 17 Feb after Tết.
        ("2021-02-09 10:00", 1, "2021-02-17 10:00"),
        # Received during Tết: the clock starts Wed 17 Feb 07:00.
        ("2021-02-12 09:00", 1, "2021-02-17 17:00"),
        # Tết 2025: Fri 24 Jan 14:00–17:00 (3 h), Mon 3 Feb 07:00–11:30 (4.5 h) + 0.5 h.
        ("2025-01-24 14:00", 1, "2025-02-03 14:00"),
        # Tết 2026: Fri 13 Feb, then Mon 23 Feb.
        ("2026-02-13 07:00", 2, "2026-02-23 17:00"),
        # Hùng Kings 2021 (Wed 21 Apr): Tue 20 Apr, then Thu 22 Apr.
        ("2021-04-20 07:00", 2, "2021-04-22 17:00"),
        # Hùng Kings 2025 (Mon 7 Apr): Fri 4 Apr, then Tue 8 Apr.
        ("2025-04-04 07:00", 2, "2025-04-08 17:00"),
        # Hùng Kings 2026 observed Mon 27 Apr: Fri 24 Apr 3.5 h, Tue 28 Apr 8 h, Wed 29 Apr
        # 4.5 h, ending exactly as the morning block closes.
        ("2026-04-24 13:30", 2, "2026-04-29 11:30"),
        # 30/4–1/5 2021 with Mon 3 May observed: Thu 29 Apr 3.5 h, Tue 4 May 4.5 h.
        ("2021-04-29 13:30", 1, "2021-05-04 11:30"),
        # 2025: Fri 25 Apr 3.5 h, then the worked Saturday 26 Apr 07:00–11:30.
        ("2025-04-25 13:30", 1, "2025-04-26 11:30"),
        # 2025: Tue 29 Apr 6 h, then 30/4, 1/5 and swapped 2/5 off, Mon 5 May 2 h.
        ("2025-04-29 09:00", 1, "2025-05-05 09:00"),
        # 2/9 2021 (Thu 2 and Fri 3 Sep): Wed 1 Sep 6 h, then Mon 6 Sep 2 h.
        ("2021-09-01 09:00", 1, "2021-09-06 09:00"),
        # 2/9 2025 (Mon 1 and Tue 2 Sep): Fri 29 Aug 1 h, Wed 3 Sep 4.5 h + 2.5 h.
        ("2025-08-29 16:00", 1, "2025-09-03 16:00"),
    ],
)
def test_it_skips_holidays(received: str, days: int, due: str) -> None:
    assert_local(CALENDAR.add_working_days(at(received), days), due)


@pytest.mark.parametrize(
    "received, days, due",
    [
        # After hours on Friday: the clock starts Monday 07:00 (DESIGN §3).
        ("2021-03-05 17:30", 1, "2021-03-08 17:00"),
        ("2025-03-10 18:00", 1, "2025-03-11 17:00"),
        # Before opening: the clock starts at 07:00 the same day.
        ("2025-03-10 06:00", 1, "2025-03-10 17:00"),
        # Lunch break: starts 13:30, Mon 3.5 h, Tue 07:00–11:30 4.5 h.
        ("2025-03-10 12:00", 1, "2025-03-11 11:30"),
        # Weekend: starts Monday 07:00.
        ("2025-03-08 10:00", 1, "2025-03-10 17:00"),
        ("2025-03-09 23:59", 2, "2025-03-11 17:00"),
        # Zero days: due when the clock starts.
        ("2025-03-08 10:00", 0, "2025-03-10 07:00"),
    ],
)
def test_it_starts_counting_at_the_next_office_moment(received: str, days: int, due: str) -> None:
    assert_local(CALENDAR.add_working_days(at(received), days), due)


@pytest.mark.parametrize(
    "received, days, due",
    [
        # 8 h from 07:00 end at 17:00 the same day, not at 07:00 the next morning.
        ("2025-03-10 07:00", 1, "2025-03-10 17:00"),
        # 3.5 h on Monday afternoon + the 4.5 h Tuesday morning end at 11:30, not at 13:30.
        ("2025-03-10 13:30", 1, "2025-03-11 11:30"),
        # A whole week from Monday 07:00 ends on Friday 17:00.
        ("2025-03-10 07:00", 5, "2025-03-14 17:00"),
    ],
)
def test_it_ends_at_the_end_of_a_block(received: str, days: int, due: str) -> None:
    assert_local(CALENDAR.add_working_days(at(received), days), due)


def test_it_skips_a_thousand_working_days_quickly() -> None:
    start = at("2021-03-01 07:00")
    CALENDAR.add_working_days(start, 1000)  # loads the package's years once
    best = min(_elapsed(lambda: CALENDAR.add_working_days(start, 1000)) for _ in range(5))
    assert best < 0.010
    # 1000 × 8 h of office time, measured back.
    assert CALENDAR.office_time_between(start, CALENDAR.add_working_days(start, 1000)) == (
        timedelta(hours=8000)
    )


def _elapsed(call: object) -> float:
    started = clock.perf_counter()
    call()  # type: ignore[operator]
    return clock.perf_counter() - started


# Deadlines in working hours and calendar days ---------------------------------------------


@pytest.mark.parametrize(
    "received, hours, due",
    [
        # The whole morning: ends as it closes, at 11:30.
        ("2025-03-10 07:00", 4.5, "2025-03-10 11:30"),
        # 1.5 h before lunch, 2.5 h after.
        ("2025-03-10 10:00", 4, "2025-03-10 16:00"),
        # 1 h on Monday, 3 h on Tuesday morning.
        ("2025-03-10 16:00", 4, "2025-03-11 10:00"),
        # 1 h on Friday 24 Jan 2025, Tết, 1 h on Monday 3 Feb.
        ("2025-01-24 16:00", 2, "2025-02-03 08:00"),
        # Half an hour.
        ("2025-03-10 10:00", 0.5, "2025-03-10 10:30"),
        ("2025-03-10 07:00", 8, "2025-03-10 17:00"),
    ],
)
def test_it_counts_working_hours(received: str, hours: float, due: str) -> None:
    assert_local(CALENDAR.add_working_hours(at(received), hours), due)


@pytest.mark.parametrize(
    "received, days, due",
    [
        # Monday + 3 days = Thursday, same time of day.
        ("2025-03-10 10:00", 3, "2025-03-13 10:00"),
        # Calendar days run from the received time itself, after hours included.
        ("2025-03-10 20:00", 3, "2025-03-13 20:00"),
        # Wednesday + 3 = Saturday: moves to Monday's close of office hours.
        ("2025-03-12 10:00", 3, "2025-03-17 17:00"),
        # Mon 20 Jan 2025 + 7 = Mon 27 Jan, Tết: moves to Mon 3 Feb 17:00.
        ("2025-01-20 09:00", 7, "2025-02-03 17:00"),
        # Wed 23 Apr 2025 + 3 = Saturday 26 Apr, which was worked: stays.
        ("2025-04-23 09:00", 3, "2025-04-26 09:00"),
        # Tue 29 Apr 2025 + 3 = Fri 2 May, the swapped day off: Mon 5 May 17:00.
        ("2025-04-29 09:00", 3, "2025-05-05 17:00"),
        # Zero days on a working day: the received time; on a Saturday: Monday's close.
        ("2025-03-10 10:00", 0, "2025-03-10 10:00"),
        ("2025-03-08 10:00", 0, "2025-03-10 17:00"),
    ],
)
def test_it_counts_calendar_days(received: str, days: int, due: str) -> None:
    assert_local(CALENDAR.add_calendar_days(at(received), days), due)


# Office time elapsed (supplement pauses) --------------------------------------------------


@pytest.mark.parametrize(
    "start, end, hours",
    [
        # A whole day.
        ("2025-03-10 07:00", "2025-03-10 17:00", 8),
        # 11:00–11:30 and 13:30–14:00: lunch does not count.
        ("2025-03-10 11:00", "2025-03-10 14:00", 1),
        ("2025-03-10 12:00", "2025-03-10 13:00", 0),
        # Fri 16:00–17:00 and Mon 07:00–08:00: the weekend does not count.
        ("2025-03-14 16:00", "2025-03-17 08:00", 2),
        ("2025-03-14 18:00", "2025-03-17 06:00", 0),
        # Fri 24 Jan 16:00 to Mon 3 Feb 08:00: Tết 2025 does not count.
        ("2025-01-24 16:00", "2025-02-03 08:00", 2),
        # The three working days of DESIGN §3's example across Tết 2021.
        ("2021-02-09 16:30", "2021-02-19 16:30", 24),
        # Thu 24, Fri 25, Sat 26 (worked), Mon 28, Tue 29 Apr 2025; 30/4–2/5 off.
        ("2025-04-24 07:00", "2025-05-05 07:00", 40),
        # March 2025 from Mon 3 to Fri 28: four weeks of 5 days.
        ("2025-03-03 07:00", "2025-03-31 07:00", 160),
        # End before start, or equal: nothing elapsed.
        ("2025-03-10 17:00", "2025-03-10 07:00", 0),
        ("2025-03-10 09:00", "2025-03-10 09:00", 0),
    ],
)
def test_it_measures_office_time_between(start: str, end: str, hours: int) -> None:
    assert CALENDAR.office_time_between(at(start), at(end)) == timedelta(hours=hours)


def test_it_measures_office_time_between_utc_instants() -> None:
    # 00:00–10:00 UTC is 07:00–17:00 in Hà Nội.
    start = datetime(2025, 3, 10, 0, 0, tzinfo=UTC)
    end = datetime(2025, 3, 10, 10, 0, tzinfo=UTC)
    assert CALENDAR.office_time_between(start, end) == timedelta(hours=8)


# Overrides from the government's annual notice --------------------------------------------


def test_it_moves_the_deadline_for_an_extra_day_off() -> None:
    calendar = WorkingCalendar(extra_days_off=frozenset({date(2025, 3, 11)}))
    # Mon 13:30 + 1 day: Mon 3.5 h; Tuesday is off; Wed 07:00–11:30.
    assert_local(calendar.add_working_days(at("2025-03-10 13:30"), 1), "2025-03-12 11:30")
    assert_local(CALENDAR.add_working_days(at("2025-03-10 13:30"), 1), "2025-03-11 11:30")


def test_it_shortens_the_deadline_for_a_working_saturday() -> None:
    calendar = WorkingCalendar(extra_working_days=frozenset({date(2025, 3, 15)}))
    # Fri 14 Mar 07:00 + 2 days: Friday, then the worked Saturday instead of Monday.
    assert_local(calendar.add_working_days(at("2025-03-14 07:00"), 2), "2025-03-15 17:00")
    assert_local(CALENDAR.add_working_days(at("2025-03-14 07:00"), 2), "2025-03-17 17:00")
    # Wed 12 Mar + 3 calendar days lands on that Saturday, now a working day.
    assert_local(calendar.add_calendar_days(at("2025-03-12 10:00"), 3), "2025-03-15 10:00")


@pytest.mark.parametrize(
    "overrides, day, working",
    [
        # An admin's entry wins over the package: 2 May 2025 made a working day ...
        ({"extra_working_days": frozenset({date(2025, 5, 2)})}, "2025-05-02", True),
        # ... and the swapped Saturday 26 Apr 2025 made a day off again.
        ({"extra_days_off": frozenset({date(2025, 4, 26)})}, "2025-04-26", False),
        # Without the package only weekends and overrides count.
        ({"use_holidays_package": False}, "2021-02-10", True),
        ({"use_holidays_package": False}, "2025-04-26", False),
    ],
)
def test_it_lets_overrides_win(overrides: dict, day: str, working: bool) -> None:
    calendar = WorkingCalendar(**overrides)
    assert calendar.is_working_day(date.fromisoformat(day)) is working


def test_it_uses_the_configured_office_hours() -> None:
    # 07:30–11:30 and 13:00–16:00: a working day is 7 h.
    calendar = WorkingCalendar(office_blocks=parse_office_hours(["07:30-11:30", "13:00-16:00"]))
    assert calendar.working_day_length == timedelta(hours=7)
    assert_local(calendar.add_working_days(at("2025-03-10 07:30"), 1), "2025-03-10 16:00")
    assert_local(calendar.next_office_moment(at("2025-03-10 12:30")), "2025-03-10 13:00")
    # Calendar-day deadlines move to the configured close, 16:00.
    assert_local(calendar.add_calendar_days(at("2025-03-12 10:00"), 3), "2025-03-17 16:00")


# Invalid input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "blocks, parsed",
    [
        (["07:00-11:30", "13:30-17:00"], ((time(7), time(11, 30)), (time(13, 30), time(17)))),
        # Single-digit hours and spaces are tolerated.
        ([" 7:00 - 11:30 "], ((time(7), time(11, 30)),)),
        # Blocks may touch: one continuous day.
        (["07:00-12:00", "12:00-16:00"], ((time(7), time(12)), (time(12), time(16)))),
    ],
)
def test_it_parses_office_hours(blocks: list[str], parsed: tuple) -> None:
    assert parse_office_hours(blocks) == parsed


@pytest.mark.parametrize(
    "blocks",
    [
        [],
        "07:00-11:30",
        ["7-11"],
        ["07:00-11:30", "lunch"],
        ["25:00-26:00"],
        ["07:60-11:30"],
        # Ends before it starts, or lasts nothing.
        ["17:00-07:00"],
        ["07:00-07:00"],
        # Overlapping, or out of order.
        ["07:00-11:30", "11:00-17:00"],
        ["13:30-17:00", "07:00-11:30"],
    ],
)
def test_it_rejects_bad_office_hours(blocks: list[str]) -> None:
    with pytest.raises(ValueError):
        parse_office_hours(blocks)


def test_it_rejects_bad_office_blocks_given_directly() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(office_blocks=((time(13, 30), time(17)), (time(7), time(11, 30))))
    with pytest.raises(ValueError):
        WorkingCalendar(office_blocks=())


def test_it_rejects_a_day_both_off_and_worked() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(
            extra_days_off=frozenset({date(2025, 3, 15)}),
            extra_working_days=frozenset({date(2025, 3, 15)}),
        )


NAIVE = datetime(2025, 3, 10, 9, 0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: CALENDAR.next_office_moment(NAIVE),
        lambda: CALENDAR.add_office_time(NAIVE, timedelta(hours=1)),
        lambda: CALENDAR.add_working_days(NAIVE, 1),
        lambda: CALENDAR.add_working_hours(NAIVE, 1),
        lambda: CALENDAR.add_calendar_days(NAIVE, 1),
        lambda: CALENDAR.office_time_between(NAIVE, at("2025-03-11 09:00")),
        lambda: CALENDAR.office_time_between(at("2025-03-09 09:00"), NAIVE),
    ],
    ids=["next_office_moment", "office_time", "days", "hours", "calendar", "between", "between2"],
)
def test_it_rejects_naive_datetimes(call: object) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(
    "call",
    [
        lambda: CALENDAR.add_working_days(at("2025-03-10 09:00"), -1),
        lambda: CALENDAR.add_working_hours(at("2025-03-10 09:00"), -0.5),
        lambda: CALENDAR.add_calendar_days(at("2025-03-10 09:00"), -1),
        lambda: CALENDAR.add_office_time(at("2025-03-10 09:00"), timedelta(seconds=-1)),
    ],
    ids=["days", "hours", "calendar", "office_time"],
)
def test_it_rejects_negative_amounts(call: object) -> None:
    with pytest.raises(ValueError, match="negative"):
        call()  # type: ignore[operator]


def test_it_rejects_a_datetime_where_a_date_is_meant() -> None:
    # datetime(2021, 2, 10) never equals date(2021, 2, 10): it would silently miss Tết.
    with pytest.raises(TypeError):
        CALENDAR.is_working_day(datetime(2021, 2, 10, tzinfo=VIETNAM))


# Consistency ------------------------------------------------------------------------------

_DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def _calendars(draw: st.DrawFn) -> WorkingCalendar:
    days_off = draw(st.frozensets(_DAYS, max_size=15))
    working_days = draw(st.frozensets(_DAYS, max_size=15)) - days_off
    return WorkingCalendar(extra_days_off=days_off, extra_working_days=working_days)


# The autouse language fixture is function-scoped but irrelevant to these pure rules.
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    calendar=_calendars(),
    start=st.datetimes(
        min_value=datetime(2020, 1, 1),
        max_value=datetime(2026, 12, 31),
        timezones=st.sampled_from([VIETNAM, UTC]),
    ),
    delta=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
)
def test_it_measures_back_the_office_time_it_added(
    calendar: WorkingCalendar, start: datetime, delta: timedelta
) -> None:
    due = calendar.add_office_time(start, delta)
    assert due >= start
    assert calendar.office_time_between(start, due) == delta
    # The due moment is on a working day, within a block (its end included).
    assert calendar.is_working_day(due.date())
    assert any(begin <= due.time() <= end for begin, end in calendar.office_blocks)
