"""Charts of the quarterly report, drawn on the server with matplotlib.

Figures are built with ``matplotlib.figure.Figure`` directly (no pyplot: no global figure
registry, safe in threads) and rendered either as SVG text for the dashboard page or as PNG
bytes for the DOCX. Labels are Vietnamese data text, like the narrative ("Quý I/2021",
"3.136"). Output is deterministic: the SVG ids are salted with a constant and no date is
written, so the same figures give the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from org.models import Unit
from org.selectors import unit_lineage_ids

from .counters import with_rates
from .dashboard import RANKING_TIER_OF_LEVEL
from .narrative import ROMAN_QUARTERS, format_number, format_percent
from .periods import PeriodKind, period_make
from .selectors import period_counters
from .services import rollups_compute_missing

# Set once for the process: savefig reads these from the global rcParams. DejaVu Sans ships
# with matplotlib and covers Vietnamese diacritics; "none" keeps SVG text as searchable text.
matplotlib.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "svg.fonttype": "none",
        "svg.hashsalt": "cchc-portal",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)

PNG_DPI = 150
# No creation date, so two renderings of the same figure are byte-identical.
_SVG_METADATA = {"Date": None}
_PNG_METADATA = {"Software": None}

COLOURS = {
    "received_total": "#1f77b4",
    "resolved": "#2ca02c",
    "in_progress_overdue": "#d62728",
    "received_online": "#1f77b4",
    "received_direct": "#ff7f0e",
    "received_postal": "#9467bd",
    "bar": "#4c9f70",
    "weakest": "#d62728",
}

TREND_SERIES = (
    ("received_total", "Tiếp nhận"),
    ("resolved", "Đã giải quyết"),
    ("in_progress_overdue", "Đang giải quyết quá hạn"),
)
CHANNELS = (
    ("received_online", "Trực tuyến"),
    ("received_direct", "Trực tiếp"),
    ("received_postal", "Bưu chính công ích"),
)
LEVEL_NAMES = {
    "province": "Cấp tỉnh",
    "department": "Sở, ban, ngành",
    "centre": "Trung tâm PVHCC",
    "district": "Cấp huyện",
    "commune": "Cấp xã",
}
LEVEL_ORDER = ("province", "department", "centre", "district", "commune")

_NUMBER_FORMATTER = FuncFormatter(lambda value, _position: format_number(round(value)))


def quarter_label(year: int, quarter: int) -> str:
    """``(2021, 1)`` → ``"Quý I/2021"``."""
    return f"Quý {ROMAN_QUARTERS[quarter]}/{year}"


def quarter_trend(
    *,
    unit: Unit,
    year: int,
    quarter: int,
    scheme: str = "calendar",
    count: int = 8,
    unit_ids: Collection[int] | None = None,
) -> list[tuple[str, dict]]:
    """(label, counters) of ``unit``'s lineage for the ``count`` quarters ending at
    ``year``/``quarter``, oldest first (a quarter never computed is computed first:
    :func:`reports.services.rollups_compute_missing`).

    The lineage (:func:`org.selectors.unit_lineage_ids`, or ``unit_ids`` when the caller has
    it) is the report's: a commune formed in the 2025 reform continues the series of the
    communes it absorbed across the reform."""
    unit_ids = set(unit_lineage_ids(unit) if unit_ids is None else unit_ids)
    periods = []
    for back in range(count - 1, -1, -1):
        q_year, q_index = divmod(year * 4 + (quarter - 1) - back, 4)
        periods.append(
            period_make(kind=PeriodKind.QUARTER, year=q_year, index=q_index + 1, scheme=scheme)
        )
    rollups_compute_missing(periods=periods, unit_ids=unit_ids)
    return [
        (
            quarter_label(period.year, period.index),
            with_rates(period_counters(period=period, unit_ids=unit_ids)),
        )
        for period in periods
    ]


def trend_figure(trend: list[tuple[str, dict]]) -> Figure:
    """Received, resolved and open-overdue dossiers per quarter, as grouped columns."""
    figure = Figure(figsize=(8, 3.6), layout="constrained")
    axes = figure.add_subplot()
    labels = [label for label, _counters in trend]
    width = 0.8 / len(TREND_SERIES)
    for offset, (name, title) in enumerate(TREND_SERIES):
        values = [int(counters.get(name) or 0) for _label, counters in trend]
        positions = [i + (offset - 1) * width for i in range(len(trend))]
        bars = axes.bar(positions, values, width, label=title, color=COLOURS[name])
        axes.bar_label(
            bars,
            labels=[format_number(v) if v else "" for v in values],
            fontsize=7,
            padding=2,
            rotation=90,
        )
    axes.set_xticks(range(len(trend)), labels, fontsize=8)
    highest = max(
        (int(c.get(name) or 0) for _l, c in trend for name, _t in TREND_SERIES), default=0
    )
    axes.set_ylim(0, max(highest * 1.25, 1))  # room for the vertical figures above the bars
    axes.yaxis.set_major_formatter(_NUMBER_FORMATTER)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title("Số hồ sơ theo quý")
    figure.legend(loc="outside lower center", ncols=len(TREND_SERIES), fontsize=8, frameon=False)
    return figure


def channel_figure(report: dict) -> Figure:
    """The quarter's dossiers received by channel, one stacked bar per level and one in all."""
    dossiers = report.get("dossiers") or {}
    by_level = dossiers.get("by_level") or {}
    rows = [
        (LEVEL_NAMES.get(level, level), by_level[level])
        for level in sorted(by_level, key=_level_position)
        if _received_in_period(by_level[level])
    ]
    rows.append(("Tổng cộng", dossiers.get("total") or {}))
    rows.reverse()  # barh draws bottom-up: the total goes last, at the bottom.
    figure = Figure(figsize=(8, 1.4 + 0.5 * len(rows)), layout="constrained")
    widest = max(_received_in_period(counters) for _name, counters in rows)
    axes = figure.add_subplot()
    names = [name for name, _counters in rows]
    lefts = [0] * len(rows)
    for channel, title in CHANNELS:
        values = [int(counters.get(channel) or 0) for _name, counters in rows]
        bars = axes.barh(names, values, left=lefts, label=title, color=COLOURS[channel])
        # A figure inside its segment only when the segment is wide enough to hold it.
        axes.bar_label(
            bars,
            labels=[format_number(v) if v and v / widest >= 0.04 else "" for v in values],
            label_type="center",
            fontsize=7,
            color="white",
        )
        lefts = [left + value for left, value in zip(lefts, values, strict=True)]
    # Each bar's total at its end; the last segments end where the bars do.
    axes.bar_label(bars, labels=[format_number(total) for total in lefts], padding=3, fontsize=7)
    axes.set_xlim(0, max(widest * 1.12, 1))
    axes.xaxis.set_major_formatter(_NUMBER_FORMATTER)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    period = report.get("period") or {}
    title = "Hồ sơ tiếp nhận trong kỳ theo kênh"
    if period.get("year") and period.get("quarter"):
        title += f", {quarter_label(int(period['year']), int(period['quarter']))}"
    axes.set_title(title)
    figure.legend(loc="outside lower center", ncols=len(CHANNELS), fontsize=8, frameon=False)
    return figure


