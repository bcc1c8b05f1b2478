"""Query-string forms of the dashboard and its drill-down (GET only, nothing is written)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import UnitLevel

from .counters import COMBINED_COLUMNS, COUNTERS
from .dashboard import DRILLDOWN_ONLY_COUNTERS
from .periods import Period, PeriodKind, Scheme, period_from_key, periods_containing

# The years the quarterly report command accepts (reports.management.commands.quarterly_report).
YEAR_MIN, YEAR_MAX = 2000, 2100


def current_quarter(today: dt.date, scheme: str = Scheme.CALENDAR) -> tuple[int, int]:
    """The quarter that contains ``today`` under ``scheme`` (20 Dec is Q1 of the next year
    under the cut-off scheme)."""
    (quarter,) = periods_containing(today, scheme=scheme, kinds=[PeriodKind.QUARTER])
    return quarter.year, quarter.index


class DashboardForm(forms.Form):
    """Period and unit of the dashboard; blank fields take the current quarter and own unit.

    ``cleaned_data["period_asked"]``: whether the query named a year or a quarter. When it
    named neither the view may open on another quarter than today's (the latest with data:
    :func:`reports.selectors.quarter_shown_by_default`).
    """

    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(q, q) for q in range(1, 5)],
    )
    scheme = forms.ChoiceField(
        label=_("Period scheme"),
        required=False,
        choices=[
            (Scheme.CALENDAR.value, _("Calendar quarter")),
            (Scheme.CUTOFF.value, _("Data cut-off (15th–14th)")),
        ],
    )
    unit = forms.CharField(label=_("Unit"), required=False, max_length=50)

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        data["scheme"] = data.get("scheme") or Scheme.CALENDAR.value
        year, quarter = current_quarter(self.today, data["scheme"])
        data["period_asked"] = bool(data.get("year") or data.get("quarter"))
        if not data.get("year"):
            # Neither given: the current quarter; a quarter alone: that quarter of this year.
            data["year"] = year if not data.get("quarter") else self.today.year
        data["quarter"] = data.get("quarter") or quarter
        data["unit"] = (data.get("unit") or "").strip()
        return data


class DrilldownForm(forms.Form):
    """Which figure's dossiers to list: a period key, a unit code, a counter, maybe a level."""

    period = forms.CharField(label=_("Period"), max_length=40)
    unit = forms.CharField(label=_("Unit"), max_length=50)
    counter = forms.ChoiceField(
        label=_("Figure"),
        choices=[(name, name) for name in (*COUNTERS, *COMBINED_COLUMNS, *DRILLDOWN_ONLY_COUNTERS)],
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", ""), *UnitLevel.choices]
    )
    # Only the unit's own desk, not its subtree (a row of the by-unit table).
    own = forms.BooleanField(label=_("This unit only"), required=False)

    def clean_period(self) -> Period:
        try:
            return period_from_key(self.cleaned_data["period"])
        except ValueError:
            raise forms.ValidationError(
                _("Unknown period %(key)s."), params={"key": self.cleaned_data["period"]}
            ) from None
