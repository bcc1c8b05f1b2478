"""The PAR index in real Chromium: a commune fills in and submits its self-assessment with an
evidence file, the committee appraises it (survey criterion included) and the ranking puts
the commune in its place; screenshots at 1366×768 go to var/test-artefacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from committee.parindex.models import Assessment, AssessmentStatus, Evidence
from org.models import Role, UnitLevel
from tests.factories import MembershipFactory, UnitFactory, UserFactory
from tests.parindex.conftest import small_framework
from tests.parindex.helpers import appraised_assessment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "cchc-test-password"
ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("logout")).to_be_visible()


def user_with(username: str, role: str, unit) -> None:
    user = UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(user=user, unit=unit, role=role)


def fill_scores(page: Page, form_test_id: str, values: dict[str, str]) -> None:
    form = page.get_by_test_id(form_test_id)
    for code, value in values.items():
        row = form.locator(f'tr[data-code="{code}"]')
        row.locator('input[name^="score_"]').fill(value)
        row.locator('textarea[name^="text_"]').fill(f"Ghi chú {code}")


def test_a_commune_self_assesses_the_committee_appraises_and_the_ranking_updates(
    page: Page, chromium, live_server, tmp_path
) -> None:
    district = UnitFactory(code="000.00.37.H98", name="UBND huyện Thử", level=UnitLevel.DISTRICT)
    commune = UnitFactory(
        code="001.37.H98", name="UBND xã Ia Thử", level=UnitLevel.COMMUNE, parent=district
    )
    rival = UnitFactory(
        code="002.37.H98", name="UBND xã Đối Chứng", level=UnitLevel.COMMUNE, parent=district
    )
    framework = small_framework()
    # The rival is already appraised at 15 of 20 points.
    appraised_assessment(
        framework, rival, 2021, {"1.1.2": "3.5", "1.2": "4", "2.1": "7", "2.2": "0.5"}
    )
    user_with("xa.thu", Role.UNIT_LEADER, commune)
    user_with("bcd.thu", Role.COMMITTEE_MEMBER, district)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)

    # The commune starts its 2021 self-assessment, scores it, attaches evidence and submits.
    log_in(page, live_server.url, "xa.thu")
    page.goto(f"{live_server.url}/chi-so-cchc/")
    start = page.get_by_test_id("start-form")
    start.locator('input[name="year"]').fill("2021")
    start.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("self-form")).to_be_visible()
    # The survey criterion has no field for the unit.
    expect(page.locator('tr[data-code="2.2"] input')).to_have_count(0)
    fill_scores(page, "self-form", {"1.1.1": "2,5", "1.1.2": "3.5", "1.2": "4", "2.1": "7"})
    page.get_by_test_id("self-form").locator('button[name="save"]').click()
    expect(page.get_by_test_id("self-total")).to_have_text("17,00")

    evidence = tmp_path / "Kế hoạch CCHC 2021.pdf"
    evidence.write_bytes(b"%PDF-1.7\n1 0 obj\n")
    upload = page.get_by_test_id("evidence-form")
    upload.locator("select").select_option(label="1.1.1. Ban hành kế hoạch")
    upload.locator('input[type="file"]').set_input_files(str(evidence))
    upload.locator('button[type="submit"]').click()
    expect(page.locator('tr[data-code="1.1.1"]')).to_contain_text("Kế hoạch CCHC 2021.pdf")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=str(ARTEFACTS / "parindex-self-assessment-1366x768.png"))

    page.get_by_test_id("self-form").locator('button[name="submit"]').click()
    expect(page.get_by_test_id("assessment-status")).to_be_visible()
    assessment = Assessment.objects.get(unit=commune, year=2021)
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert Evidence.objects.filter(assessment=assessment).count() == 1
    # Locked: the scoring page now sends the unit back to the read-only sheet.
    page.goto(f"{live_server.url}/chi-so-cchc/tu-danh-gia/{assessment.pk}/cham-diem/")
    expect(page.get_by_test_id("self-form")).to_have_count(0)

    # The committee appraises it, with the survey result, and completes the appraisal.
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    committee = context.new_page()
    try:
        log_in(committee, live_server.url, "bcd.thu")
        committee.goto(f"{live_server.url}/chi-so-cchc/")
        committee.get_by_test_id("to-appraise").get_by_role("link").first.click()
        expect(committee.get_by_test_id("appraisal-form")).to_be_visible()
        expect(committee.locator('tr[data-code="1.1.1"]')).to_contain_text("Kế hoạch CCHC 2021.pdf")
        fill_scores(
            committee,
            "appraisal-form",
            {"1.1.1": "2", "1.1.2": "3.5", "1.2": "4", "2.1": "6,5", "2.2": "2.5"},
        )
        committee.get_by_test_id("appraisal-form").locator('button[name="complete"]').click()
        expect(committee.get_by_test_id("appraised-total")).to_have_text("18,50")
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.APPRAISED

        # The ranking: the commune (18.5 = 92.5 %) is now first, ahead of the rival (15).
        committee.goto(f"{live_server.url}/chi-so-cchc/xep-hang/")
        rows = committee.get_by_test_id("ranking-table").locator("tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_have_attribute("data-unit", "001.37.H98")
        expect(rows.nth(0).get_by_test_id("rank")).to_have_text("1")
        expect(rows.nth(0).get_by_test_id("appraised")).to_have_text("18,50")
        expect(rows.nth(1)).to_have_attribute("data-unit", "002.37.H98")
        expect(rows.nth(1).get_by_test_id("rank")).to_have_text("2")
        expect(committee.get_by_test_id("lowest-units")).to_contain_text("UBND xã Đối Chứng")
        assert committee.evaluate("document.documentElement.scrollWidth") <= 1366
        committee.screenshot(path=str(ARTEFACTS / "parindex-ranking-1366x768.png"))
        committee.emulate_media(media="print")
        expect(committee.get_by_test_id("ranking-form")).to_be_hidden()
    finally:
        context.close()


def test_the_demo_ranking_fits_the_screen_and_prints(page: Page, live_server) -> None:
    from committee.parindex.demo import demo_parindex_load
    from org.demo import demo_organisation_load

    demo_organisation_load(password=PASSWORD)
    demo = demo_parindex_load()
    log_in(page, live_server.url, "bcd")
    page.goto(f"{live_server.url}/chi-so-cchc/xep-hang/?framework={demo.framework.pk}&year=2021")
    rows = page.get_by_test_id("ranking-table").locator("tbody tr")
    expect(rows).to_have_count(7)  # six appraised, one waiting for the committee
    expect(rows.nth(0).get_by_test_id("rank")).to_have_text("1")
    expect(page.locator("tr.table-warning")).to_have_count(3)
    expect(page.get_by_test_id("lowest-units").locator("table")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "parindex-demo-ranking-1366x768.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.get_by_test_id("ranking-form")).to_be_hidden()
    page.emulate_media(media="screen")

    rows.nth(0).get_by_role("link").click()
    expect(page.get_by_test_id("sheet-table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=str(ARTEFACTS / "parindex-demo-sheet-1366x768.png"))
