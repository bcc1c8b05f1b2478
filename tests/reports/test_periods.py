"""Period schemes (DESIGN §3): calendar periods and the Decree 09/2019 15th–14th cut-off."""

import datetime as dt
import itertools

import pytest
from django.utils import translation

from reports.periods import (
    Period,
    PeriodKind,
    Scheme,
    period_from_key,
    period_make,
    periods_containing,
    periods_overlapping,
)

D = dt.date.fromisoformat

CALENDAR = [
    # kind, year, index, start, end
    ("month", 2021, 1, "2021-01-01", "2021-01-31"),
    ("month", 2021, 2, "2021-02-01", "2021-02-28"),
    ("month", 2024, 2, "2024-02-01", "2024-02-29"),  # leap year
    ("month", 2000, 2, "2000-02-01", "2000-02-29"),  # divisible by 400: leap
    ("month", 2100, 2, "2100-02-01", "2100-02-28"),  # divisible by 100: not leap
    ("month", 2021, 3, "2021-03-01", "2021-03-31"),
    ("month", 2021, 4, "2021-04-01", "2021-04-30"),
    ("month", 2021, 5, "2021-05-01", "2021-05-31"),
    ("month", 2021, 6, "2021-06-01", "2021-06-30"),
    ("month", 2021, 7, "2021-07-01", "2021-07-31"),
    ("month", 2021, 8, "2021-08-01", "2021-08-31"),
    ("month", 2021, 9, "2021-09-01", "2021-09-30"),
    ("month", 2021, 10, "2021-10-01", "2021-10-31"),
    ("month", 2021, 11, "2021-11-01", "2021-11-30"),
    ("month", 2021, 12, "2021-12-01", "2021-12-31"),
    ("quarter", 2021, 1, "2021-01-01", "2021-03-31"),
    ("quarter", 2021, 2, "2021-04-01", "2021-06-30"),
    ("quarter", 2021, 3, "2021-07-01", "2021-09-30"),
    ("quarter", 2021, 4, "2021-10-01", "2021-12-31"),
    ("half", 2021, 1, "2021-01-01", "2021-06-30"),
    ("half", 2021, 2, "2021-07-01", "2021-12-31"),
    ("year", 2021, 1, "2021-01-01", "2021-12-31"),
    ("year", 2024, 1, "2024-01-01", "2024-12-31"),
    ("ytd", 2021, 1, "2021-01-01", "2021-03-31"),
    ("ytd", 2021, 2, "2021-01-01", "2021-06-30"),
    ("ytd", 2021, 3, "2021-01-01", "2021-09-30"),
    ("ytd", 2021, 4, "2021-01-01", "2021-12-31"),
]

CUTOFF = [
    ("month", 2021, 1, "2020-12-15", "2021-01-14"),  # January starts in the previous year
    ("month", 2021, 2, "2021-01-15", "2021-02-14"),
    ("month", 2021, 3, "2021-02-15", "2021-03-14"),
    ("month", 2024, 3, "2024-02-15", "2024-03-14"),  # 29 Feb inside, bounds unchanged
    ("month", 2021, 4, "2021-03-15", "2021-04-14"),
    ("month", 2021, 5, "2021-04-15", "2021-05-14"),
    ("month", 2021, 6, "2021-05-15", "2021-06-14"),
    ("month", 2021, 7, "2021-06-15", "2021-07-14"),
    ("month", 2021, 8, "2021-07-15", "2021-08-14"),
    ("month", 2021, 9, "2021-08-15", "2021-09-14"),
    ("month", 2021, 10, "2021-09-15", "2021-10-14"),
    ("month", 2021, 11, "2021-10-15", "2021-11-14"),
    ("month", 2021, 12, "2021-11-15", "2021-12-14"),
    ("quarter", 2021, 1, "2020-12-15", "2021-03-14"),
    ("quarter", 2021, 2, "2021-03-15", "2021-06-14"),
    ("quarter", 2021, 3, "2021-06-15", "2021-09-14"),
    ("quarter", 2021, 4, "2021-09-15", "2021-12-14"),
    ("quarter", 2025, 1, "2024-12-15", "2025-03-14"),
    ("half", 2021, 1, "2020-12-15", "2021-06-14"),
    ("half", 2021, 2, "2021-06-15", "2021-12-14"),
    ("year", 2021, 1, "2020-12-15", "2021-12-14"),
    ("year", 2024, 1, "2023-12-15", "2024-12-14"),
    ("ytd", 2021, 1, "2020-12-15", "2021-03-14"),
    ("ytd", 2021, 2, "2020-12-15", "2021-06-14"),
    ("ytd", 2021, 3, "2020-12-15", "2021-09-14"),
    ("ytd", 2021, 4, "2020-12-15", "2021-12-14"),
]


