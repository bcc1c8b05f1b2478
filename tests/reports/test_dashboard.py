"""The steering committee's dashboard on the demo data (Q1 2021 of the seed article), and the
pure builder behind it."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from org.models import Role
from reports.counters import COUNTERS, with_rates, zero_counters
from reports.dashboard import competition_ranks, format_change, format_points, unit_ranking
from reports.forms import DashboardForm
from tests.factories import member

PROVINCE = "000.00.00.H21"
DISTRICT = "000.00.37.H21"
COMMUNE_A = "001.37.H21"
COMMUNE_B = "002.37.H21"

# The 06a columns in page order: received total / online / direct+postal / carried over,
# resolved total / early / on time / late, in progress total / within / overdue.
COLUMNS = 11


def dashboard(client, **params):
    return client.get(reverse("reports:dashboard"), params)


def table(client, name: str, **params):
    """A table by unit of the dashboard, as the page's htmx asks for it."""
    url = reverse(
        {"by_unit": "reports:dashboard_units", "digitisation": "reports:dashboard_digitisation"}[
            name
        ]
    )
    return client.get(url, params, headers={"HX-Request": "true"})


def card(response, name: str):
    return next(card for card in response.context["cards"] if card.name == name)


@pytest.mark.django_db
def test_it_shows_the_seed_articles_figures(committee):
    response = dashboard(committee, year=2021, quarter=1)
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("193", "3.136", "3.135", "307", "3.329", "9,22%"):
        assert text in page, text
    assert card(response, "received_total").figure.text == "3.329"
    assert card(response, "resolved").figure.text == "3.328"
    assert card(response, "on_time_rate").figure.text == "100%"
    assert card(response, "in_progress").figure.text == "1"
    assert card(response, "in_progress_overdue").figure.text == "0"
    ratio = card(response, "digitisation_ratio")
    assert ratio.figure.text == "9,22%"
    assert (ratio.detail[0].text, ratio.detail[1].text) == ("307", "3.329")


@pytest.mark.django_db
def test_it_lists_the_levels_and_the_sixteen_units_with_their_totals(committee):
    response = dashboard(committee, year=2021, quarter=1)
    levels = {
        row["label"]: [cell.value for cell in row["cells"]] for row in response.context["by_level"]
    }
    # The 2018 regime's order: the district desk, the communes, then the province; the total.
    assert list(levels) == ["Huyện", "Xã", "Tỉnh", "Tổng số"]
    district, communes, province, total = levels.values()
    # Received, carried over; resolved, late; in progress, within, overdue.
    assert [district[i] for i in (0, 3, 4, 7, 8, 9, 10)] == [193, 0, 193, 0, 0, 0, 0]
    assert [communes[i] for i in (0, 3, 4, 7, 8, 9, 10)] == [3136, 0, 3135, 0, 1, 1, 0]
    assert province == [0] * COLUMNS
    assert [total[i] for i in (0, 4, 8)] == [3329, 3328, 1]
    for column in range(COLUMNS):
        assert district[column] + communes[column] + province[column] == total[column]

    by_unit = table(committee, "by_unit", year=2021, quarter=1)
    units = [row for row in by_unit.context["rows"] if not row.get("is_total")]
    assert len(units) == 16
    assert [row["code"] for row in units[:2]] == [PROVINCE, DISTRICT]
    total = by_unit.context["rows"][-1]
    assert total["is_total"]
    for column in range(COLUMNS):
        assert sum(row["cells"][column].value for row in units) == total["cells"][column].value
    assert [cell.value for cell in total["cells"][:4]] == [3329, 401, 2928, 0]
    assert response.content.decode().count('data-testid="total-row"') == 1
    assert by_unit.content.decode().count('data-testid="total-row"') == 1


@pytest.mark.django_db
def test_it_shows_no_change_against_a_previous_quarter_without_data(committee):
    committee.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = dashboard(committee, year=2021, quarter=1)
    # Nothing was counted in Q4 2020: no change is shown ("—"), not "+3.329".
    for name in ("received_total", "resolved", "in_progress", "in_progress_overdue"):
        assert card(response, name).change is None, name
        assert card(response, name).trend == "flat"
    assert card(response, "on_time_rate").change is None
    page = response.content.decode()
    assert "+3.329" not in page
    assert page.count('data-testid="change">\n              —') == 6
    assert not response.context["previous_has_data"]
    assert "no figures for Quarter 4/2020 to compare with" in page


