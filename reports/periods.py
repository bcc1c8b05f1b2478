"""Reporting periods: months, quarters, halves, years and year-to-date, in two schemes.

One declarative table (``_SPANS``) says which months each period covers; the scheme says where a
month starts and ends:

- ``calendar`` (the default): a month is the calendar month, Q1 = 1 Jan–31 Mar.
- ``cutoff`` (Decree 09/2019 data cut-off for periodic reports): month m runs from the 15th of
  the previous month to the 14th of m, so Q1 = 15 Dec of the previous year–14 Mar and the year
  2021 = 15 Dec 2020–14 Dec 2021.

``start`` and ``end`` are inclusive local dates (statistics compare by local date, DESIGN §3);
``start_at`` / ``end_at`` give the same period as a half-open, timezone-aware interval
[start 00:00, end + 1 day 00:00) in settings.TIME_ZONE, for comparing stored UTC times.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _


class Scheme(StrEnum):
    CALENDAR = "calendar"
    CUTOFF = "cutoff"


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    # Since the start of the year up to the end of quarter ``index`` (3, 6, 9 or 12 months).
    YEAR_TO_DATE = "ytd"


# kind → (highest index, index → (first month, last month) of the year covered).
_SPANS: dict[str, tuple[int, Callable[[int], tuple[int, int]]]] = {
    PeriodKind.MONTH: (12, lambda i: (i, i)),
    PeriodKind.QUARTER: (4, lambda i: (3 * i - 2, 3 * i)),
    PeriodKind.HALF: (2, lambda i: (6 * i - 5, 6 * i)),
    PeriodKind.YEAR: (1, lambda i: (1, 12)),
    PeriodKind.YEAR_TO_DATE: (4, lambda i: (1, 3 * i)),
}

# The 15th–14th data cut-off of Decree 09/2019 (Art. 12).
_CUTOFF_DAY = 15


def _month_first_day(scheme: str, year: int, month: int) -> dt.date:
    if scheme == Scheme.CALENDAR:
        return dt.date(year, month, 1)
    if month == 1:
        return dt.date(year - 1, 12, _CUTOFF_DAY)
    return dt.date(year, month - 1, _CUTOFF_DAY)


def _month_last_day(scheme: str, year: int, month: int) -> dt.date:
    if scheme == Scheme.CALENDAR:
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, month, _CUTOFF_DAY - 1)


def _zone():
    return timezone.get_default_timezone()


@dataclass(frozen=True)
class Period:
    """One reporting period; ``start`` and ``end`` are inclusive local dates."""

    scheme: str
    kind: str
    year: int
    index: int
    start: dt.date
    end: dt.date

    @property
    def start_at(self) -> dt.datetime:
        """00:00 local time on ``start`` (included)."""
        return dt.datetime.combine(self.start, dt.time(0), tzinfo=_zone())

    @property
    def end_at(self) -> dt.datetime:
        """00:00 local time on the day after ``end`` (excluded)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(0), tzinfo=_zone())

    @property
    def key(self) -> str:
        """Stable text key, e.g. ``calendar:quarter:2021:1`` (stored by the rollups)."""
        return f"{self.scheme}:{self.kind}:{self.year}:{self.index}"

    @property
    def label(self) -> str:
        """Human label in the active language, e.g. "Quý 1/2021"."""
        values = {"index": self.index, "year": self.year}
        if self.kind == PeriodKind.MONTH:
            return _("Month %(index)s/%(year)s") % values
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(index)s/%(year)s") % values
        if self.kind == PeriodKind.HALF:
            if self.index == 1:
                return _("First half of %(year)s") % values
            return _("Second half of %(year)s") % values
        if self.kind == PeriodKind.YEAR:
            return _("Year %(year)s") % values
        return _("%(months)s months of %(year)s") % {"months": 3 * self.index, "year": self.year}

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def as_of(self, today: dt.date) -> Period:
        """The same period counted up to ``today`` when it is not over yet."""
        if today < self.start:
            raise ValueError(
                f"Period {self.key} starts on {self.start.isoformat()}, after {today.isoformat()}."
            )
        return dataclasses.replace(self, end=min(self.end, today))


def period_make(*, kind: str, year: int, index: int = 1, scheme: str = "calendar") -> Period:
    """The period ``index`` of ``kind`` in ``year`` under ``scheme``; ValueError on bad input."""
    if scheme not in Scheme._value2member_map_:
        raise ValueError(f"Unknown period scheme {scheme!r}; expected one of: {', '.join(Scheme)}.")
    if kind not in PeriodKind._value2member_map_:
        raise ValueError(f"Unknown period kind {kind!r}; expected one of: {', '.join(PeriodKind)}.")
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9998:
        raise ValueError(f"Year must be an integer between 1900 and 9998, not {year!r}.")
    highest, months = _SPANS[kind]
    if isinstance(index, bool) or not isinstance(index, int) or not 1 <= index <= highest:
        raise ValueError(f"A {kind} index must be an integer from 1 to {highest}, not {index!r}.")
    first_month, last_month = months(index)
    return Period(
        scheme=str(Scheme(scheme)),
        kind=str(PeriodKind(kind)),
        year=year,
        index=index,
        start=_month_first_day(scheme, year, first_month),
        end=_month_last_day(scheme, year, last_month),
    )


def period_from_key(key: str) -> Period:
    """The full period of a :attr:`Period.key` (``scheme:kind:year:index``)."""
    parts = key.split(":") if isinstance(key, str) else []
    if len(parts) != 4:
        raise ValueError(f"A period key reads scheme:kind:year:index, not {key!r}.")
    scheme, kind, year, index = parts
    try:
        year_number, index_number = int(year), int(index)
    except ValueError:
        raise ValueError(f"The year and index of period key {key!r} must be numbers.") from None
    return period_make(kind=kind, year=year_number, index=index_number, scheme=scheme)


def _periods_of_years(years: Iterable[int], *, scheme: str, kinds: Iterable[str]) -> list[Period]:
    return [
        period_make(kind=kind, year=year, index=index, scheme=scheme)
        for kind in kinds
        for year in years
        for index in range(1, _SPANS[kind][0] + 1)
    ]


def periods_containing(
    day: dt.date, *, scheme: str, kinds: Iterable[str] = tuple(PeriodKind)
) -> list[Period]:
    """Every period of ``kinds`` that contains ``day``, by kind then start."""
    kinds = tuple(kinds)
    # A cut-off year starts on 15 Dec of the year before: look at the next year too.
    candidates = _periods_of_years((day.year, day.year + 1), scheme=scheme, kinds=kinds)
    return [period for period in candidates if period.contains(day)]


def periods_overlapping(
    first: dt.date, last: dt.date, *, scheme: str, kinds: Iterable[str] = tuple(PeriodKind)
) -> list[Period]:
    """Every period of ``kinds`` that shares at least one day with [first, last]."""
    if last < first:
        raise ValueError(f"{first.isoformat()} is after {last.isoformat()}.")
    kinds = tuple(kinds)
    candidates = _periods_of_years(range(first.year, last.year + 2), scheme=scheme, kinds=kinds)
    return [period for period in candidates if period.start <= last and period.end >= first]
