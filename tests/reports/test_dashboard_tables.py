"""The dashboard's tables by unit, loaded after the page as fragments of their own: the page
links them (htmx, and a plain link without JavaScript), each answers as a fragment or as a page,
keeps to the user's units, and every figure is the one the page showed when it held them all."""

import re
from collections import Counter
from dataclasses import is_dataclass
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.models import Role, Unit
from org.selectors import unit_subtree
from reports.dashboard import (
    Card,
    Figure,
    dashboard_build,
    digitisation_rows,
    table_06a_by_unit,
)
from reports.periods import period_make
from reports.quarterly import quarterly_report
from reports.selectors import period_counters
from tests.factories import member

PROVINCE = "000.00.00.H21"
DISTRICT = "000.00.37.H21"
COMMUNE_A = "001.37.H21"
QUERY = {"year": 2021, "quarter": 1, "scheme": "calendar", "unit": PROVINCE}
TABLES = {"by_unit": "reports:dashboard_units", "digitisation": "reports:dashboard_digitisation"}
FIGURE = re.compile(r'<a class="dash-figure" href="[^"]*">[^<]*</a>')


def fragment(client, name: str, **params):
    return client.get(reverse(TABLES[name]), params, headers={"HX-Request": "true"})


@pytest.mark.django_db
def test_the_page_loads_its_tables_by_unit_after_itself(committee):
    page = committee.get(reverse("reports:dashboard"), QUERY).content.decode()
    assert 'data-testid="table-by-level"' in page
    # Not on the page itself: only where each goes, asked for with the page's own query.
    assert 'data-testid="table-by-unit"' not in page
    assert 'data-testid="table-digitisation"' not in page
    for url_name in TABLES.values():
        url = f"{reverse(url_name)}?{urlencode(QUERY)}".replace("&", "&amp;")
        assert f'hx-get="{url}" hx-trigger="load" hx-swap="outerHTML"' in page
        assert f'<a href="{url}" data-testid="dashboard-table-link">' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, testid", [("by_unit", "table-by-unit"), ("digitisation", "table-digitisation")]
)
def test_a_table_is_a_fragment_for_htmx_and_a_page_without_it(committee, name, testid):
    part = fragment(committee, name, **QUERY)
    assert part.status_code == 200
    html = part.content.decode()
    assert f'data-testid="{testid}"' in html
    assert "<html" not in html and "<nav" not in html
    assert "HX-Request" in part["Vary"]

    whole = committee.get(reverse(TABLES[name]), QUERY)
    assert whole.status_code == 200
    html = whole.content.decode()
    assert html.startswith("<!doctype html>")
    assert f'data-testid="{testid}"' in html
    back = f"{reverse('reports:dashboard')}?{urlencode(QUERY)}".replace("&", "&amp;")
    assert f'href="{back}"' in html
    assert "HX-Request" in whole["Vary"]
    # The same table either way.
    assert FIGURE.findall(html) == FIGURE.findall(part.content.decode())


@pytest.mark.django_db
def test_a_table_keeps_to_the_users_units_and_its_period(client, demo_data):
    for name, url_name in TABLES.items():
        url = reverse(url_name)
        assert client.get(url, QUERY)["Location"].startswith(reverse("login")), name
    client.force_login(member(COMMUNE_A, Role.DESK_OFFICER))
    for name in TABLES:
        assert fragment(client, name, **{**QUERY, "unit": DISTRICT}).status_code == 404
        assert fragment(client, name, year=2021, quarter=5).status_code == 400
        own = fragment(client, name, year=2021, quarter=1)
        assert own.status_code == 200
        assert [row.get("code") for row in own.context["rows"][:-1]] == [COMMUNE_A]


def figures_in(value) -> list[Figure]:
    """Every Figure of a dashboard context, however deep."""
    if isinstance(value, Figure):
        return [value]
    if isinstance(value, Card):
        return [value.figure, *(value.detail or ())]
    if isinstance(value, dict):
        return [figure for item in value.values() for figure in figures_in(item)]
    if isinstance(value, list | tuple) and not is_dataclass(value):
        return [figure for item in value for figure in figures_in(item)]
    return []


@pytest.mark.django_db
@pytest.mark.parametrize("unit", [PROVINCE, DISTRICT, COMMUNE_A])
def test_every_figure_is_the_one_of_the_page_that_held_every_table(committee, unit):
    query = {**QUERY, "unit": unit}
    root = Unit.objects.get(code=unit)
    # Before: one page, built from the report and the previous quarter's totals, with the
    # tables by unit in it.
    report = quarterly_report(year=2021, quarter=1, unit=root)
    period = period_make(kind="quarter", year=2021, index=1)
    before = period_make(kind="quarter", year=2020, index=4)
    previous = period_counters(
        period=before, unit_ids=list(unit_subtree(root).values_list("id", flat=True))
    )
    whole = dashboard_build(report=report, previous_total=previous, period_key=period.key)
    whole["by_unit"] = table_06a_by_unit(report, period_key=period.key)
    whole["digitisation"] = digitisation_rows(report, period_key=period.key)
    expected = Counter(str(figure) for figure in figures_in(whole))
    assert sum(expected.values()) > 50

    # Now: the page and its two fragments, as the browser shows them.
    shown = FIGURE.findall(committee.get(reverse("reports:dashboard"), query).content.decode())
    for name in TABLES:
        shown += FIGURE.findall(fragment(committee, name, **query).content.decode())
    assert Counter(shown) == expected


@pytest.mark.django_db
def test_a_tables_query_count_does_not_depend_on_the_unit(committee):
    for name in TABLES:
        counts = {}
        for unit in (DISTRICT, PROVINCE, COMMUNE_A):
            # Warm up: the first look at a quarter computes its rollups.
            fragment(committee, name, **{**QUERY, "unit": unit})
        for unit in (DISTRICT, PROVINCE, COMMUNE_A):
            with CaptureQueriesContext(connection) as queries:
                assert fragment(committee, name, **{**QUERY, "unit": unit}).status_code == 200
            counts[unit] = len(queries)
        assert counts[DISTRICT] == counts[PROVINCE] == counts[COMMUNE_A], (name, counts)
        # 15 for the page, and one for the session's second-factor check (a user with two-step
        # login on must have entered the code in this session).
        assert counts[PROVINCE] <= 16, (name, counts)


@pytest.mark.parametrize(
    "text, url",
    [
        ("3.329", "/bao-cao/ho-so/?period=calendar%3Aquarter%3A2021%3A1&unit=A&counter=resolved"),
        ("9,22%", "/bao-cao/ho-so/?unit=X&own=1"),
        ("<b>&'\"", "/a?b=\"c\"&d='e'<f>"),
        ("–", None),
        ("<i>", None),
    ],
)
def test_a_figures_markup_is_the_one_format_html_wrote(text, url):
    from django.utils.html import conditional_escape, format_html

    figure = Figure(value=1, text=text, url=url)
    if url:
        before = format_html('<a class="dash-figure" href="{}">{}</a>', url, text)
    else:
        before = str(conditional_escape(text))
    assert figure.__html__() == before
    assert str(figure) == before
    assert conditional_escape(figure) == before