def on_time_figure(report: dict) -> Figure:
    """On-time rate of each unit that resolved dossiers; the weakest unit of each level in red
    (a commune is compared with communes, as in the dashboard's ranking)."""
    rows = [
        row
        for row in (report.get("dossiers") or {}).get("by_unit") or []
        if row.get("resolved") and row.get("on_time_rate") is not None
    ]
    figure = Figure(figsize=(8, 0.9 + 0.32 * max(len(rows), 1)), layout="constrained")
    axes = figure.add_subplot()
    axes.set_title("Tỷ lệ giải quyết đúng hạn theo đơn vị")
    if not rows:
        axes.axis("off")
        axes.text(0.5, 0.5, "Chưa có hồ sơ đã giải quyết", ha="center", va="center")
        return figure
    rows = list(reversed(rows))  # barh draws bottom-up: keep the report's order top-down.
    rates = [float(row["on_time_rate"]) for row in rows]
    tiers = [RANKING_TIER_OF_LEVEL.get(row.get("level", ""), "") for row in rows]
    by_tier: dict[str, list[float]] = {}
    for tier, rate in zip(tiers, rates, strict=True):
        by_tier.setdefault(tier, []).append(rate)
    # The lowest rate of its level, unless the whole level is equal (nobody is the weakest).
    colours = [
        COLOURS["weakest"] if rate == min(by_tier[tier]) != max(by_tier[tier]) else COLOURS["bar"]
        for tier, rate in zip(tiers, rates, strict=True)
    ]
    bars = axes.barh(
        [row["name"] for row in rows], [rate * 100 for rate in rates], color=colours, height=0.7
    )
    axes.bar_label(bars, labels=[format_percent(rate) for rate in rates], fontsize=7, padding=2)
    axes.set_xlim(0, 112)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: f"{value:.0f}%"))
    axes.tick_params(axis="y", labelsize=7)
    return figure


def chart_svg(figure: Figure) -> str:
    """The figure as an inline ``<svg>`` element (no XML prolog), 100% wide, responsive."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata=_SVG_METADATA)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    return re.sub(
        r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
        r'<svg\1 width="100%" preserveAspectRatio="xMidYMid meet"',
        text,
        count=1,
    )


def chart_png(figure: Figure) -> bytes:
    """The figure as PNG bytes at 150 dpi (for the DOCX)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata=_PNG_METADATA)
    return buffer.getvalue()


def report_chart_pngs(report: dict, trend: list[tuple[str, dict]]) -> dict[str, bytes]:
    """The DOCX's charts: the 8-quarter trend and the quarter's channel mix."""
    return {"trend": chart_png(trend_figure(trend)), "channels": chart_png(channel_figure(report))}


def _received_in_period(counters: dict) -> int:
    return sum(int(counters.get(channel) or 0) for channel, _title in CHANNELS)


def _level_position(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)