@pytest.mark.parametrize("kind, year, index, start, end", CALENDAR)
def test_it_bounds_calendar_periods(kind, year, index, start, end):
    period = period_make(kind=kind, year=year, index=index)
    assert (period.scheme, period.start, period.end) == ("calendar", D(start), D(end))


@pytest.mark.parametrize("kind, year, index, start, end", CUTOFF)
def test_it_bounds_cutoff_periods(kind, year, index, start, end):
    period = period_make(kind=kind, year=year, index=index, scheme="cutoff")
    assert (period.scheme, period.start, period.end) == ("cutoff", D(start), D(end))


@pytest.mark.parametrize("scheme", ["calendar", "cutoff"])
@pytest.mark.parametrize("year", [2020, 2021, 2024, 2025])
def test_it_tiles_each_year_with_months_without_gap_or_overlap(scheme, year):
    months = [period_make(kind="month", year=year, index=m, scheme=scheme) for m in range(1, 13)]
    whole_year = period_make(kind="year", year=year, scheme=scheme)
    assert months[0].start == whole_year.start
    assert months[-1].end == whole_year.end
    for before, after in itertools.pairwise(months):
        assert after.start == before.end + dt.timedelta(days=1)
    following = period_make(kind="year", year=year + 1, scheme=scheme)
    assert following.start == whole_year.end + dt.timedelta(days=1)


def test_it_gives_half_open_local_times_at_plus_seven():
    period = period_make(kind="quarter", year=2021, index=1)
    assert period.start_at.isoformat() == "2021-01-01T00:00:00+07:00"
    assert period.end_at.isoformat() == "2021-04-01T00:00:00+07:00"
    assert period.end_at.astimezone(dt.UTC).isoformat() == "2021-03-31T17:00:00+00:00"


def test_it_gives_cutoff_local_times_across_the_year_boundary():
    period = period_make(kind="month", year=2021, index=1, scheme="cutoff")
    assert period.start_at.isoformat() == "2020-12-15T00:00:00+07:00"
    assert period.start_at.astimezone(dt.UTC).isoformat() == "2020-12-14T17:00:00+00:00"
    assert period.end_at.isoformat() == "2021-01-15T00:00:00+07:00"


def test_it_gives_a_leap_day_its_own_end_time():
    period = period_make(kind="month", year=2024, index=2)
    assert period.end_at.isoformat() == "2024-03-01T00:00:00+07:00"


@pytest.mark.parametrize(
    "kind, year, index, scheme, key",
    [
        ("quarter", 2021, 1, "calendar", "calendar:quarter:2021:1"),
        ("month", 2024, 12, "cutoff", "cutoff:month:2024:12"),
        ("half", 2021, 2, "calendar", "calendar:half:2021:2"),
        ("year", 2021, 1, "cutoff", "cutoff:year:2021:1"),
        ("ytd", 2022, 3, "calendar", "calendar:ytd:2022:3"),
    ],
)
def test_it_round_trips_keys(kind, year, index, scheme, key):
    period = period_make(kind=kind, year=year, index=index, scheme=scheme)
    assert period.key == key
    assert period_from_key(key) == period


