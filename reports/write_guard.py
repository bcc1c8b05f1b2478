"""The frozen-period check every dossier write passes (registered in ``ReportsConfig.ready``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import PeriodFreeze
from .periods import Period, period_from_key


def frozen_periods() -> list[Period]:
    """Every frozen period, earliest first."""
    periods = []
    for key in PeriodFreeze.objects.values_list("period_key", flat=True):
        try:
            periods.append(period_from_key(key))
        except ValueError:  # a key of a scheme this version no longer knows
            continue
    return sorted(periods, key=lambda period: (period.start, period.end))


def frozen_dates_refuse(days: frozenset[dt.date]) -> None:
    """Raise when one of ``days`` lies in a frozen period, naming the period and the way out."""
    if not days:
        return
    first, last = min(days), max(days)
    for period in frozen_periods():
        if period.end < first or period.start > last:
            continue
        day = next((day for day in sorted(days) if period.start <= day <= period.end), None)
        if day is None:
            continue
        raise ValidationError(
            _(
                "The figures of %(period)s (%(start)s–%(end)s) are frozen: they were reported "
                "and can no longer change, so nothing dated %(day)s can be recorded. Record it "
                "with a date after %(end)s, or ask the administrator."
            )
            % {
                "period": period.label,
                "start": f"{period.start:%d/%m/%Y}",
                "end": f"{period.end:%d/%m/%Y}",
                "day": f"{day:%d/%m/%Y}",
            },
            code="frozen_period",
        )
