"""The dossiers behind a figure of the dashboard: the same counting rules, scoped by the user's
units, a page at a time."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db

PROVINCE = "000.00.00.H21"
DISTRICT = "000.00.37.H21"
COMMUNE_A = "001.37.H21"
COMMUNE_B = "002.37.H21"
Q1_2021 = "calendar:quarter:2021:1"


def drilldown(client, **params):
    return client.get(reverse("reports:drilldown"), params)


def listed(response) -> int:
    assert response.status_code == 200
    return response.context["page_obj"].paginator.count


def test_the_one_dossier_in_progress_is_the_communes(committee):
    response = drilldown(committee, period=Q1_2021, unit=PROVINCE, counter="in_progress")
    assert listed(response) == 1
    (dossier,) = response.context["page_obj"]
    assert dossier.receiving_unit.code == COMMUNE_A
    assert dossier.received_date == dt.date(2021, 3, 31)
    assert reverse("dossiers:detail", args=[dossier.code]) in response.content.decode()


def test_no_dossier_was_resolved_late(committee):
    response = drilldown(committee, period=Q1_2021, unit=PROVINCE, counter="resolved_late")
    assert listed(response) == 0


def test_it_lists_as_many_dossiers_as_the_dashboard_counts(committee):
    page = committee.get(reverse("reports:dashboard"), {"year": 2021, "quarter": 1})
    by_unit = committee.get(reverse("reports:dashboard_units"), {"year": 2021, "quarter": 1})
    commune = next(row for row in by_unit.context["rows"] if row.get("code") == COMMUNE_B)
    assert commune["cells"][0].value == 188
    assert listed(committee.get(commune["cells"][0].url)) == 188
    response = drilldown(committee, period=Q1_2021, unit=COMMUNE_B, counter="received_total")
    assert listed(response) == 188
    # Every figure of the by-level table and of the cards leads to as many dossiers.
    for row in page.context["by_level"]:
        for cell in row["cells"]:
            assert listed(committee.get(cell.url)) == cell.value, cell.url
    for card in page.context["cards"]:
        if card.detail:
            for figure in card.detail:
                assert listed(committee.get(figure.url)) == figure.value, figure.url
        else:
            assert listed(committee.get(card.figure.url)) == card.figure.value


def test_a_unit_alone_or_with_its_subtree(committee):
    # The district desk received 193; with its 14 communes (3,136) the whole district 3,329.
    own = drilldown(committee, period=Q1_2021, unit=DISTRICT, counter="received_total", own="1")
    assert listed(own) == 193
    subtree = drilldown(committee, period=Q1_2021, unit=DISTRICT, counter="received_total")
    assert listed(subtree) == 3329
    communes = drilldown(
        committee, period=Q1_2021, unit=PROVINCE, counter="received_total", level="commune"
    )
    assert listed(communes) == 3136


def test_a_desk_officer_cannot_look_into_another_commune(client, demo_data):
    client.force_login(member(COMMUNE_A, role=Role.DESK_OFFICER))
    other = drilldown(client, period=Q1_2021, unit=COMMUNE_B, counter="received_total")
    assert other.status_code == 404
    above = drilldown(client, period=Q1_2021, unit=DISTRICT, counter="in_progress")
    assert above.status_code == 404
    own = drilldown(client, period=Q1_2021, unit=COMMUNE_A, counter="in_progress")
    assert listed(own) == 1


def test_a_unit_that_does_not_exist_answers_as_one_the_user_may_not_see(client, demo_data):
    client.force_login(member(COMMUNE_A, role=Role.DESK_OFFICER))
    for view in ("reports:drilldown", "reports:drilldown_export"):
        send = client.get if view == "reports:drilldown" else client.post
        hidden = send(reverse(view), {"period": Q1_2021, "unit": COMMUNE_B, "counter": "resolved"})
        missing = send(reverse(view), {"period": Q1_2021, "unit": "NOPE", "counter": "resolved"})
        assert (hidden.status_code, missing.status_code) == (404, 404), view


def test_it_needs_a_login(client):
    response = drilldown(client, period=Q1_2021, unit=PROVINCE, counter="resolved")
    assert response.status_code == 302


@pytest.mark.parametrize(
    "params, message",
    [
        ({"period": Q1_2021, "unit": PROVINCE, "counter": "nope"}, "Select a valid choice."),
        (
            {"period": "calendar:quarter:2021:9", "unit": PROVINCE, "counter": "resolved"},
            "Unknown period",
        ),
        ({"period": "garbage", "unit": PROVINCE, "counter": "resolved"}, "Unknown period"),
        ({"period": Q1_2021, "counter": "resolved"}, "This field is required."),
        (
            {"period": "calendar:quarter:2099:1", "unit": PROVINCE, "counter": "resolved"},
            "has not started",
        ),
        (
            {"period": Q1_2021, "unit": PROVINCE, "counter": "resolved", "level": "galaxy"},
            "Select a valid choice.",
        ),
    ],
)
def test_it_refuses_bad_parameters(committee, params, message):
    committee.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = drilldown(committee, **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_its_query_count_does_not_grow_with_the_dossiers(committee):
    def queries(**params) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = drilldown(committee, period=Q1_2021, unit=PROVINCE, **params)
        assert response.status_code == 200
        return len(captured), len(response.context["page_obj"])

    few, rows_few = queries(counter="in_progress")
    many, rows_many = queries(counter="received_total")
    assert (rows_few, rows_many) == (1, 25)
    assert few == many
    last_page, _rows = queries(counter="received_total", page="134")
    assert last_page == many
