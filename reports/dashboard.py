"""The steering committee's dashboard, built from the quarterly report (read side, no ORM).

Pure functions that turn the rollup sums of :func:`reports.quarterly.quarterly_report` into what
the page shows: headline cards with their change against the previous quarter, the rows of the
06a table (Biểu II.06a) by level and by unit, the ranking of units and the procedure counts.
Every figure carries the URL of the dossiers behind it (the drill-down), built here so the
template only prints.

It also holds :data:`DASHBOARD_PANELS`, the hook through which apps that depend on ``reports``
(the committee's tasks, for one) add a panel to the page without ``reports`` importing them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from html import escape as _escape
from typing import NamedTuple
from urllib.parse import quote_plus, urlencode

from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.models import UnitLevel, levels_in_order, tiers_in_order
from procedures.models import GovernmentLevel, OnlineLevel

from .counters import counter_value, with_rates
from .narrative import format_number, format_percent

logger = logging.getLogger(__name__)

# The columns of Biểu II.06a, grouped as its header is: (group label, [(counter, label)]).
TABLE_06A_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("received", ("received_total", "received_online", "received_offline", "carried_over")),
    ("resolved", ("resolved", "resolved_early", "resolved_on_time", "resolved_late")),
    ("in_progress", ("in_progress", "in_progress_within", "in_progress_overdue")),
)

# Figures that only the drill-down lists (no rollup counter): counted in ``received_total`` but
# not recorded in the electronic one-stop system (the dossiers still to enter there).
DRILLDOWN_ONLY_COUNTERS = ("not_digitised",)

# The headline cards: (key, counter or rate, is a rate, counter to drill into for a rate).
CARD_SPECS: tuple[tuple[str, bool, str | None], ...] = (
    ("received_total", False, None),
    ("resolved", False, None),
    ("on_time_rate", True, "resolved"),
    ("in_progress", False, None),
    ("in_progress_overdue", False, None),
    ("digitisation_ratio", True, "digitised"),
)

# How many units the ranking shows at each end when there are more than twice as many.
RANKING_ENDS = 5


class FigureLabel(NamedTuple):
    """What a figure is called where the pages name it: the drill-down's title, its column
    under its group of the 06a table, its headline card ("": not shown there)."""

    title: str
    column: str = ""
    card: str = ""


# Every figure the pages name, in one table (translated when shown).
FIGURE_LABELS: dict[str, FigureLabel] = {
    "received_online": FigureLabel(gettext_lazy("Received online"), gettext_lazy("Online")),
    "received_direct": FigureLabel(gettext_lazy("Received at the desk")),
    "received_postal": FigureLabel(gettext_lazy("Received by post")),
    "received_in_period": FigureLabel(gettext_lazy("Received in the period")),
    "carried_over": FigureLabel(
        gettext_lazy("Carried over from the previous period"), gettext_lazy("Carried over")
    ),
    "received_total": FigureLabel(
        gettext_lazy("Received (total)"), gettext_lazy("Total"), gettext_lazy("Received")
    ),
    "resolved": FigureLabel(
        gettext_lazy("Resolved"), gettext_lazy("Total"), gettext_lazy("Resolved")
    ),
    "resolved_early": FigureLabel(gettext_lazy("Resolved early"), gettext_lazy("Early")),
    "resolved_on_time": FigureLabel(gettext_lazy("Resolved on time"), gettext_lazy("On time")),
    "resolved_late": FigureLabel(gettext_lazy("Resolved late"), gettext_lazy("Late")),
    "in_progress": FigureLabel(
        gettext_lazy("In progress"), gettext_lazy("Total"), gettext_lazy("In progress")
    ),
    "in_progress_within": FigureLabel(
        gettext_lazy("In progress within the deadline"), gettext_lazy("Within the deadline")
    ),
    "in_progress_overdue": FigureLabel(
        gettext_lazy("In progress, overdue"), gettext_lazy("Overdue"), gettext_lazy("Overdue now")
    ),
    "paused": FigureLabel(gettext_lazy("Waiting for a supplement")),
    "withdrawn": FigureLabel(gettext_lazy("Withdrawn or stopped")),
    "refused": FigureLabel(gettext_lazy("Refused at intake")),
    "digitised": FigureLabel(gettext_lazy("Recorded in the electronic one-stop system")),
    "received_offline": FigureLabel(
        gettext_lazy("Received at the desk or by post"), gettext_lazy("Direct and postal")
    ),
    "resolved_in_time": FigureLabel(gettext_lazy("Resolved early or on time")),
    "not_digitised": FigureLabel(
        gettext_lazy("Not yet recorded in the electronic one-stop system")
    ),
    "on_time_rate": FigureLabel("", card=gettext_lazy("On-time rate")),
    "digitisation_ratio": FigureLabel("", card=gettext_lazy("Digitisation ratio")),
}

# The groups of the 06a table's header.
TABLE_06A_GROUP_LABELS = {
    "received": gettext_lazy("Received"),
    "resolved": gettext_lazy("Resolved"),
    "in_progress": gettext_lazy("In progress"),
}


def table_06a_columns() -> list[dict]:
    """The header of the 06a table: groups with their labels and sub-columns."""
    return [
        {
            "name": group,
            "label": str(TABLE_06A_GROUP_LABELS[group]),
            "columns": [{"name": name, "label": str(FIGURE_LABELS[name].column)} for name in names],
        }
        for group, names in TABLE_06A_GROUPS
    ]


@dataclass(frozen=True)
class Figure:
    """One number on the page: its value, its Vietnamese text and the dossiers behind it."""

    value: int | float | None
    text: str
    url: str | None = None

    def __html__(self) -> str:
        """The figure as the page shows it: a link to its dossiers when it has them. A
        province page shows thousands, so the markup is written here, escaped with the
        standard library's ``escape`` (what Django's wraps, same output), rather than by an
        include or ``format_html`` (bench/README.md)."""
        if self.url:
            return SafeString(
                f'<a class="dash-figure" href="{_escape(self.url)}">{_escape(self.text)}</a>'
            )
        return SafeString(_escape(self.text))

    def __str__(self) -> str:
        return self.__html__()


@dataclass(frozen=True)
class Card:
    name: str
    label: str
    figure: Figure
    change: str | None  # "+193", "−2", "0"; percentage points for a rate; None: not comparable
    trend: str  # "up", "down" or "flat" (a rise of "overdue" is bad: the template colours it)
    # Under a rate: its numerator and denominator ("307/3.329"), each a figure with its link.
    detail: tuple[Figure, Figure] | None = None


# The same few period keys, unit codes and counter names, quoted thousands of times a page.
_quoted = lru_cache(maxsize=4096)(quote_plus)


@lru_cache(maxsize=8)
def _drilldown_path(script_prefix: str) -> str:
    return reverse("reports:drilldown")


def drilldown_url(
    *, period_key: str, unit_code: str, counter: str, level: str = "", own: bool = False
) -> str:
    """The drill-down of one figure: the dossiers received by ``unit_code``'s subtree (only by
    the unit itself with ``own``; only by units of ``level`` with ``level``).

    A province page carries thousands of these links, so the path is reversed once (per
    script prefix) and the query is assembled by hand (bench/README.md)."""
    url = (
        f"{_drilldown_path(get_script_prefix())}?period={_quoted(period_key)}"
        f"&unit={_quoted(unit_code)}&counter={_quoted(counter)}"
    )
    if level:
        url += f"&level={_quoted(level)}"
    if own:
        url += "&own=1"
    return url


def count_figure(value: int, url: str | None) -> Figure:
    return Figure(value=value, text=format_number(value), url=url)


def rate_figure(rate: float | None, url: str | None = None) -> Figure:
    return Figure(value=rate, text=format_percent(rate) or "–", url=url)


def format_change(change: int) -> str:
    if change > 0:
        return f"+{format_number(change)}"
    if change < 0:
        return f"−{format_number(-change)}"
    return "0"


def format_points(change: float) -> str:
    """A change of rate in percentage points: ``0.015`` → ``"+1,5"``, ``-0.1`` → ``"−10"``."""
    text = (format_percent(abs(change)) or "0%").rstrip("%")
    if Decimal(str(change)).quantize(Decimal("0.0001")) == 0:
        return "0"
    return f"+{text}" if change > 0 else f"−{text}"


def _trend(change: float | None) -> str:
    if not change:
        return "flat"
    return "up" if change > 0 else "down"


def previous_has_data(previous: dict) -> bool:
    """Whether the previous period counted any dossier (received in it or carried into it):
    a change against a period without data says nothing ("+3.329" against an empty quarter)."""
    return bool(previous.get("received_total"))


def dashboard_cards(*, current: dict, previous: dict, period_key: str, unit_code: str) -> list:
    """The headline cards: ``current`` and ``previous`` are counters with rates (the totals).

    Each card's change against ``previous`` is None (the page prints "—") when the previous
    period has no data (:func:`previous_has_data`), and for a rate without a denominator."""
    comparable = previous_has_data(previous)
    cards = []
    for name, is_rate, base in CARD_SPECS:
        if not is_rate:
            value = current[name]
            change = value - previous[name] if comparable else None
            url = drilldown_url(period_key=period_key, unit_code=unit_code, counter=name)
            cards.append(
                Card(
                    name=name,
                    label=str(FIGURE_LABELS[name].card),
                    figure=count_figure(value, url),
                    change=None if change is None else format_change(change),
                    trend=_trend(change),
                )
            )
            continue
        rate, before = current[name], previous[name]
        change = None if rate is None or before is None or not comparable else rate - before
        numerator_name = "resolved_in_time" if name == "on_time_rate" else "digitised"
        denominator_name = base if name == "on_time_rate" else "received_total"

        def url(counter: str) -> str:
            return drilldown_url(period_key=period_key, unit_code=unit_code, counter=counter)

        cards.append(
            Card(
                name=name,
                label=str(FIGURE_LABELS[name].card),
                figure=rate_figure(rate, url(base)),
                change=None if change is None else format_points(change),
                trend=_trend(change),
                detail=(
                    count_figure(counter_value(current, numerator_name), url(numerator_name)),
                    count_figure(current[denominator_name], url(denominator_name)),
                ),
            )
        )
    return cards


def table_06a_row(
    counters: dict,
    *,
    label: str,
    period_key: str,
    unit_code: str,
    level: str = "",
    own: bool = False,
    **extra,
) -> dict:
    """One row of the 06a table: a figure per column, each linking to its dossiers (a rate to
    the dossiers of its denominator)."""

    def url(counter: str) -> str:
        return drilldown_url(
            period_key=period_key, unit_code=unit_code, counter=counter, level=level, own=own
        )

    cells = [
        count_figure(counter_value(counters, name), url(name))
        for _group, names in TABLE_06A_GROUPS
        for name in names
    ]
    return {
        "label": label,
        "cells": cells,
        "on_time_rate": rate_figure(counters.get("on_time_rate"), url("resolved")),
        "progress_rate": rate_figure(counters.get("progress_rate"), url("received_total")),
        **extra,
    }


def table_06a_by_level(report: dict, *, period_key: str) -> list[dict]:
    """Rows by level of the receiving unit, in the order of the period's regime, then the total."""
    unit_code = report["unit"]["code"]
    by_level = report["dossiers"]["by_level"]
    start = dt.date.fromisoformat(report["period"]["start"])
    levels = [level for level in levels_in_order(start) if level in by_level]
    levels += sorted(set(by_level) - set(levels))
    rows = [
        table_06a_row(
            by_level[level],
            label=str(UnitLevel(level).label) if level in UnitLevel.values else level,
            period_key=period_key,
            unit_code=unit_code,
            level=level,
        )
        for level in levels
    ]
    rows.append(
        table_06a_row(
            report["dossiers"]["total"],
            label=_("Total"),
            period_key=period_key,
            unit_code=unit_code,
            is_total=True,
        )
    )
    return rows


