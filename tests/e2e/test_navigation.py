"""Each role logs in through the real form, lands on its own home, sees its menu, logs out."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from org.models import Role, UnitLevel
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "cchc-test-password"
HOME = ["Trang chủ", "Hồ sơ"]
DESK = ["Tiếp nhận hồ sơ", "Sổ theo dõi"]
EVERYONE = ["Bảng điều hành"]
# Dropdowns of the bar and what each holds (everyone sees the first two).
GROUPS = {
    "Ban chỉ đạo CCHC": ["Nhiệm vụ được giao", "Chỉ số CCHC"],
    "Danh mục": ["Thủ tục hành chính", "Đơn vị", "Lịch làm việc"],
}
# The administrator's own dropdown, so that the bar fits 1366 pixels.
ADMIN_GROUP = {"Quản trị": ["Trang quản trị", "API"]}


@pytest.fixture
def district():
    province = UnitFactory(
        code="000.00.00.H30", name="UBND tỉnh Hưng Yên", level=UnitLevel.PROVINCE
    )
    district = UnitFactory(
        code="000.00.12.H30", name="UBND huyện Văn Lâm", level=UnitLevel.DISTRICT, parent=province
    )
    for number in range(1, 4):
        UnitFactory(
            code=f"000.12.3{number}.H30",
            name=f"UBND xã Lạc Đạo {number}",
            level=UnitLevel.COMMUNE,
            parent=district,
        )
    return district


def log_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/dang-nhap/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập vào Cổng CCHC")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.parametrize(
    "role, heading, menu, groups",
    [
        (
            Role.DESK_OFFICER,
            "Bộ phận một cửa – UBND huyện Văn Lâm",
            HOME + DESK + EVERYONE,
            GROUPS,
        ),
        (
            Role.PROCESSING_OFFICER,
            "Chuyên viên xử lý – UBND huyện Văn Lâm",
            HOME + EVERYONE,
            GROUPS,
        ),
        (Role.UNIT_LEADER, "Lãnh đạo đơn vị – UBND huyện Văn Lâm", HOME + DESK + EVERYONE, GROUPS),
        (Role.COMMITTEE_MEMBER, "Ban chỉ đạo CCHC – UBND tỉnh Hưng Yên", HOME + EVERYONE, GROUPS),
        (
            Role.ADMINISTRATOR,
            "Quản trị hệ thống – UBND tỉnh Hưng Yên",
            HOME + EVERYONE,
            GROUPS | ADMIN_GROUP,
        ),
    ],
)
def test_each_role_lands_on_its_home_and_sees_its_menu(
    page: Page,
    live_server,
    district,
    role: str,
    heading: str,
    menu: list[str],
    groups: dict[str, list[str]],
) -> None:
    user = UserFactory(
        username=f"user-{role}",
        first_name="Lan",
        last_name="Trần",
        is_staff=role == Role.ADMINISTRATOR,
    )
    MembershipFactory(user=user, unit=district, role=role)

    log_in(page, live_server.url, user.username)

    expect(page.get_by_test_id("home-heading")).to_have_text(heading)
    expect(page.get_by_test_id("nav-items").get_by_role("link")).to_have_text(menu)
    nav = page.get_by_test_id("nav-items")
    for group, items in groups.items():
        nav.get_by_role("button", name=group).click()
        expect(nav.locator(".dropdown-menu.show").get_by_role("link")).to_have_text(items)
        nav.get_by_role("button", name=group).click()
    for hidden in set(HOME + DESK + EVERYONE) - set(menu):
        expect(nav.get_by_role("link", name=hidden)).to_have_count(0)
    for hidden in set(ADMIN_GROUP) - set(groups):
        expect(nav.get_by_role("button", name=hidden)).to_have_count(0)
    expect(page.get_by_test_id("current-user")).to_contain_text("UBND huyện Văn Lâm")
    expect(page.get_by_test_id("current-user")).to_contain_text(str(Role(role).label))

    page.get_by_test_id("logout").click()
    expect(page).to_have_url(f"{live_server.url}/dang-nhap/")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/dang-nhap/?next=/")


def test_a_wrong_password_is_explained(page: Page, live_server, district) -> None:
    MembershipFactory(user=UserFactory(username="lan"), unit=district)
    log_in(page, live_server.url, "lan", password="not-the-password")
    expect(page.get_by_test_id("login-error")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu")


def test_the_language_switch_turns_the_portal_english(page: Page, live_server, district) -> None:
    MembershipFactory(user=UserFactory(username="lan"), unit=district, role=Role.UNIT_LEADER)
    log_in(page, live_server.url, "lan")
    expect(page.get_by_test_id("home-heading")).to_have_text("Lãnh đạo đơn vị – UBND huyện Văn Lâm")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_test_id("home-heading")).to_have_text("Unit leader – UBND huyện Văn Lâm")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_test_id("home-heading")).to_have_text("Lãnh đạo đơn vị – UBND huyện Văn Lâm")


def test_the_unit_list_and_calendar_work_in_the_browser(page: Page, live_server, district) -> None:
    MembershipFactory(user=UserFactory(username="lan"), unit=district, role=Role.UNIT_LEADER)
    log_in(page, live_server.url, "lan")

    page.get_by_test_id("nav-items").get_by_role("button", name="Danh mục").click()
    page.get_by_test_id("nav-items").get_by_role("link", name="Đơn vị").click()
    expect(page.get_by_test_id("unit-table").locator("tbody tr")).to_have_count(4)
    page.get_by_placeholder("Tìm theo mã hoặc tên").fill("Lạc Đạo 2")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_test_id("unit-table").locator("tbody tr")).to_have_count(1)

    page.get_by_test_id("nav-items").get_by_role("button", name="Danh mục").click()
    page.get_by_test_id("nav-items").get_by_role("link", name="Lịch làm việc").click()
    page.get_by_label("Thời điểm tiếp nhận").fill("2021-02-09T16:30")
    page.get_by_label("Thời hạn giải quyết (ngày làm việc)").fill("3")
    page.get_by_role("button", name="Tính", exact=True).click()
    expect(page.get_by_test_id("due-date-result")).to_contain_text("16:30")
    expect(page.get_by_test_id("due-date-result")).to_contain_text("19/02/2021")


def test_the_home_page_fits_an_office_screen(page: Page, live_server, district) -> None:
    """At 1366×768 the home page has no horizontal scroll; the screenshot is for a human look."""
    user = UserFactory(username="motcua", first_name="Lan", last_name="Trần")
    MembershipFactory(user=user, unit=district, role=Role.DESK_OFFICER)
    log_in(page, live_server.url, "motcua")
    expect(page.get_by_test_id("home-heading")).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path="/tmp/cchc-home.png")
