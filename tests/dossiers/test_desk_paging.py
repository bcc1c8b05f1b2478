"""The queue page at scale (DESIGN §5): counts stop at a cap and say "10,000+", pages follow a
cursor (sort key, id) instead of a page number, so every page costs the same queries; a damaged
page link answers 400. The API list counts and pages only up to the same cap."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from dossiers import api, views
from dossiers.queues import Cursor
from dossiers.selectors import dossier_search, dossiers_visible_to, search_matches
from dossiers.services import dossier_transfer
from org.models import Role
from tests.factories import (
    MembershipFactory,
    UnitFactory,
    local,
    logged_in,
    published_procedure,
    received_dossier,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def commune():
    return UnitFactory(code="000.12.34.H30", name="UBND xã Lạc Đạo")


@pytest.fixture
def officer(commune):
    return MembershipFactory(role=Role.DESK_OFFICER, unit=commune).user


@pytest.fixture
def client(officer) -> Client:
    return logged_in(officer)


@pytest.fixture
def seven(commune) -> list[str]:
    """Seven new dossiers, received in this order (ids grow with it), three of them at the same
    minute and two pairs likewise: the pages must break ties by id. Same procedure (3 working
    days), so the due dates tie the same way."""
    version = published_procedure(code="1.000001")
    times = [
        "2021-03-02 09:00",  # d1
        "2021-03-02 09:00",  # d2
        "2021-03-01 09:00",  # d3
        "2021-03-03 09:00",  # d4
        "2021-03-02 09:00",  # d5
        "2021-03-01 09:00",  # d6
        "2021-03-03 09:00",  # d7
    ]
    return [
        received_dossier(desk=commune, procedure_version=version, received_at=local(at)).code
        for at in times
    ]


def page(client: Client, link: str) -> tuple[list[str], str, str, int]:
    """The codes a page link lists, its previous / next links, and its number of queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dossiers:queue") + link)
    assert response.status_code == 200
    codes = [row.dossier.code for row in response.context["rows"]]
    return codes, response.context["previous_url"], response.context["next_url"], len(queries)


def walk(client: Client, first: str) -> tuple[list[list[str]], list[str], list[int]]:
    """Every page from ``first`` following "next", the previous link of each, the queries."""
    pages, previous_links, query_counts = [], [], []
    link = first
    while link:
        codes, previous, link, queries = page(client, link)
        pages.append(codes)
        previous_links.append(previous)
        query_counts.append(queries)
    return pages, previous_links, query_counts


@pytest.mark.parametrize(
    "queue, expected",
    [
        # Newest first; equal receipt times: the later id first.
        ("all", [7, 4, 5, 2, 1, 6, 3]),
        # Due first; equal due dates: the earlier id first.
        ("new", [3, 6, 1, 2, 5, 4, 7]),
    ],
)
def test_next_and_previous_pages_give_every_dossier_once_in_order(
    queue, expected, seven, client, monkeypatch
) -> None:
    monkeypatch.setattr(views, "DOSSIERS_PER_PAGE", 2)
    codes = [seven[n - 1] for n in expected]
    client.get(reverse("dossiers:queue"))  # warm the working-calendar cache

    pages, previous_links, query_counts = walk(client, f"?queue={queue}")
    assert pages == [codes[0:2], codes[2:4], codes[4:6], codes[6:7]]
    assert previous_links[0] == ""
    assert len(set(query_counts)) == 1, query_counts

    # Back from the last page to the first through the "previous" links.
    backwards, link = [], previous_links[-1]
    while link:
        codes_back, link, _next, queries = page(client, link)
        backwards.append(codes_back)
        query_counts.append(queries)
    assert backwards == pages[-2::-1]
    assert len(set(query_counts)) == 1, query_counts


def test_search_results_page_by_cursor_too(seven, client, monkeypatch) -> None:
    monkeypatch.setattr(views, "DOSSIERS_PER_PAGE", 3)
    pages, _previous, _queries = walk(client, "?queue=all&q=000.12.34.H30-2103")
    assert [code for codes in pages for code in codes] == [
        seven[n - 1] for n in (7, 4, 5, 2, 1, 6, 3)
    ]
    assert all("q=000.12.34.H30-2103" in link for link in _previous[1:])


@pytest.mark.parametrize(
    "params",
    [
        {"after": "x"},
        {"after": "1614650400000000"},
        {"after": "1614650400000000_"},
        {"before": "1614650400000000_-3"},
        {"after": "1614650400000000_9223372036854775808"},  # beyond a bigint
        {"after": "99999999999999999999_1"},  # beyond the year 9999
        {"before": "-99999999999999999_1"},  # before the year 1
        {"after": "1614650400000000_1", "before": "1614650400000000_1"},
    ],
)
def test_a_damaged_page_link_is_a_bad_request(params, seven, client) -> None:
    response = client.get(reverse("dossiers:queue"), {"queue": "all", **params})
    assert response.status_code == 400
    assert "This page link is damaged or incomplete" in response.text


def test_a_cursor_past_the_end_lists_nothing_and_leads_back(seven, client) -> None:
    codes, previous, following, _queries = page(client, "?queue=all&after=0_0")
    assert codes == []
    assert following == ""
    assert previous == "?queue=all"


def test_a_cursor_before_the_start_lists_nothing_and_leads_back(seven, client) -> None:
    codes, previous, following, _queries = page(client, "?queue=new&before=0_0")
    assert codes == []
    assert following == ""
    assert previous == "?queue=new"


def test_a_cursor_reads_back_as_itself() -> None:
    cursor = Cursor(key=local("2021-03-02 09:00"), id=42)
    assert str(cursor) == "1614650400000000_42"
    assert Cursor.parse(str(cursor)) == cursor