def table_06a_by_unit(report: dict, *, period_key: str) -> list[dict]:
    """Rows by receiving unit in tree order (the report lists them by path), then the total."""
    rows = [
        table_06a_row(
            row,
            label=row["name"],
            period_key=period_key,
            unit_code=row["code"],
            own=True,
            code=row["code"],
        )
        for row in report["dossiers"]["by_unit"]
    ]
    rows.append(
        table_06a_row(
            report["dossiers"]["total"],
            label=_("Total"),
            period_key=period_key,
            unit_code=report["unit"]["code"],
            is_total=True,
        )
    )
    return rows


def _rank_key(row: dict) -> tuple[float, float]:
    # No resolved dossier yet (rate None) ranks below every rate: nothing finished is a warning.
    on_time = -1.0 if row["on_time_rate"] is None else row["on_time_rate"]
    progress = -1.0 if row["progress_rate"] is None else row["progress_rate"]
    return (on_time, progress)


def competition_ranks(keys: list[tuple]) -> list[int]:
    """The rank of each key, 1 for the highest; equal keys share a rank and the next one skips
    ("standard competition ranking": 1, 1, 3)."""
    first_position: dict[tuple, int] = {}
    for position, key in enumerate(sorted(keys, reverse=True), start=1):
        first_position.setdefault(key, position)
    return [first_position[key] for key in keys]


