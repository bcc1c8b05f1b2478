"""Server-side charts of the quarterly report: Vietnamese labels, deterministic SVG, PNG for the
DOCX, and the 8-quarter trend read from the rollups."""

import re

import pytest

from org.models import Unit
from reports.charts import (
    channel_figure,
    chart_png,
    chart_svg,
    on_time_figure,
    quarter_label,
    quarter_trend,
    trend_figure,
)
from reports.counters import zero_counters

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

REPORT = {
    "period": {"year": 2021, "quarter": 1, "scheme": "calendar"},
    "dossiers": {
        "total": {"received_online": 300, "received_direct": 3000, "received_postal": 29},
        "by_level": {
            "district": {"received_online": 10, "received_direct": 183, "received_postal": 0},
            "commune": {"received_online": 290, "received_direct": 2817, "received_postal": 29},
        },
        "by_unit": [
            {"name": "UBND huyện Đắk Đoa", "resolved": 193, "on_time_rate": 1.0},
            {"name": "UBND xã Ia Băng", "resolved": 3, "on_time_rate": 0.6667},
            {"name": "UBND xã Hà Bầu", "resolved": 0, "on_time_rate": None},
        ],
    },
}


def trend() -> list[tuple[str, dict]]:
    quarters = [(2019, 2), (2019, 3), (2019, 4), (2020, 1), (2020, 2), (2020, 3), (2020, 4)]
    rows = [(quarter_label(year, quarter), zero_counters()) for year, quarter in quarters]
    return [
        *rows,
        ("Quý I/2021", {**zero_counters(), "received_total": 3329, "resolved": 3328}),
    ]


def test_it_names_quarters_in_roman_numerals():
    assert quarter_label(2021, 1) == "Quý I/2021"
    assert quarter_label(2020, 4) == "Quý IV/2020"


def test_it_draws_the_trend_as_inline_svg_with_vietnamese_labels():
    svg = chart_svg(trend_figure(trend()))
    assert svg.startswith("<svg")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert 'width="100%"' in svg and "viewBox=" in svg
    for text in ("Quý I/2021", "Quý II/2019", "3.329", "3.328", "Đã giải quyết"):
        assert text in svg, text


def test_the_same_figures_give_the_same_bytes():
    assert chart_svg(trend_figure(trend())) == chart_svg(trend_figure(trend()))
    assert chart_png(channel_figure(REPORT)) == chart_png(channel_figure(REPORT))


def test_the_channel_mix_names_levels_and_channels():
    svg = chart_svg(channel_figure(REPORT))
    for text in ("Cấp huyện", "Cấp xã", "Tổng cộng", "Trực tuyến", "2.817", "Quý I/2021"):
        assert text in svg, text


def test_the_on_time_chart_highlights_the_weakest_unit():
    svg = chart_svg(on_time_figure(REPORT))
    assert "UBND xã Ia Băng" in svg and "66,67%" in svg and "100%" in svg
    assert "UBND xã Hà Bầu" not in svg  # nothing resolved: no rate to draw
    assert "#d62728" in svg  # the weakest bar's colour


def test_the_on_time_chart_says_when_nothing_was_resolved():
    svg = chart_svg(on_time_figure({"dossiers": {"by_unit": []}}))
    assert "Chưa có hồ sơ đã giải quyết" in svg


def test_it_renders_png_bytes():
    png = chart_png(trend_figure(trend()))
    assert png.startswith(PNG_SIGNATURE)


@pytest.mark.django_db
def test_the_trend_reads_eight_quarters_ending_at_the_reports_quarter(demo_data):
    root = Unit.objects.get(code="000.00.00.H21")
    rows = quarter_trend(unit=root, year=2021, quarter=1)
    assert [label for label, _counters in rows] == [
        "Quý II/2019",
        "Quý III/2019",
        "Quý IV/2019",
        "Quý I/2020",
        "Quý II/2020",
        "Quý III/2020",
        "Quý IV/2020",
        "Quý I/2021",
    ]
    assert rows[-1][1]["received_total"] == 3329
    assert rows[-1][1]["resolved"] == 3328
    for _label, counters in rows[:-1]:
        assert counters["received_total"] == 0


@pytest.mark.django_db
def test_the_trend_crosses_the_year_and_follows_the_scheme(demo_data):
    commune = Unit.objects.get(code="001.37.H21")
    rows = quarter_trend(unit=commune, year=2021, quarter=2, count=3)
    assert [label for label, _counters in rows] == ["Quý IV/2020", "Quý I/2021", "Quý II/2021"]
    # The commune's one dossier open at the end of March is carried over into April.
    assert rows[-1][1]["carried_over"] == 1
    assert rows[-1][1]["received_in_period"] == 0
    # Under the cut-off scheme Q2 starts on 15 March: the late-March dossiers fall into it.
    cutoff = quarter_trend(unit=commune, year=2021, quarter=2, scheme="cutoff", count=1)
    assert cutoff[-1][1]["received_in_period"] > 0


def test_the_on_time_chart_compares_each_unit_with_its_own_level():
    def chart(district_rate: float, commune_b_rate: float) -> str:
        rates = [
            ("UBND huyện", "district", district_rate),
            ("UBND xã A", "commune", 1.0),
            ("UBND xã B", "commune", commune_b_rate),
        ]
        rows = [
            {"name": name, "level": level, "resolved": 4, "on_time_rate": rate}
            for name, level, rate in rates
        ]
        return chart_svg(on_time_figure({"dossiers": {"by_unit": rows}}))

    def bars(svg: str) -> list[str]:
        # The bars' fills, bottom-up (the first two fills are the figure's and the axes').
        return re.findall(r"fill: (#[0-9a-f]{6})", svg)[2:]

    # The district's 50% is alone at its level; among the communes 80% is the weakest.
    mixed = chart(0.5, 0.8)
    assert bars(mixed) == ["#d62728", "#4c9f70", "#4c9f70"]  # xã B, xã A, the district
    # Communes all equal: nobody in red, though the district is lower than they are.
    equal = chart(0.5, 1.0)
    assert "#d62728" not in equal