@pytest.mark.parametrize(
    "kind, index, label",
    [
        ("month", 3, "Month 3/2021"),
        ("quarter", 1, "Quarter 1/2021"),
        ("half", 1, "First half of 2021"),
        ("half", 2, "Second half of 2021"),
        ("year", 1, "Year 2021"),
        ("ytd", 3, "9 months of 2021"),
    ],
)
def test_it_labels_periods(kind, index, label):
    with translation.override("en"):
        assert period_make(kind=kind, year=2021, index=index).label == label


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"kind": "week", "year": 2021}, "Unknown period kind 'week'"),
        ({"kind": "quarter", "year": 2021, "scheme": "fiscal"}, "Unknown period scheme"),
        ({"kind": "quarter", "year": 2021, "index": 5}, "from 1 to 4, not 5"),
        ({"kind": "quarter", "year": 2021, "index": 0}, "from 1 to 4, not 0"),
        ({"kind": "month", "year": 2021, "index": 13}, "from 1 to 12, not 13"),
        ({"kind": "half", "year": 2021, "index": 3}, "from 1 to 2, not 3"),
        ({"kind": "year", "year": 2021, "index": 2}, "from 1 to 1, not 2"),
        ({"kind": "ytd", "year": 2021, "index": 5}, "from 1 to 4, not 5"),
        ({"kind": "quarter", "year": "2021"}, "Year must be an integer"),
        ({"kind": "quarter", "year": 2021, "index": "1"}, "must be an integer"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(arguments, message):
    with pytest.raises(ValueError, match=message):
        period_make(**arguments)


@pytest.mark.parametrize(
    "key",
    ["", "calendar:quarter:2021", "calendar:quarter:2021:x", "calendar:quarter:2021:5", "a:b:c:d"],
)
def test_it_refuses_bad_keys(key):
    with pytest.raises(ValueError):
        period_from_key(key)


def test_it_counts_an_unfinished_period_up_to_today():
    period = period_make(kind="quarter", year=2021, index=2)
    current = period.as_of(D("2021-05-10"))
    assert (current.start, current.end) == (D("2021-04-01"), D("2021-05-10"))
    assert current.key == "calendar:quarter:2021:2"
    assert current.end_at.isoformat() == "2021-05-11T00:00:00+07:00"


def test_it_keeps_a_finished_period_whole_as_of_a_later_day():
    period = period_make(kind="quarter", year=2021, index=1)
    assert period.as_of(D("2021-06-01")) == period
    assert period.as_of(D("2021-03-31")) == period


def test_it_counts_a_period_as_of_its_first_day():
    period = period_make(kind="month", year=2021, index=1, scheme="cutoff")
    assert period.as_of(D("2020-12-15")).end == D("2020-12-15")


def test_it_refuses_a_period_as_of_before_it_starts():
    period = period_make(kind="quarter", year=2021, index=2)
    with pytest.raises(ValueError, match="starts on 2021-04-01"):
        period.as_of(D("2021-03-31"))


def _keys(periods: list[Period]) -> list[str]:
    return [period.key for period in periods]


def test_it_finds_the_calendar_periods_containing_a_day():
    assert _keys(periods_containing(D("2021-03-31"), scheme="calendar")) == [
        "calendar:month:2021:3",
        "calendar:quarter:2021:1",
        "calendar:half:2021:1",
        "calendar:year:2021:1",
        "calendar:ytd:2021:1",
        "calendar:ytd:2021:2",
        "calendar:ytd:2021:3",
        "calendar:ytd:2021:4",
    ]


def test_it_finds_the_cutoff_periods_of_next_year_for_a_late_december_day():
    assert _keys(periods_containing(D("2021-12-20"), scheme="cutoff")) == [
        "cutoff:month:2022:1",
        "cutoff:quarter:2022:1",
        "cutoff:half:2022:1",
        "cutoff:year:2022:1",
        "cutoff:ytd:2022:1",
        "cutoff:ytd:2022:2",
        "cutoff:ytd:2022:3",
        "cutoff:ytd:2022:4",
    ]


def test_it_finds_a_cutoff_quarter_of_a_mid_march_day():
    # Received on 16 March 2021: second quarter in the cut-off scheme.
    found = periods_containing(D("2021-03-16"), scheme="cutoff", kinds=["quarter", "month"])
    assert _keys(found) == ["cutoff:quarter:2021:2", "cutoff:month:2021:4"]


def test_it_finds_the_cutoff_month_on_its_last_day():
    found = periods_containing(D("2021-03-14"), scheme="cutoff", kinds=[PeriodKind.MONTH])
    assert _keys(found) == ["cutoff:month:2021:3"]


def test_it_finds_the_periods_overlapping_a_range():
    found = periods_overlapping(
        D("2021-03-31"), D("2021-04-01"), scheme="calendar", kinds=["month", "quarter", "half"]
    )
    assert _keys(found) == [
        "calendar:month:2021:3",
        "calendar:month:2021:4",
        "calendar:quarter:2021:1",
        "calendar:quarter:2021:2",
        "calendar:half:2021:1",
    ]


def test_it_finds_overlapping_cutoff_periods_across_years():
    found = periods_overlapping(
        D("2021-12-14"), D("2021-12-15"), scheme=Scheme.CUTOFF, kinds=["year", "quarter"]
    )
    assert _keys(found) == [
        "cutoff:year:2021:1",
        "cutoff:year:2022:1",
        "cutoff:quarter:2021:4",
        "cutoff:quarter:2022:1",
    ]


def test_it_finds_every_month_of_a_long_range():
    found = periods_overlapping(
        D("2020-01-01"), D("2021-12-31"), scheme="calendar", kinds=["month"]
    )
    assert len(found) == 24
    assert found[0].key == "calendar:month:2020:1"
    assert found[-1].key == "calendar:month:2021:12"


def test_it_refuses_a_reversed_range():
    with pytest.raises(ValueError):
        periods_overlapping(D("2021-02-01"), D("2021-01-01"), scheme="calendar")
