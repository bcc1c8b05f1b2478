"""Task deadlines on the working calendar (pure: the calendar is passed in).

A deadline is entered either as a date or as "N working days from the conclusion notice"
(the notice's date, or the meeting's when the notice has none). Counting starts the day after
the notice, as for any administrative deadline: a notice of Friday 5 Feb 2021 with 3 working
days gives Mon 8, Tue 9 and — Tết 10–16 Feb skipped — Wednesday 17 Feb.

A deadline typed as a date that is not a working day (a weekend, a holiday, an extra day off
decreed by the government) is refused, with the next working day suggested, rather than moved
silently: the committee's notice is a signed document, and the date in the portal must be the
date in the notice — if the notice says a Saturday, the clerk must see it and decide.
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from org.workdays import WorkingCalendar

# Longer than any sensible committee deadline (two years of working days).
WORKING_DAYS_MAX = 500


def deadline_after_working_days(
    *, start: dt.date, working_days: int, calendar: WorkingCalendar
) -> dt.date:
    """The ``working_days``-th working day after ``start`` (``start`` itself not counted)."""
    if working_days < 1:
        raise ValueError(f"working_days must be at least 1; got {working_days}.")
    day = start
    for _index in range(working_days):
        day = calendar.next_working_day(day)
    return day


def deadline_problem(
    *, deadline: dt.date, not_before: dt.date, calendar: WorkingCalendar
) -> str | None:
    """Why ``deadline`` cannot be a task's deadline, or None when it can."""
    if deadline < not_before:
        return _("The deadline %(deadline)s is before the meeting (%(meeting)s).") % {
            "deadline": date_format(deadline, "d/m/Y"),
            "meeting": date_format(not_before, "d/m/Y"),
        }
    if not calendar.is_working_day(deadline):
        return _(
            "%(deadline)s is not a working day (weekend or holiday); choose a working day, "
            "for example %(next)s."
        ) % {
            "deadline": date_format(deadline, "d/m/Y"),
            "next": date_format(calendar.next_working_day(deadline), "d/m/Y"),
        }
    return None