@pytest.mark.django_db
def test_it_compares_with_a_previous_quarter_that_has_data(committee):
    later = dashboard(committee, year=2021, quarter=2)
    # Q2: the one dossier open at the end of March is carried over, nothing new is received.
    assert card(later, "received_total").figure.value == 1
    assert card(later, "received_total").change == "−3.328"
    assert card(later, "received_total").trend == "down"
    assert later.context["previous_has_data"]
    assert "so với Quý 1/2021" in later.content.decode()


@pytest.mark.django_db
def test_every_figure_links_to_its_dossiers(committee):
    response = table(committee, "by_unit", year=2021, quarter=1, unit=DISTRICT)
    drilldown = reverse("reports:drilldown")
    for row in response.context["rows"]:
        for cell in row["cells"]:
            assert cell.url.startswith(drilldown + "?period=calendar%3Aquarter%3A2021%3A1")
    commune = next(row for row in response.context["rows"] if row.get("code") == COMMUNE_B)
    assert commune["cells"][0].url.endswith(f"unit={COMMUNE_B}&counter=received_total&own=1")


@pytest.mark.django_db
def test_its_query_count_does_not_depend_on_the_unit(committee):
    # Warm up: the first look at a quarter computes its rollups.
    for unit in (DISTRICT, PROVINCE, COMMUNE_A):
        dashboard(committee, year=2021, quarter=1, unit=unit)
    counts = {}
    for unit in (DISTRICT, PROVINCE, COMMUNE_A):
        with CaptureQueriesContext(connection) as queries:
            assert dashboard(committee, year=2021, quarter=1, unit=unit).status_code == 200
        counts[unit] = len(queries)
    assert counts[DISTRICT] == counts[PROVINCE] == counts[COMMUNE_A]
    assert counts[PROVINCE] <= 25


@pytest.mark.django_db
def test_a_desk_officer_sees_only_their_commune(client, demo_data):
    client.force_login(member(COMMUNE_A, role=Role.DESK_OFFICER))
    assert dashboard(client, year=2021, quarter=1, unit=COMMUNE_B).status_code == 404
    assert dashboard(client, year=2021, quarter=1, unit=DISTRICT).status_code == 404
    own = dashboard(client, year=2021, quarter=1, unit=COMMUNE_A)
    assert own.status_code == 200
    default = dashboard(client, year=2021, quarter=1)
    assert default.context["unit"].code == COMMUNE_A
    by_unit = table(client, "by_unit", year=2021, quarter=1)
    assert [row["code"] for row in by_unit.context["rows"][:-1]] == [COMMUNE_A]
    for name in ("by_unit", "digitisation"):
        assert table(client, name, year=2021, quarter=1, unit=COMMUNE_B).status_code == 404
    assert [choice["code"] for choice in default.context["unit_choices"]] == [COMMUNE_A]


@pytest.mark.django_db
def test_an_unknown_unit_is_not_found(committee):
    assert dashboard(committee, year=2021, quarter=1, unit="NOPE").status_code == 404