# The desk's dossiers ----------------------------------------------------------------------------


def test_the_desk_sees_its_own_merged_and_handed_over_dossiers_only(commune, officer) -> None:
    """``dossiers_visible_to`` writes the units out as ids for the database's sake: the set is
    still the units' rule, merged communes and handed-over dossiers included."""
    absorbed = UnitFactory(name="Xã cũ", successor=commune)  # merged into the officer's commune
    other = UnitFactory(name="Xã khác")
    version = published_procedure(code="1.000001")
    own = received_dossier(desk=commune, procedure_version=version)
    inherited = received_dossier(desk=absorbed, procedure_version=version)
    handed_over = dossier_transfer(
        dossier=received_dossier(desk=other, procedure_version=version),
        to_unit=commune,
        by=None,
        at=local("2021-03-02 10:00"),
    )
    received_dossier(desk=other, procedure_version=version)  # not the officer's

    listed = set(dossiers_visible_to(officer).values_list("code", flat=True))
    assert listed == {own.code, inherited.code, handed_over.code}


# Capped counts ----------------------------------------------------------------------------------


def five_new_dossiers(desk) -> None:
    version = published_procedure(code="1.000001")
    for _ in range(5):
        received_dossier(desk=desk, procedure_version=version)


def test_a_count_above_the_cap_shows_the_cap_and_a_plus(commune, client, monkeypatch) -> None:
    monkeypatch.setattr(views, "TAB_COUNT_CAP", 3)
    five_new_dossiers(commune)
    response = client.get(reverse("dossiers:queue"), {"queue": "all"})
    tabs = {tab.name: tab for tab in response.context["tabs"]}
    assert (tabs["all"].count_text, tabs["all"].capped) == ("3+", True)
    assert (tabs["new"].count_text, tabs["new"].capped) == ("3+", True)
    assert (tabs["ready"].count_text, tabs["ready"].capped) == ("0", False)
    assert 'data-testid="count-all">3+</span>' in response.text
    assert "3+ dossiers" in response.text
    # Every row is still listed: the cap is on counting, not on the list.
    assert len(response.context["rows"]) == 5


def test_counts_under_the_cap_are_exact(commune, client, monkeypatch) -> None:
    monkeypatch.setattr(views, "TAB_COUNT_CAP", 5)
    five_new_dossiers(commune)
    response = client.get(reverse("dossiers:queue"), {"queue": "new"})
    tabs = {tab.name: tab for tab in response.context["tabs"]}
    assert (tabs["all"].count, tabs["all"].count_text, tabs["all"].capped) == (5, "5", False)
    assert "5 dossiers" in response.text


@pytest.mark.parametrize(
    "language, count, shown",
    [
        ("vi", 10_001, "10.000+"),
        ("en", 10_001, "10,000+"),
        ("vi", 1_234, "1.234"),
        ("en", 10_000, "10,000"),
        ("vi", 7, "7"),
    ],
)
def test_counts_are_written_in_the_language_of_the_page(language, count, shown) -> None:
    with translation.override(language):
        assert views.count_text(count, 10_000) == shown


# The API list -----------------------------------------------------------------------------------


def test_the_api_list_counts_and_pages_only_up_to_the_cap(commune, officer, monkeypatch) -> None:
    monkeypatch.setattr(api, "COUNT_CAP", 3)
    version = published_procedure(code="1.000001")
    codes = [
        received_dossier(
            desk=commune, procedure_version=version, received_at=local(f"2021-03-0{day} 09:00")
        ).code
        for day in (1, 2, 3, 4, 5)
    ]
    client = APIClient()
    client.force_login(officer)
    body = client.get("/api/v1/dossiers/").json()
    assert (body["count"], body["count_capped"]) == (3, True)
    assert [row["code"] for row in body["results"]] == codes[:1:-1]  # the newest three
    assert client.get("/api/v1/dossiers/", {"page": 2}).status_code == 404

    narrowed = client.get("/api/v1/dossiers/", {"received_to": "2021-03-02"}).json()
    assert (narrowed["count"], narrowed["count_capped"]) == (2, False)
    assert [row["code"] for row in narrowed["results"]] == [codes[1], codes[0]]


# A search read once -----------------------------------------------------------------------------


def test_a_search_is_read_once_and_gives_the_same_dossiers(commune, officer) -> None:
    """Up to the cap, the matches are read once and the page and counts use their ids; over
    it, the search itself. Either way: the same dossiers, and never one outside the scope."""
    version = published_procedure(code="1.000001")
    wanted = {
        received_dossier(desk=commune, procedure_version=version, applicant={"name": name}).code
        for name in ("Nguyễn Văn An", "Ông Nguyễn Văn An", "Lê Nguyễn Văn Anh")
    }
    received_dossier(desk=commune, procedure_version=version, applicant={"name": "Trần Thị Hà"})
    received_dossier(
        desk=UnitFactory(name="Xã khác"),
        procedure_version=version,
        applicant={"name": "Nguyễn Văn An"},
    )
    matching = dossier_search(dossiers_visible_to(officer), "Nguyễn Văn An")

    read_once = search_matches(matching, cap=3)
    assert set(read_once.values_list("code", flat=True)) == wanted
    with CaptureQueriesContext(connection) as queries:
        over_the_cap = search_matches(matching, cap=2)
    assert len(queries) == 1 and over_the_cap is matching
    assert set(over_the_cap.values_list("code", flat=True)) == wanted
    assert not search_matches(dossier_search(dossiers_visible_to(officer), "Phạm")).exists()
