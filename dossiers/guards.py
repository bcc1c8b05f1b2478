"""Checks every write of a dossier passes before it changes anything (DESIGN §3).

``dossiers`` never imports ``reports``, yet a write dated inside a period whose figures were
frozen (reported upward) must be refused. So the reports app registers its check here at
start-up (``ReportsConfig.ready``) and every service and import calls
:func:`dates_writable_check` with the local dates a write would touch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError

# A check raises django.core.exceptions.ValidationError naming the period it protects.
DatesCheck = Callable[[frozenset[dt.date]], None]

_date_checks: list[DatesCheck] = []


def dates_check_register(check: DatesCheck) -> None:
    if check not in _date_checks:
        _date_checks.append(check)


def dates_writable_check(dates: Iterable[dt.date | None]) -> None:
    """Refuse (ValidationError, code ``frozen_period``) a write dated in a frozen period."""
    days = frozenset(day for day in dates if day is not None)
    if not days:
        return
    for check in _date_checks:
        check(days)


def dates_refusals(dates: Iterable[dt.date | None]) -> dict[dt.date, ValidationError]:
    """Each day of ``dates`` that no write may touch, with the refusal
    :func:`dates_writable_check` raises for that day alone; ``{}`` when every day is writable.

    For checking many writes at once (an import): the days are checked together, one reading
    of the frozen periods, when none is refused — the usual case; a refused set is halved
    until each refused day is found (about two checks per refused day and halving).
    """
    refused: dict[dt.date, ValidationError] = {}

    def search(days: list[dt.date]) -> None:
        try:
            dates_writable_check(days)
        except ValidationError as error:
            if len(days) == 1:
                refused[days[0]] = error
                return
            middle = len(days) // 2
            search(days[:middle])
            search(days[middle:])

    days = sorted({day for day in dates if day is not None})
    if days and _date_checks:
        search(days)
    return refused
