"""PAR-index arithmetic as pure functions: no ORM, plain data in, Decimals out.

- Totals: a node's total is the sum of the scores of the leaves under it; a leaf without a
  score counts 0. Scores carry two decimal places, so sums are exact.
- Percentage of the framework's maximum, rounded half-up to two places (what is shown is what
  is classified: 89,995 % shows as 90,00 % and falls in the "≥ 90 %" band).
- Rank: competition ranking on the total, highest first; equal totals share a rank and the
  next rank skips (1, 2, 2, 4).
- Bands (groups): ``[{"min": "90", "label": "Tốt"}, …]``; a percentage falls in the band with
  the highest ``min`` it reaches. A framework may carry its own bands; otherwise
  ``settings.PARINDEX_BANDS`` (same shape), otherwise ``DEFAULT_BANDS``:
  ≥ 90 Good (Tốt), 80–90 Fair (Khá), 65–80 Average (Trung bình), < 65 Weak (Yếu).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar

from django.conf import settings
from django.utils.translation import gettext_lazy as _

HUNDREDTH = Decimal("0.01")
ZERO = Decimal("0")
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class CriterionSpec:
    """What the arithmetic needs of a criterion."""

    id: int
    code: str
    parent_id: int | None
    max_points: Decimal
    is_leaf: bool


@dataclass(frozen=True)
class Band:
    min_percent: Decimal
    label: str


@dataclass(frozen=True)
class Loss:
    criterion_id: int
    lost: Decimal


DEFAULT_BANDS: tuple[dict[str, Any], ...] = (
    {"min": "90", "label": _("Good")},
    {"min": "80", "label": _("Fair")},
    {"min": "65", "label": _("Average")},
    {"min": "0", "label": _("Weak")},
)


def points(value: Decimal | int | str | None) -> Decimal:
    """A score as a two-place Decimal; None counts 0."""
    if value is None:
        return ZERO.quantize(HUNDREDTH)
    return Decimal(value).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def node_totals(
    criteria: Sequence[CriterionSpec], leaf_scores: Mapping[int, Decimal | None]
) -> dict[int, Decimal]:
    """Total of every criterion (area, criterion, sub-criterion) from the leaves' scores."""
    parent_of = {criterion.id: criterion.parent_id for criterion in criteria}
    totals = {criterion.id: points(0) for criterion in criteria}
    for criterion in criteria:
        if not criterion.is_leaf:
            continue
        score = points(leaf_scores.get(criterion.id))
        node: int | None = criterion.id
        while node is not None:
            totals[node] += score
            node = parent_of.get(node)
    return totals


def assessment_total(
    criteria: Sequence[CriterionSpec], leaf_scores: Mapping[int, Decimal | None]
) -> Decimal:
    return sum((points(leaf_scores.get(c.id)) for c in criteria if c.is_leaf), start=points(0))


def framework_maximum(criteria: Sequence[CriterionSpec]) -> Decimal:
    """The framework's maximum: the areas' points (children add up to parents at import)."""
    return sum((points(c.max_points) for c in criteria if c.parent_id is None), start=points(0))


def percentage(total: Decimal, maximum: Decimal) -> Decimal:
    if not maximum:
        return points(0)
    return (Decimal(total) * 100 / Decimal(maximum)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def competition_ranks(values: Mapping[K, Decimal]) -> dict[K, int]:
    """1 for the highest value; ties share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(values.values(), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {key: first_position[value] for key, value in values.items()}


def rank_change(previous: int | None, current: int | None) -> int | None:
    """Places gained since the previous year (positive = moved up); None if either is missing."""
    if previous is None or current is None:
        return None
    return previous - current


def bands_parse(config: Iterable[Mapping[str, Any]]) -> tuple[Band, ...]:
    """Bands from ``[{"min": …, "label": …}]``, highest first; ValueError if malformed."""
    bands = []
    for item in config:
        try:
            minimum = Decimal(str(item["min"]))
            label = str(item["label"])
        except (KeyError, TypeError, InvalidOperation) as exc:
            raise ValueError(f"bad band {item!r}") from exc
        if not minimum.is_finite() or minimum < 0 or minimum > 100 or not label:
            raise ValueError(f"bad band {item!r}")
        bands.append(Band(min_percent=minimum, label=label))
    minimums = [band.min_percent for band in bands]
    if len(set(minimums)) != len(minimums):
        raise ValueError("two bands have the same minimum")
    return tuple(sorted(bands, key=lambda band: band.min_percent, reverse=True))


def configured_bands(
    framework_bands: Iterable[Mapping[str, Any]] | None = None,
) -> tuple[Band, ...]:
    """The framework's own bands, else ``settings.PARINDEX_BANDS``, else ``DEFAULT_BANDS``."""
    if framework_bands:
        return bands_parse(framework_bands)
    return bands_parse(getattr(settings, "PARINDEX_BANDS", None) or DEFAULT_BANDS)


def band_for(percent: Decimal, bands: Sequence[Band]) -> Band | None:
    """The band of a (rounded) percentage; None below the lowest band's minimum."""
    for band in bands:
        if percent >= band.min_percent:
            return band
    return None


def point_losses(
    criteria: Sequence[CriterionSpec],
    leaf_scores: Mapping[int, Decimal | None],
    *,
    limit: int | None = None,
) -> list[Loss]:
    """Leaves where points were lost (maximum − score > 0), the biggest loss first, then in
    outline order."""
    order = {criterion.id: position for position, criterion in enumerate(criteria)}
    losses = [
        Loss(criterion_id=c.id, lost=points(c.max_points) - points(leaf_scores.get(c.id)))
        for c in criteria
        if c.is_leaf
    ]
    losses = [loss for loss in losses if loss.lost > 0]
    losses.sort(key=lambda loss: (-loss.lost, order[loss.criterion_id]))
    return losses if limit is None else losses[:limit]
