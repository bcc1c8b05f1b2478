"""The steering committee's dashboard in real Chromium on the demo's Q1 2021: the seed figures,
the drill-down from "in progress" to the one commune dossier, both exports downloaded, and a
1366×768 screenshot kept in var/test-artefacts/ for a human look."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl
import pytest
from playwright.sync_api import Page, expect

from dossiers.demo import demo_dossiers_load
from org.demo import demo_organisation_load
from org.models import Role, Unit
from procedures.demo import demo_catalogue_load
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "cchc-test-password"
ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts"


def test_a_committee_member_reads_the_quarter_and_drills_down(page: Page, live_server) -> None:
    demo_organisation_load(password=PASSWORD)
    demo_catalogue_load()
    demo_dossiers_load()
    user = UserFactory(username="bcd.e2e", first_name="Hùng", last_name="Nguyễn")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(
        user=user, unit=Unit.objects.get(code="000.00.00.H21"), role=Role.COMMITTEE_MEMBER
    )

    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("bcd.e2e")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_test_id("nav-items").get_by_role("link", name="Bảng điều hành").click()
    page.goto(f"{live_server.url}/bao-cao/?year=2021&quarter=1&unit=000.00.00.H21")

    cards = page.get_by_test_id("cards")
    expect(cards.locator('[data-card="received_total"] .dash-figure').first).to_have_text("3.329")
    expect(cards.locator('[data-card="resolved"] .dash-figure').first).to_have_text("3.328")
    expect(page.locator("main")).to_contain_text("3.136")
    expect(page.locator("main")).to_contain_text("9,22%")
    for chart in page.get_by_test_id("chart").all():
        chart.scroll_into_view_if_needed()
        # Loaded, drawn (not the alt text of a broken image) and of a readable size.
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0",
            arg=chart.element_handle(),
        )
        assert chart.bounding_box()["height"] > 80, chart.bounding_box()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTEFACTS / "dashboard-1366x768.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    # Both exports download with the same figures.
    exports = page.get_by_test_id("exports").get_by_role("link")
    with page.expect_download() as xlsx_download:
        exports.nth(0).click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert "Tổng hợp" in workbook.sheetnames
    with page.expect_download() as docx_download:
        exports.nth(1).click()
    document = docx.Document(io.BytesIO(Path(docx_download.value.path()).read_bytes()))
    assert "3.136" in "\n".join(paragraph.text for paragraph in document.paragraphs)

    # "In progress" leads to the one commune dossier still open on 31 March.
    cards.locator('[data-card="in_progress"] .dash-figure').first.click()
    expect(page.get_by_test_id("drilldown-count")).to_have_text("1 hồ sơ")
    rows = page.get_by_test_id("drilldown-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("001.37.H21-210331-")
    rows.first.get_by_role("link").first.click()
    expect(page.get_by_test_id("dossier-code")).to_contain_text("001.37.H21-210331-")