@pytest.mark.django_db
def test_it_needs_a_login(client):
    response = dashboard(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, message",
    [
        ({"year": "1999", "quarter": "1"}, "greater than or equal to 2000"),
        ({"year": "abc"}, "Enter a whole number."),
        ({"year": "2021", "quarter": "5"}, "Select a valid choice."),
        ({"year": "2021", "quarter": "1", "scheme": "lunar"}, "Select a valid choice."),
    ],
)
def test_it_refuses_a_bad_period(committee, params, message):
    committee.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = dashboard(committee, **params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_the_navigation_offers_the_dashboard(client, demo_data):
    client.force_login(member(COMMUNE_A, role=Role.PROCESSING_OFFICER))
    response = client.get(reverse("home"))
    assert f'href="{reverse("reports:dashboard")}"' in response.content.decode()


# The pure builder -----------------------------------------------------------------------------


def unit_row(code: str, level: str = "commune", **counters) -> dict:
    values = zero_counters()
    values.update(counters)
    return {"code": code, "name": f"Unit {code}", "level": level, **with_rates(values)}


def ranked(report: dict, period_start: str = "2021-01-01") -> dict:
    report = {"period": {"start": period_start}, **report}
    return unit_ranking(report, period_key="calendar:quarter:2021:1")


def test_the_ranking_puts_the_weakest_first_and_marks_it():
    report = {
        "dossiers": {
            "by_unit": [
                unit_row("A", received_total=10, resolved=10, resolved_on_time=10),
                unit_row("B", received_total=4, resolved=4, resolved_on_time=2, resolved_late=2),
                unit_row("C", received_total=0),  # received nothing: not ranked
                unit_row(
                    "D",
                    received_total=4,
                    resolved=4,
                    resolved_on_time=2,
                    resolved_late=2,
                    in_progress=0,
                ),
                unit_row("E", received_total=5, resolved=4, resolved_on_time=4, in_progress=1),
            ]
        }
    }
    ranking = ranked(report)
    (communes,) = ranking["groups"]
    assert communes["tier"] == "commune"
    # B and D: 50% on time, 50% progress; E: 100% on time, 80% progress; A: 100% and 100%.
    assert [row["code"] for row in communes["bottom"]] == ["B", "D", "E", "A"]
    assert [row["weakest"] for row in communes["bottom"]] == [True, True, False, False]
    assert communes["bottom"][0]["on_time_rate"].text == "50%"
    assert communes["top"] == []


def test_the_ranking_gives_equal_rates_the_same_rank():
    report = {
        "dossiers": {
            "by_unit": [
                # A and B: 100% on time, 100% progress; C: 75% on time.
                unit_row("A", received_total=3, resolved=3, resolved_early=3),
                unit_row("B", received_total=5, resolved=5, resolved_on_time=5),
                unit_row("C", received_total=4, resolved=4, resolved_on_time=3, resolved_late=1),
                # D and E: 50% on time and 50% progress (2/4 and 1/2).
                unit_row("D", received_total=4, resolved=4, resolved_on_time=2, resolved_late=2),
                unit_row("E", received_total=2, resolved=2, resolved_early=1, resolved_late=1),
            ]
        }
    }
    (communes,) = ranked(report)["groups"]
    # Best first: A, B share rank 1, C is 3rd, D and E share rank 4; listed weakest first.
    assert [(row["code"], row["rank"]) for row in communes["bottom"]] == [
        ("D", 4),
        ("E", 4),
        ("C", 3),
        ("A", 1),
        ("B", 1),
    ]
    assert [row["weakest"] for row in communes["bottom"]] == [True, True, False, False, False]


def test_competition_ranks_skip_after_a_tie():
    assert competition_ranks([(1.0, 1.0), (1.0, 1.0), (0.5, 1.0)]) == [1, 1, 3]
    assert competition_ranks([(0.5, 0.5), (0.9, 0.1), (0.9, 0.1), (0.9, 0.2)]) == [4, 2, 2, 1]
    assert competition_ranks([]) == []


def test_the_ranking_ranks_each_level_against_its_own():
    report = {
        "dossiers": {
            "by_unit": [
                unit_row("T52", "province", received_total=0),
                # The centre and a department rank together (provincial agencies): 90% vs 80%.
                unit_row(
                    "T52.TTHCC",
                    "centre",
                    received_total=10,
                    resolved=10,
                    resolved_on_time=9,
                    resolved_late=1,
                ),
                unit_row(
                    "T52.SNNMT",
                    "department",
                    received_total=5,
                    resolved=5,
                    resolved_on_time=4,
                    resolved_late=1,
                ),
                # Communes among themselves: 50% and 100%.
                unit_row("X1", received_total=2, resolved=2, resolved_on_time=1, resolved_late=1),
                unit_row("X2", received_total=3, resolved=3, resolved_on_time=3),
            ]
        }
    }
    ranking = ranked(report, period_start="2026-10-01")
    assert ranking["count"] == 4
    # After the reform the province's agencies come first, then the communes.
    assert [group["tier"] for group in ranking["groups"]] == ["province", "commune"]
    province, communes = ranking["groups"]
    assert [(row["code"], row["rank"]) for row in province["bottom"]] == [
        ("T52.SNNMT", 2),
        ("T52.TTHCC", 1),
    ]
    assert [(row["code"], row["rank"]) for row in communes["bottom"]] == [("X1", 2), ("X2", 1)]
    # Each level has its own weakest: the department's 80% is not compared with the communes'.
    assert [row["weakest"] for row in province["bottom"]] == [True, False]
    assert [row["weakest"] for row in communes["bottom"]] == [True, False]
    # Before the reform the district's order: district, communes, province.
    before = ranked(
        {
            "dossiers": {
                "by_unit": [
                    unit_row("X1", received_total=1, resolved=1, resolved_on_time=1),
                    unit_row("H", "district", received_total=1, resolved=1, resolved_on_time=1),
                ]
            }
        }
    )
    assert [group["tier"] for group in before["groups"]] == ["district", "commune"]


def test_the_ranking_singles_out_nobody_when_all_are_equal():
    report = {
        "dossiers": {
            "by_unit": [
                unit_row(code, received_total=2, resolved=2, resolved_early=2) for code in "AB"
            ]
        }
    }
    (communes,) = ranked(report)["groups"]
    assert [row["weakest"] for row in communes["bottom"]] == [False, False]
    assert [row["rank"] for row in communes["bottom"]] == [1, 1]


def test_the_ranking_shows_both_ends_of_a_long_list_weakest_first():
    report = {
        "dossiers": {
            "by_unit": [
                unit_row(
                    f"U{n:02d}",
                    received_total=100,
                    resolved=100,
                    resolved_on_time=n,
                    resolved_late=100 - n,
                )
                for n in range(1, 13)
            ]
        }
    }
    ranking = ranked(report)
    assert ranking["count"] == 12
    (communes,) = ranking["groups"]
    assert communes["count"] == 12
    assert [row["code"] for row in communes["bottom"]] == ["U01", "U02", "U03", "U04", "U05"]
    assert [row["rank"] for row in communes["bottom"]] == [12, 11, 10, 9, 8]
    # The best five, still weakest first: the best unit (rank 1) is the last row.
    assert [row["code"] for row in communes["top"]] == ["U08", "U09", "U10", "U11", "U12"]
    assert [row["rank"] for row in communes["top"]] == [5, 4, 3, 2, 1]


@pytest.mark.django_db
def test_the_ranking_says_its_order_and_groups_the_levels(committee):
    committee.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = dashboard(committee, year=2021, quarter=1).content.decode()
    assert "Ranking of units by level, weakest first" in page
    assert "rank 1 is the best of its level" in page
    # The district desk is ranked alone; its 14 communes among themselves.
    assert page.count('data-testid="ranking-group"') == 2
    assert page.index('data-tier="district"') < page.index('data-tier="commune"')
    assert "units ranked: 14" in page


@pytest.mark.parametrize("change, text", [(3329, "+3.329"), (-2, "−2"), (0, "0")])
def test_it_writes_a_change(change, text):
    assert format_change(change) == text


@pytest.mark.parametrize(
    "change, text", [(0.015, "+1,5"), (-0.1, "−10"), (0.0, "0"), (0.00004, "0")]
)
def test_it_writes_a_change_of_rate_in_points(change, text):
    assert format_points(change) == text


def test_every_counter_has_a_column_or_is_left_out_on_purpose():
    from reports.counters import COMBINED_COLUMNS
    from reports.dashboard import TABLE_06A_GROUPS

    shown = {name for _group, names in TABLE_06A_GROUPS for name in names}
    for name in shown:
        assert name in COUNTERS or name in COMBINED_COLUMNS


@pytest.mark.django_db
def test_it_opens_on_the_latest_quarter_with_the_users_dossiers(client, demo_data):
    client.force_login(member(DISTRICT))
    # Someone looked at Q1 2021 (or the sweep computed it): its rollups exist.
    dashboard(client, year=2021, quarter=1)
    response = dashboard(client)
    assert response.status_code == 200
    assert response.context["unit"].code == DISTRICT
    period = response.context["period"]
    today = timezone.localdate()
    # The district ended in 2025: nothing of it in today's quarter, so the page opens on its
    # last quarter with dossiers (Q1 2021, or Q2 2021 if it was computed: the one carried over).
    assert not period.start <= today <= period.end
    assert (period.scheme, period.year) == ("calendar", 2021)
    assert card(response, "received_total").figure.value > 0
    assert response.context["default_note"]


@pytest.mark.parametrize(
    "today, expected",
    [
        (dt.date(2021, 3, 31), (2021, 1)),
        (dt.date(2021, 4, 1), (2021, 2)),
        (dt.date(2021, 12, 31), (2021, 4)),
    ],
)
def test_the_default_quarter_is_todays(today, expected):
    form = DashboardForm({}, today=today)
    assert form.is_valid()
    assert (form.cleaned_data["year"], form.cleaned_data["quarter"]) == expected
    assert not form.cleaned_data["period_asked"]
    asked = DashboardForm({"quarter": "1"}, today=today)
    assert asked.is_valid() and asked.cleaned_data["period_asked"]


def test_the_default_cutoff_quarter_starts_on_the_fifteenth():
    # Decree 09/2019: from 15 Dec the data belong to Q1 of the next year.
    form = DashboardForm({"scheme": "cutoff"}, today=dt.date(2021, 12, 20))
    assert form.is_valid()
    assert (form.cleaned_data["year"], form.cleaned_data["quarter"]) == (2022, 1)


# Charts and exports: the same query string as the page ------------------------------------


@pytest.mark.django_db
def test_the_page_links_its_charts_and_offers_its_exports_as_jobs(
    committee, django_capture_on_commit_callbacks
):
    import io

    import docx
    import openpyxl

    response = dashboard(committee, year=2021, quarter=1)
    charts = response.context["charts"]
    assert len(charts) == 3
    for chart in charts:
        picture = committee.get(chart["url"])
        assert picture.status_code == 200, chart["url"]
        assert picture["Content-Type"] == "image/svg+xml"
        assert picture.content.lstrip().startswith(b"<svg")
    trend = committee.get(charts[0]["url"]).content.decode()
    assert "Quý I/2021" in trend

    fields = response.context["export_fields"]
    assert fields == {"year": 2021, "quarter": 1, "scheme": "calendar", "unit": PROVINCE}
    page = response.content.decode()
    files = {}
    for export in response.context["exports"]:
        assert f'action="{export["url"]}"' in page
        with django_capture_on_commit_callbacks(execute=True):
            asked = committee.post(export["url"], fields)
        # Without htmx: the job's page; under eager Celery the job is already done.
        assert asked.status_code == 302
        job_page = committee.get(asked["Location"])
        assert job_page.context["job"].status == "done"
        download = committee.get(
            reverse("reports:export_download", args=[job_page.context["job"].pk])
        )
        assert download.status_code == 200
        files[export["fmt"]] = b"".join(download.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert workbook.sheetnames[0] == "Tổng hợp"
    document = docx.Document(io.BytesIO(files["docx"]))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "3.136" in text
    assert document.inline_shapes  # the charts are in the report


@pytest.mark.django_db
def test_charts_and_exports_keep_to_the_users_units(client, demo_data):
    from reports.models import ExportJob

    client.force_login(member(COMMUNE_A, Role.DESK_OFFICER))
    query = {"year": 2021, "quarter": 1, "unit": COMMUNE_B}
    assert client.get(reverse("reports:chart", args=["trend"]), query).status_code == 404
    assert client.post(reverse("reports:export", args=["xlsx"]), query).status_code == 404
    assert client.get(reverse("reports:chart", args=["pie"]), {"year": 2021}).status_code == 404
    bad = client.post(reverse("reports:export", args=["xlsx"]), {"year": "x", "quarter": 1})
    assert bad.status_code == 400
    assert client.post(reverse("reports:export", args=["pdf"]), query).status_code == 404
    # Asking is a POST: a link (GET) never starts an export.
    assert client.get(reverse("reports:export", args=["xlsx"]), query).status_code == 405
    assert not ExportJob.objects.exists()


# Digitisation: recorded / received per unit and the dossiers not yet recorded ------------------


@pytest.mark.django_db
def test_it_shows_the_digitisation_of_each_unit_and_links_the_dossiers_not_recorded(committee):
    response = table(committee, "digitisation", year=2021, quarter=1)
    rows = response.context["rows"]
    # Only the units that received dossiers: the district desk and its 14 communes.
    assert len(rows) == 16
    total = rows[-1]
    assert total["is_total"]
    assert (total["digitised"].text, total["received_total"].text) == ("307", "3.329")
    assert total["ratio"].text == "9,22%"
    assert total["not_digitised"].value == 3329 - 307
    units = rows[:-1]
    assert sum(row["digitised"].value for row in units) == 307
    assert sum(row["received_total"].value for row in units) == 3329
    for row in units:
        assert row["not_digitised"].value == row["received_total"].value - row["digitised"].value
        assert row["not_digitised"].url.endswith(f"unit={row['code']}&counter=not_digitised&own=1")
    assert 'data-testid="table-digitisation"' in response.content.decode()
    page = dashboard(committee, year=2021, quarter=1).content.decode()
    assert 'data-testid="digitisation"' in page
    # The drill-down lists exactly the dossiers not yet recorded.
    listed = committee.get(total["not_digitised"].url)
    assert listed.status_code == 200
    assert listed.context["page_obj"].paginator.count == 3022
    assert all(not dossier.digitised for dossier in listed.context["page_obj"])
    commune = units[1]
    listed = committee.get(commune["not_digitised"].url)
    assert listed.context["page_obj"].paginator.count == commune["not_digitised"].value


# Panels of other apps ---------------------------------------------------------------------------


@pytest.fixture
def panel_template(settings, tmp_path):
    folder = tmp_path / "panel-templates"
    (folder / "testpanel").mkdir(parents=True)
    (folder / "testpanel" / "panel.html").write_text(
        '{% load i18n %}<div class="card" data-testid="test-panel">'
        "{{ title }}: {{ unit_code }} {{ period_key }} {{ username }}"
        "{% if report %}LEAKED{% endif %}</div>",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], str(folder)]}
    ]
    return "testpanel/panel.html"