# Units are ranked against the units of their own tier only: a commune's desk against the other
# communes, the provincial centre against the departments (all provincial agencies). Tier →
# the unit levels in it; the tiers are listed in the order of the period's regime.
RANKING_TIERS: dict[str, tuple[str, ...]] = {
    "province": ("province", "centre", "department"),
    "district": ("district",),
    "commune": ("commune",),
}
RANKING_TIER_OF_LEVEL = {level: tier for tier, levels in RANKING_TIERS.items() for level in levels}


def _tier_label(tier: str) -> str:
    return {
        "province": _("Province level: departments and the service centre"),
        "district": _("District level"),
        "commune": _("Commune level"),
    }.get(tier, tier)


def unit_ranking(report: dict, *, period_key: str) -> dict:
    """Units that received dossiers, ranked against the units of their tier
    (:data:`RANKING_TIERS`) by on-time rate, then progress rate.

    ``groups``: one per tier that has units, in the order of the period's regime, each listed
    weakest first with its competition rank (1 = the best of the tier; equal rates share a
    rank: 1, 1, 3). ``weakest``: the rows whose rates are the lowest of their tier and below
    its best unit's (all equal: none is singled out). With more than ``2 × RANKING_ENDS`` units
    in a tier only both ends are listed (``bottom``, then ``top``), still weakest first.
    """
    start = report.get("period", {}).get("start")
    # A report without a period lists the tiers in the order of the regime before the reform.
    order = tiers_in_order(dt.date.fromisoformat(start) if start else dt.date.min)
    by_tier: dict[str, list[dict]] = {}
    for row in report["dossiers"]["by_unit"]:
        if row["received_total"] > 0:
            tier = RANKING_TIER_OF_LEVEL.get(row.get("level", ""), row.get("level", ""))
            by_tier.setdefault(tier, []).append(row)
    tiers = [tier for tier in order if tier in by_tier]
    tiers += sorted(set(by_tier) - set(tiers))

    groups = []
    for tier in tiers:
        ranked = sorted(by_tier[tier], key=lambda row: (_rank_key(row), row["code"]))
        keys = [_rank_key(row) for row in ranked]
        ranks = competition_ranks(keys)
        best, lowest = keys[-1], keys[0]
        rows = [
            _ranking_row(
                row, rank=rank, weakest=key == lowest and key != best, period_key=period_key
            )
            for row, key, rank in zip(ranked, keys, ranks, strict=True)
        ]
        long = len(rows) > 2 * RANKING_ENDS
        groups.append(
            {
                "tier": tier,
                "label": _tier_label(tier),
                "count": len(rows),
                "bottom": rows[:RANKING_ENDS] if long else rows,
                "top": rows[-RANKING_ENDS:] if long else [],
            }
        )
    return {"groups": groups, "count": sum(group["count"] for group in groups)}


