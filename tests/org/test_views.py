"""The UI shell: login, each role's home, the unit tree and the working calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.models import CalendarOverride, Role, UnitLevel
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "cchc-test-password"


@pytest.fixture(autouse=True)
def _fresh_working_calendar():
    # The calendar is cached across requests; rolled-back overrides must not leak between tests.
    cache.clear()
    yield
    cache.clear()


def logged_in(role: str, unit, **user_fields) -> Client:
    membership = MembershipFactory(role=role, unit=unit, user=UserFactory(**user_fields))
    client = Client()
    client.force_login(membership.user)
    return client


# Login and language ---------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["home", "org:unit_list", "org:calendar"])
def test_it_redirects_anonymous_users_to_login(client: Client, url_name: str) -> None:
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_it_shows_the_login_page_in_vietnamese_by_default(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert "Đăng nhập vào Cổng CCHC" in response.text
    assert "Tên đăng nhập" in response.text
    assert "Mật khẩu" in response.text


def test_it_shows_the_login_page_in_english_after_switching(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302

    response = client.get(reverse("login"))
    assert '<html lang="en">' in response.text
    assert "Log in to the CCHC Portal" in response.text
    assert "Đăng nhập vào" not in response.text


def test_it_serves_bootstrap_locally(client: Client) -> None:
    response = client.get(reverse("login"))
    assert "/static/bootstrap/css/bootstrap.min.css" in response.text
    assert "/static/bootstrap/js/bootstrap.bundle.min.js" in response.text
    assert "cdn" not in response.text.lower()


def test_it_explains_a_wrong_password(client: Client, district) -> None:
    MembershipFactory(user=UserFactory(username="an"), unit=district)
    response = client.post(reverse("login"), {"username": "an", "password": "wrong"})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.text
    assert "_auth_user_id" not in client.session


def test_it_logs_in_and_lands_on_home(client: Client, district) -> None:
    MembershipFactory(user=UserFactory(username="an"), unit=district)
    response = client.post(reverse("login"), {"username": "an", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_it_logs_out_with_post(district) -> None:
    client = logged_in(Role.DESK_OFFICER, district)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


# Homes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, heading",
    [
        (Role.DESK_OFFICER, "Bộ phận một cửa – UBND huyện Văn Lâm"),
        (Role.PROCESSING_OFFICER, "Chuyên viên xử lý – UBND huyện Văn Lâm"),
        (Role.UNIT_LEADER, "Lãnh đạo đơn vị – UBND huyện Văn Lâm"),
        (Role.COMMITTEE_MEMBER, "Ban chỉ đạo CCHC – UBND tỉnh Hưng Yên"),
        (Role.ADMINISTRATOR, "Quản trị hệ thống – UBND tỉnh Hưng Yên"),
    ],
)
def test_it_shows_each_role_its_own_home(role: str, heading: str, district, commune) -> None:
    client = logged_in(role, district)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert heading in response.text


def test_it_shows_the_desk_officer_today_and_their_unit(district) -> None:
    client = logged_in(Role.DESK_OFFICER, district, first_name="Lan", last_name="Trần")
    response = client.get(reverse("home"))
    assert "Hôm nay" in response.text
    assert "000.00.12.H30" in response.text
    # The navbar names the user, their unit and their role.
    assert "Trần Lan" in response.text  # family name first
    assert "Cán bộ một cửa" in response.text


def test_it_shows_the_unit_leader_their_subtree(district, commune) -> None:
    other = UnitFactory(name="UBND huyện Khác", level=UnitLevel.DISTRICT, parent=district.parent)
    client = logged_in(Role.UNIT_LEADER, district)
    response = client.get(reverse("home"))
    assert "UBND xã Lạc Đạo" in response.text
    assert other.name not in response.text


def test_it_counts_units_by_level_for_the_committee(province, district, commune) -> None:
    UnitFactory(level=UnitLevel.COMMUNE, parent=district)
    client = logged_in(Role.COMMITTEE_MEMBER, commune)
    response = client.get(reverse("home"))
    counts = {row.label: row.total for row in response.context["level_counts"]}
    assert counts == {"Tỉnh": 1, "Huyện": 1, "Xã": 2}


def test_it_links_administrators_to_the_django_admin(district) -> None:
    client = logged_in(Role.ADMINISTRATOR, district, is_staff=True)
    response = client.get(reverse("home"))
    assert reverse("admin:index") in response.text
    assert reverse("admin:org_membership_changelist") in response.text


def test_it_hides_admin_navigation_from_desk_officers(district) -> None:
    response = logged_in(Role.DESK_OFFICER, district).get(reverse("home"))
    assert reverse("admin:index") not in response.text
    assert reverse("org:unit_list") in response.text


def test_it_asks_users_without_a_unit_to_contact_the_administrator() -> None:
    client = Client()
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Chưa được phân công đơn vị" in response.text
    assert "quản trị viên" in response.text


# Unit list ------------------------------------------------------------------------------


def test_bob_may_not_see_alices_unit(province) -> None:
    alice_unit = UnitFactory(name="Xã của Alice", parent=province)
    bob_unit = UnitFactory(name="Xã của Bob", parent=province)
    MembershipFactory(unit=alice_unit, user=UserFactory(username="alice"))
    client = logged_in(Role.UNIT_LEADER, bob_unit, username="bob")

    response = client.get(reverse("org:unit_list"))
    assert "Xã của Bob" in response.text
    assert "Xã của Alice" not in response.text
    assert "UBND tỉnh Hưng Yên" not in response.text


def test_it_searches_units_by_code_and_name(district, commune) -> None:
    client = logged_in(Role.UNIT_LEADER, district)
    by_name = client.get(reverse("org:unit_list"), {"q": "Lạc Đạo"})
    assert [row["unit"] for row in by_name.context["rows"]] == [commune]
    by_code = client.get(reverse("org:unit_list"), {"q": "000.00.12"})
    assert [row["unit"] for row in by_code.context["rows"]] == [district]


def test_it_indents_the_tree_under_the_users_unit(district, commune) -> None:
    client = logged_in(Role.UNIT_LEADER, district)
    rows = client.get(reverse("org:unit_list")).context["rows"]
    assert [(row["unit"], row["depth"]) for row in rows] == [(district, 0), (commune, 1)]


def test_it_shows_successors_of_merged_units(district, commune) -> None:
    merged = UnitFactory(
        name="Xã sáp nhập", parent=district, valid_to=dt.date(2025, 6, 30), successor=commune
    )
    client = logged_in(Role.UNIT_LEADER, district)
    response = client.get(reverse("org:unit_list"))
    assert merged.name in response.text
    assert "30/06/2025" in response.text
    assert "không còn hiệu lực" in response.text


def test_it_paginates_units(district) -> None:
    UnitFactory.create_batch(60, parent=district)
    client = logged_in(Role.UNIT_LEADER, district)
    first = client.get(reverse("org:unit_list"))
    second = client.get(reverse("org:unit_list"), {"page": 2})
    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 11
    assert "Trang 2/2" in second.text


def _unit_list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("org:unit_list"))
    assert response.status_code == 200
    return len(queries)


def test_the_unit_list_query_count_does_not_grow_with_units(district) -> None:
    successor = UnitFactory(parent=district)
    UnitFactory.create_batch(4, parent=district, successor=successor)
    client = logged_in(Role.UNIT_LEADER, district)
    with_few = _unit_list_queries(client)

    UnitFactory.create_batch(45, parent=district, successor=successor)
    assert _unit_list_queries(client) == with_few


def test_the_home_query_count_does_not_grow_with_units(district) -> None:
    UnitFactory.create_batch(5, parent=district)
    client = logged_in(Role.ADMINISTRATOR, district, is_staff=True)
    client.get(reverse("home"))  # warm the working-calendar cache
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    UnitFactory.create_batch(45, parent=district)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many) == len(few)


# Working calendar -----------------------------------------------------------------------


def test_it_lists_the_years_holidays_and_working_days(district) -> None:
    client = logged_in(Role.DESK_OFFICER, district)
    response = client.get(reverse("org:calendar"), {"year": 2025})
    assert response.status_code == 200
    assert "Lịch làm việc 2025" in response.text
    assert "Giỗ Tổ Hùng Vương" in response.text
    assert "07/04/2025" in response.text
    assert response.context["working_days"] == sum(
        m.working_days for m in response.context["months"]
    )
    assert 240 < response.context["working_days"] < 260


def test_it_lists_the_years_overrides(district) -> None:
    CalendarOverride.objects.create(
        date=dt.date(2025, 12, 31),
        kind=CalendarOverride.Kind.DAY_OFF,
        notice="Thông báo 1/TB-UBND",
    )
    client = logged_in(Role.DESK_OFFICER, district)
    before = client.get(reverse("org:calendar"), {"year": 2025}).context["working_days"]
    response = client.get(reverse("org:calendar"), {"year": 2025})
    assert "Thông báo 1/TB-UBND" in response.text
    assert "Ngày nghỉ" in response.text
    CalendarOverride.objects.all().delete()
    assert client.get(reverse("org:calendar"), {"year": 2025}).context["working_days"] == before + 1


def test_it_defaults_to_the_current_year(district) -> None:
    client = logged_in(Role.DESK_OFFICER, district)
    response = client.get(reverse("org:calendar"), {"year": "not-a-year"})
    assert response.context["year"] == dt.date.today().year


def test_it_computes_a_due_date_skipping_tet(district) -> None:
    client = logged_in(Role.DESK_OFFICER, district)
    response = client.get(
        reverse("org:calendar"), {"received_at": "2021-02-09T16:30", "working_days": 3}
    )
    result = response.context["due_date"]
    assert result.due_at.strftime("%Y-%m-%d %H:%M") == "2021-02-19 16:30"
    assert "16:30" in response.text
    assert "19/02/2021" in response.text


def test_it_rejects_a_negative_processing_time(district) -> None:
    client = logged_in(Role.DESK_OFFICER, district)
    response = client.get(
        reverse("org:calendar"), {"received_at": "2021-02-09T16:30", "working_days": -1}
    )
    assert response.context["due_date"] is None
    assert response.context["form"].errors


def test_it_shows_superusers_without_a_unit_the_whole_tree(province, district) -> None:
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("home"))
    assert "Quản trị hệ thống – tất cả đơn vị" in response.text
    assert response.context["visible_count"] == 2


def test_it_stays_vietnamese_for_an_english_browser(client):
    response = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()