@pytest.fixture
def registered_panels():
    from reports.dashboard import DASHBOARD_PANELS

    before = list(DASHBOARD_PANELS)
    yield DASHBOARD_PANELS
    DASHBOARD_PANELS[:] = before


@pytest.mark.django_db
def test_a_panel_registered_by_another_app_is_shown_with_its_own_context(
    committee, panel_template, registered_panels
):
    from reports.dashboard import DashboardPanel, dashboard_panel_register

    calls = []

    def context(*, user, unit, period):
        calls.append((user.username, unit.code, period.key))
        return {
            "title": "Việc quá hạn",
            "unit_code": unit.code,
            "period_key": period.key,
            "username": user.username,
        }

    dashboard_panel_register(
        DashboardPanel(name="test-tasks", template_name=panel_template, context=context)
    )
    # Registering the same name again replaces it (ready() may run twice).
    dashboard_panel_register(
        DashboardPanel(name="test-tasks", template_name=panel_template, context=context)
    )
    response = dashboard(committee, year=2021, quarter=1, unit=DISTRICT)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="test-panel"') == 1
    assert 'data-panel="test-tasks"' in page
    user = response.context["user"].username
    assert f"Việc quá hạn: {DISTRICT} calendar:quarter:2021:1 {user}" in page
    assert "LEAKED" not in page  # the panel sees its own context, not the dashboard's
    assert calls == [(user, DISTRICT, "calendar:quarter:2021:1")]