def _ranking_row(row: dict, *, rank: int, weakest: bool, period_key: str) -> dict:
    """One unit of the ranking, each figure linking to the unit's own dossiers behind it."""

    def url(counter: str) -> str:
        return drilldown_url(
            period_key=period_key, unit_code=row["code"], counter=counter, own=True
        )

    return {
        "rank": rank,
        "code": row["code"],
        "name": row["name"],
        "received_total": count_figure(row["received_total"], url("received_total")),
        "resolved_late": count_figure(row["resolved_late"], url("resolved_late")),
        "in_progress_overdue": count_figure(row["in_progress_overdue"], url("in_progress_overdue")),
        "on_time_rate": rate_figure(row["on_time_rate"], url("resolved")),
        "progress_rate": rate_figure(row["progress_rate"], url("received_total")),
        "weakest": weakest,
    }


def digitisation_rows(report: dict, *, period_key: str) -> list[dict]:
    """Per receiving unit that received dossiers, then the total: dossiers recorded in the
    electronic one-stop system over those received (the seed's "307/3.329"), the ratio, and
    the dossiers not yet recorded, each figure linking to its dossiers."""

    def row(counters: dict, *, label: str, unit_code: str, own: bool, **extra) -> dict:
        def url(counter: str) -> str:
            return drilldown_url(
                period_key=period_key, unit_code=unit_code, counter=counter, own=own
            )

        received, digitised = counters["received_total"], counters["digitised"]
        return {
            "label": label,
            "digitised": count_figure(digitised, url("digitised")),
            "received_total": count_figure(received, url("received_total")),
            "ratio": rate_figure(counters.get("digitisation_ratio"), url("digitised")),
            "not_digitised": count_figure(received - digitised, url("not_digitised")),
            **extra,
        }

    rows = [
        row(
            counters,
            label=counters["name"],
            unit_code=counters["code"],
            own=True,
            code=counters["code"],
        )
        for counters in report["dossiers"]["by_unit"]
        if counters["received_total"] > 0
    ]
    rows.append(
        row(
            report["dossiers"]["total"],
            label=_("Total"),
            unit_code=report["unit"]["code"],
            own=False,
            is_total=True,
        )
    )
    return rows


