"""The PAR-index arithmetic, with numbers worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from committee.parindex.scoring import (
    Band,
    CriterionSpec,
    assessment_total,
    band_for,
    bands_parse,
    competition_ranks,
    configured_bands,
    framework_maximum,
    node_totals,
    percentage,
    point_losses,
    rank_change,
)

D = Decimal

# 1 (10) = 1.1 (6 = 1.1.1 2.5 + 1.1.2 3.5) + 1.2 (4);  2 (10) = 2.1 (7) + 2.2 (3)
CRITERIA = [
    CriterionSpec(1, "1", None, D("10"), False),
    CriterionSpec(2, "1.1", 1, D("6"), False),
    CriterionSpec(3, "1.1.1", 2, D("2.5"), True),
    CriterionSpec(4, "1.1.2", 2, D("3.5"), True),
    CriterionSpec(5, "1.2", 1, D("4"), True),
    CriterionSpec(6, "2", None, D("10"), False),
    CriterionSpec(7, "2.1", 6, D("7"), True),
    CriterionSpec(8, "2.2", 6, D("3"), True),
]


def test_it_adds_leaf_scores_up_the_tree() -> None:
    scores = {3: D("2.25"), 4: D("1.5"), 5: D("4"), 7: D("6.75"), 8: None}
    totals = node_totals(CRITERIA, scores)
    assert totals == {
        1: D("7.75"),  # 2.25 + 1.5 + 4
        2: D("3.75"),  # 2.25 + 1.5
        3: D("2.25"),
        4: D("1.50"),
        5: D("4.00"),
        6: D("6.75"),  # 6.75 + nothing for the survey
        7: D("6.75"),
        8: D("0.00"),
    }
    assert assessment_total(CRITERIA, scores) == D("14.50")


def test_it_counts_missing_scores_as_zero() -> None:
    assert assessment_total(CRITERIA, {}) == D("0.00")
    assert node_totals(CRITERIA, {})[1] == D("0.00")


def test_it_takes_the_framework_maximum_from_the_areas() -> None:
    assert framework_maximum(CRITERIA) == D("20.00")


@pytest.mark.parametrize(
    ("total", "maximum", "expected"),
    [
        (D("14.50"), D("20"), D("72.50")),
        (D("2"), D("3"), D("66.67")),  # 66.666… rounds up
        (D("1"), D("3"), D("33.33")),  # 33.333… rounds down
        (D("89.995"), D("100"), D("90.00")),  # half-up, not banker's rounding
        (D("89.985"), D("100"), D("89.99")),
        (D("0"), D("0"), D("0.00")),  # an empty framework does not divide by zero
    ],
)
def test_it_rounds_percentages_half_up_to_two_places(total, maximum, expected) -> None:
    assert percentage(total, maximum) == expected


def test_it_gives_tied_units_the_same_rank_and_skips_the_next() -> None:
    totals = {"A": D("91.5"), "B": D("85.25"), "C": D("85.25"), "D": D("70"), "E": D("85.25")}
    assert competition_ranks(totals) == {"A": 1, "B": 2, "C": 2, "E": 2, "D": 5}


def test_it_ranks_1_2_2_4() -> None:
    totals = {"a": D("90"), "b": D("80"), "c": D("80.00"), "d": D("79.99")}
    assert competition_ranks(totals) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_it_ranks_everyone_first_when_all_tie() -> None:
    assert competition_ranks({"a": D("5"), "b": D("5")}) == {"a": 1, "b": 1}
    assert competition_ranks({}) == {}


@pytest.mark.parametrize(
    ("previous", "current", "change"),
    [(5, 2, 3), (2, 5, -3), (3, 3, 0), (None, 1, None), (1, None, None)],
)
def test_it_reports_places_gained(previous, current, change) -> None:
    assert rank_change(previous, current) == change


@pytest.mark.parametrize(
    ("percent", "label"),
    [
        (D("100"), "Good"),
        (D("90.00"), "Good"),
        (D("89.99"), "Fair"),
        (D("80"), "Fair"),
        (D("79.99"), "Average"),
        (D("65"), "Average"),
        (D("64.99"), "Weak"),
        (D("0"), "Weak"),
    ],
)
def test_it_places_percentages_in_the_default_bands(percent, label, settings) -> None:
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        assert str(band_for(percent, configured_bands()).label) == label


def test_it_classifies_the_rounded_percentage() -> None:
    bands = configured_bands()
    # 89.995 % is shown as 90,00 % and so is in the ≥ 90 band.
    assert band_for(percentage(D("89.995"), D("100")), bands) == bands[0]
    assert band_for(percentage(D("89.994"), D("100")), bands) == bands[1]


def test_it_prefers_the_framework_bands_over_the_settings(settings) -> None:
    settings.PARINDEX_BANDS = [{"min": 50, "label": "Đạt"}, {"min": 0, "label": "Chưa đạt"}]
    assert [band.label for band in configured_bands()] == ["Đạt", "Chưa đạt"]
    own = [{"min": "0", "label": "Thấp"}, {"min": "75.5", "label": "Cao"}]
    assert configured_bands(own) == (Band(D("75.5"), "Cao"), Band(D("0"), "Thấp"))


def test_it_leaves_a_percentage_below_every_band_unclassified() -> None:
    bands = bands_parse([{"min": "50", "label": "Đạt"}])
    assert band_for(D("49.99"), bands) is None


@pytest.mark.parametrize(
    "config",
    [
        [{"min": "abc", "label": "x"}],
        [{"min": "101", "label": "x"}],
        [{"min": "-1", "label": "x"}],
        [{"label": "x"}],
        [{"min": "10", "label": ""}],
        [{"min": "10", "label": "a"}, {"min": "10.0", "label": "b"}],
    ],
)
def test_it_refuses_malformed_bands(config) -> None:
    with pytest.raises(ValueError):
        bands_parse(config)


def test_it_lists_the_biggest_point_losses_first() -> None:
    scores = {3: D("2.5"), 4: D("1.5"), 5: D("3"), 7: D("5"), 8: D("1")}
    losses = point_losses(CRITERIA, scores)
    # 1.1.2, 2.1 and 2.2 each lost 2: outline order breaks the tie; 1.1.1 lost nothing.
    assert [(loss.criterion_id, loss.lost) for loss in losses] == [
        (4, D("2.00")),
        (7, D("2.00")),
        (8, D("2.00")),
        (5, D("1.00")),
    ]
    assert [loss.criterion_id for loss in point_losses(CRITERIA, scores, limit=2)] == [4, 7]
