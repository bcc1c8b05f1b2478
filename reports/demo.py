"""The demo's reported quarters: every finished calendar quarter is frozen, as a province
that has filed its reports would have them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import PeriodFreeze
from .periods import PeriodKind, period_make
from .services import period_freeze

FIRST_YEAR = 2021


def demo_quarters_freeze(*, today: dt.date | None = None) -> list[str]:
    """Freeze the calendar quarters from Q1 2021 to the last one finished before ``today``
    that are not frozen yet; the keys frozen now."""
    today = today or timezone.localdate()
    frozen = set(PeriodFreeze.objects.values_list("period_key", flat=True))
    done = []
    for year in range(FIRST_YEAR, today.year + 1):
        for quarter in range(1, 5):
            period = period_make(kind=PeriodKind.QUARTER, year=year, index=quarter)
            if period.end >= today or period.key in frozen:
                continue
            period_freeze(period=period, by=None, note="Demo: quarter reported", today=today)
            done.append(period.key)
    return done
