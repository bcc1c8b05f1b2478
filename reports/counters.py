"""The names of the official counters (DESIGN §3) and the rates derived from them.

Every report, rollup row and export uses exactly these names (DESIGN §4 "C holds every counter
of §3 under exactly those names").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Counted per dossier; additive across units and procedures (not across periods: carried_over
# and in_progress are stocks at the period's start and end).
COUNTERS: tuple[str, ...] = (
    "received_online",
    "received_direct",
    "received_postal",
    "received_in_period",
    "carried_over",
    "received_total",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress",
    "in_progress_within",
    "in_progress_overdue",
    "paused",
    "withdrawn",
    "refused",
    "digitised",
)

RATES: tuple[str, ...] = ("on_time_rate", "progress_rate", "digitisation_ratio")

# Figures that are sums of counters, shown as columns and drilled into like counters.
COMBINED_COLUMNS: dict[str, tuple[str, ...]] = {
    # Direct + postal: the form II.06a column "trực tiếp, bưu chính".
    "received_offline": ("received_direct", "received_postal"),
    # The numerator of the on-time rate.
    "resolved_in_time": ("resolved_early", "resolved_on_time"),
}


def zero_counters() -> dict[str, int]:
    return dict.fromkeys(COUNTERS, 0)


def counter_value(counters: dict, name: str) -> int:
    """The value of a counter or of a combined column (:data:`COMBINED_COLUMNS`) in
    ``counters``; a missing counter is 0."""
    return sum(int(counters.get(part) or 0) for part in COMBINED_COLUMNS.get(name, (name,)))


def counters_add(total: dict[str, int], more: dict[str, int]) -> dict[str, int]:
    """``total`` plus ``more``, counter by counter (units or procedures of one period)."""
    return {name: total.get(name, 0) + more.get(name, 0) for name in COUNTERS}


def _ratio(numerator: int, denominator: int) -> float | None:
    if not denominator:
        return None
    # Four decimals, rounded half up as a person would: 0.99995 → 1.0.
    value = (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )
    return float(value)


def with_rates(counters: dict[str, int]) -> dict:
    """The counters plus the three rates of DESIGN §3; a zero denominator gives None (null)."""
    return {
        **counters,
        "on_time_rate": _ratio(
            counters["resolved_early"] + counters["resolved_on_time"], counters["resolved"]
        ),
        "progress_rate": _ratio(
            counters["resolved_early"]
            + counters["resolved_on_time"]
            + counters["in_progress_within"],
            counters["received_total"],
        ),
        "digitisation_ratio": _ratio(counters["digitised"], counters["received_total"]),
    }