def procedure_rows(procedures: dict) -> dict:
    """The catalogue counts with their labels, linking to the catalogue filtered the same way."""
    catalogue = reverse("procedures:catalogue")
    by_level = [
        {
            "label": str(GovernmentLevel(level).label),
            "figure": count_figure(count, f"{catalogue}?{urlencode({'level': level})}"),
        }
        for level, count in procedures.get("by_level", {}).items()
        if level in GovernmentLevel.values
    ]
    by_online_level = [
        {
            "label": str(OnlineLevel(level).label),
            "figure": count_figure(count, f"{catalogue}?{urlencode({'online_level': level})}"),
        }
        for level, count in procedures.get("by_online_level", {}).items()
        if level in OnlineLevel.values and count
    ]
    return {
        "total": count_figure(int(procedures.get("total") or 0), catalogue),
        "by_level": by_level,
        "by_online_level": by_online_level,
    }


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def dashboard_build(*, report: dict, previous_total: dict, period_key: str) -> dict:
    """What the dashboard page prints, from the report and the previous totals: everything
    but the tables with a row per unit (:data:`DASHBOARD_TABLES`), which are fragments of
    their own."""
    unit_code = report["unit"]["code"]
    return {
        "previous_has_data": previous_has_data(previous_total),
        "cards": dashboard_cards(
            current=report["dossiers"]["total"],
            previous=with_rates(previous_total),
            period_key=period_key,
            unit_code=unit_code,
        ),
        "columns": table_06a_columns(),
        "by_level": table_06a_by_level(report, period_key=period_key),
        "ranking": unit_ranking(report, period_key=period_key),
        "procedures": procedure_rows(report["procedures"]),
        "narrative": [p for p in report["narrative"].split("\n\n") if p],
    }