@pytest.mark.django_db
def test_a_panel_without_context_or_that_fails_is_left_out(
    committee, panel_template, registered_panels, caplog
):
    from reports.dashboard import DashboardPanel, dashboard_panel_register

    def broken(*, user, unit, period):
        raise RuntimeError("committee tables missing")

    dashboard_panel_register(
        DashboardPanel(name="nothing", template_name=panel_template, context=lambda **_: None)
    )
    dashboard_panel_register(
        DashboardPanel(name="broken", template_name=panel_template, context=broken)
    )
    response = dashboard(committee, year=2021, quarter=1)
    assert response.status_code == 200
    assert 'data-testid="panel"' not in response.content.decode()
    assert "Dashboard panel broken failed" in caplog.text


def test_panels_are_shown_in_their_order():
    from reports.dashboard import DASHBOARD_PANELS, DashboardPanel, dashboard_panels

    before = list(DASHBOARD_PANELS)
    try:
        DASHBOARD_PANELS[:] = [
            DashboardPanel(name="b", template_name="x.html", context=lambda **_: {"n": 2}),
            DashboardPanel(name="a", template_name="x.html", context=lambda **_: {"n": 3}),
            DashboardPanel(
                name="z", template_name="x.html", context=lambda **_: {"n": 1}, order=10
            ),
        ]
        shown = dashboard_panels(user=None, unit=None, period=None)
    finally:
        DASHBOARD_PANELS[:] = before
    assert [(panel.name, context["n"]) for panel, context in shown] == [
        ("z", 1),
        ("a", 3),
        ("b", 2),
    ]
