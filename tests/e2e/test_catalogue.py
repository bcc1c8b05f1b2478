"""An administrator drafts a procedure in the admin, publishes it, and a citizen finds it."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from org.models import Role
from procedures.models import ProcedureVersion
from tests.e2e.test_navigation import log_in
from tests.factories import MembershipFactory, SectorFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_administrator_publishes_a_procedure_that_the_catalogue_then_shows(
    page: Page, live_server
) -> None:
    user = UserFactory(username="quantri", first_name="Lan", last_name="Trần", is_staff=True)
    MembershipFactory(user=user, role=Role.ADMINISTRATOR)
    sector = SectorFactory(code="HT", name="Hộ tịch")
    log_in(page, live_server.url, "quantri")
    expect(page.get_by_test_id("home-heading")).to_be_visible()

    page.goto(f"{live_server.url}/admin/procedures/procedureversion/add/")
    page.locator('[name="code"]').fill("1.001193")
    page.locator('[name="name"]').fill("Đăng ký kết hôn")
    page.locator('[name="sector"]').select_option(str(sector.pk))
    page.locator('[name="online_level"]').select_option("partial")
    page.locator('[name="processing_time"]').fill("3")
    page.locator('[name="levels-0-level"]').select_option("commune")
    page.screenshot(path="/tmp/cchc-admin-add.png", full_page=True)
    page.locator('input[name="_save"]').click()
    # Django's admin takes you back to the list, with the new draft on it.
    expect(page.locator("#result_list")).to_contain_text("Đăng ký kết hôn")
    draft = ProcedureVersion.objects.get(procedure__code="1.001193")
    assert draft.status == "draft"

    page.goto(f"{live_server.url}/admin/procedures/procedureversion/{draft.pk}/change/")
    page.get_by_test_id("version-action").first.click()
    expect(page.get_by_test_id("confirm-form")).to_be_visible()
    page.screenshot(path="/tmp/cchc-admin-publish.png")
    page.locator('[name="valid_from"]').fill(timezone.localdate().isoformat())
    page.locator('input[name="confirm"]').click()
    expect(page.locator(".messagelist")).to_contain_text(timezone.localdate().strftime("%d/%m/%Y"))
    draft.refresh_from_db()
    assert draft.status == "published"
    page.screenshot(path="/tmp/cchc-admin-published.png", full_page=True)

    page.goto(f"{live_server.url}/thu-tuc/")
    search = page.get_by_test_id("catalogue-search")
    search.locator('[name="q"]').fill("dang ky ket hon")
    search.get_by_role("button", name="Tìm kiếm").click()
    rows = page.get_by_test_id("procedure-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("1.001193")
    page.screenshot(path="/tmp/cchc-catalogue.png")

    rows.get_by_role("link", name="Đăng ký kết hôn").click()
    expect(page.get_by_test_id("procedure-name")).to_have_text("Đăng ký kết hôn")
    expect(page.get_by_test_id("procedure-code")).to_have_text("1.001193")
    expect(page.get_by_test_id("procedure-facts")).to_contain_text("Hộ tịch")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path="/tmp/cchc-procedure.png", full_page=True)