# The tables with a row per unit: most of a province page (a row per unit, a link per figure),
# so the page loads them after itself, each from its own URL (the page's query), and they print
# once loaded. Name → (URL name, builder of the rows).
DASHBOARD_TABLES: dict[str, tuple[str, Callable[..., list[dict]]]] = {
    "by_unit": ("reports:dashboard_units", table_06a_by_unit),
    "digitisation": ("reports:dashboard_digitisation", digitisation_rows),
}


def dashboard_table_build(*, name: str, report: dict, period_key: str) -> dict:
    """What the fragment of the table ``name`` of :data:`DASHBOARD_TABLES` prints."""
    _url_name, rows = DASHBOARD_TABLES[name]
    context = {"rows": rows(report, period_key=period_key)}
    if name == "by_unit":
        context["columns"] = table_06a_columns()
    return context


def counter_label(name: str) -> str:
    """What a figure means, for the drill-down's title."""
    label = FIGURE_LABELS.get(name)
    return str(label.title) if label and label.title else name


# --- Panels of other apps ---------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardPanel:
    """A section another app adds to the dashboard.

    ``name``: a unique key (registering the same name again replaces the panel, so ``ready()``
    may run twice). ``template_name``: the template of the panel's card, rendered with the
    request (so ``{% translate %}``, ``{% url %}`` and ``request.user`` work) and the
    dictionary ``context`` returns. ``context(*, user, unit, period)`` is called on every view
    of the page with the user, the :class:`org.models.Unit` shown (its whole subtree is meant)
    and the :class:`reports.periods.Period` shown; it returns the template's context, or None
    to leave the panel out (nothing to show, or not for this user). It must keep to what the
    user may see, and read a bounded number of rows: the dashboard's query count must not grow
    with the data. ``order``: panels are shown by increasing order, then name.
    """

    name: str
    template_name: str
    context: Callable[..., dict | None]
    order: int = 100


# The registered panels. Register from your AppConfig.ready():
#
#     from reports.dashboard import DashboardPanel, dashboard_panel_register
#     dashboard_panel_register(DashboardPanel(
#         name="committee-tasks",
#         template_name="committee/partials/dashboard_tasks.html",
#         context=committee_tasks_panel,  # def committee_tasks_panel(*, user, unit, period)
#     ))
DASHBOARD_PANELS: list[DashboardPanel] = []


def dashboard_panel_register(panel: DashboardPanel) -> None:
    """Add ``panel`` to the dashboard, replacing a panel registered under the same name."""
    DASHBOARD_PANELS[:] = [known for known in DASHBOARD_PANELS if known.name != panel.name]
    DASHBOARD_PANELS.append(panel)


def dashboard_panels(*, user, unit, period) -> list[tuple[DashboardPanel, dict]]:
    """The panels to show with their context, in order. A panel whose ``context`` raises is
    left out and the error logged: an add-on must not take the committee's page down."""
    shown = []
    for panel in sorted(DASHBOARD_PANELS, key=lambda known: (known.order, known.name)):
        try:
            context = panel.context(user=user, unit=unit, period=period)
        except Exception:
            logger.exception("Dashboard panel %s failed; left out.", panel.name)
            continue
        if context is not None:
            shown.append((panel, context))
    return shown
