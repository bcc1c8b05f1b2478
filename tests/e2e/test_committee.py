"""The committee workspace in real Chromium: the standing office records a meeting with two
conclusions and a task under each, a commune reports progress from its own page, and the
overdue list shows the late task only. Screenshots at 1366×768 go to var/test-artefacts/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from committee.models import Task
from org.calendar_source import working_calendar
from org.models import Role, UnitLevel
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "cchc-test-password"
ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts"


def staff(username: str, unit, role: str):
    user = UserFactory(username=username, first_name="An", last_name="Nguyễn")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(user=user, unit=unit, role=role)
    return user


def log_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/dang-nhap/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.get_by_test_id("current-user")).to_be_visible()


def working_day_back(day: dt.date, count: int) -> dt.date:
    calendar = working_calendar()
    for _index in range(count):
        day -= dt.timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
    return day


def fits_the_screen(page: Page) -> None:
    """The page's content fits 1366 px (the shared navbar is checked by the navigation test)."""
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 1366
    assert page.evaluate("document.querySelector('main').getBoundingClientRect().right") <= 1366


def test_the_office_records_a_meeting_a_commune_reports_and_the_late_task_shows(
    page: Page, live_server
) -> None:
    province = UnitFactory(code="000.00.00.H99", name="UBND tỉnh Thử", level=UnitLevel.PROVINCE)
    district = UnitFactory(
        code="000.00.37.H99", name="UBND huyện Thử", level=UnitLevel.DISTRICT, parent=province
    )
    commune = UnitFactory(code="001.37.H99", name="UBND thị trấn Thử", parent=district)
    UnitFactory(code="002.37.H99", name="UBND xã Bên Cạnh", parent=district)
    staff("bcd.e2e", district, Role.COMMITTEE_MEMBER)
    staff("xa.e2e", commune, Role.DESK_OFFICER)
    today = timezone.localdate()
    held_on = working_day_back(today, 15)
    late_deadline = working_day_back(today, 3)
    base = live_server.url

    # The standing office records the meeting.
    log_in(page, base, "bcd.e2e")
    page.goto(f"{base}/ban-chi-dao/")
    page.get_by_test_id("meeting-create").click()
    form = page.get_by_test_id("meeting-form")
    form.locator("#id_unit").select_option(label="UBND huyện Thử")
    form.locator("#id_held_on").fill(held_on.isoformat())
    form.locator("#id_kind").select_option("quarterly")
    form.locator("#id_title").fill("Họp Ban chỉ đạo CCHC quý")
    form.locator("#id_chair").fill("Chủ tịch UBND huyện")
    form.locator("#id_notice_number").fill("12/TB-UBND")
    form.locator("#id_notice_date").fill(held_on.isoformat())
    page.get_by_test_id("meeting-save").click()
    expect(page.get_by_test_id("meeting-title")).to_have_text("Họp Ban chỉ đạo CCHC quý")

    for text in ("Cập nhật đầy đủ hồ sơ lên iGate.", "Khắc phục chỉ số CCHC thứ hạng thấp."):
        page.get_by_test_id("conclusion-form").locator("#id_text").fill(text)
        page.get_by_test_id("conclusion-add").click()
    expect(page.get_by_test_id("conclusion")).to_have_count(2)

    # A task under each: one already late, one due in 20 working days from the notice.
    task_form = page.get_by_test_id("task-form")
    task_form.locator("#id_conclusion").select_option(index=1)
    task_form.locator("#id_title").fill("Báo cáo tỷ lệ hồ sơ iGate")
    task_form.locator("#id_lead_unit").select_option(label="UBND thị trấn Thử")
    task_form.locator("#id_deadline").fill(late_deadline.isoformat())
    page.get_by_test_id("task-assign").click()
    expect(page.get_by_test_id("task-table")).to_have_count(1)

    task_form = page.get_by_test_id("task-form")
    task_form.locator("#id_conclusion").select_option(index=2)
    task_form.locator("#id_title").fill("Kế hoạch thăng hạng chỉ số CCHC")
    task_form.locator("#id_lead_unit").select_option(label="UBND thị trấn Thử")
    task_form.locator("#id_supporting_units").select_option(label="UBND xã Bên Cạnh")
    task_form.locator('input[name="deadline_mode"][value="working_days"]').check()
    task_form.locator("#id_working_days").fill("20")
    page.get_by_test_id("task-assign").click()
    expect(page.get_by_test_id("task-table")).to_have_count(2)
    fits_the_screen(page)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "committee-meeting-1366x768.png"))

    late = Task.objects.get(title="Báo cáo tỷ lệ hồ sơ iGate")
    planned = Task.objects.get(title="Kế hoạch thăng hạng chỉ số CCHC")
    assert late.deadline == late_deadline
    assert planned.deadline_working_days == 20

    # The commune reports progress on the planned task from its own page.
    log_in(page, base, "xa.e2e")
    page.goto(f"{base}/ban-chi-dao/")
    expect(page).to_have_url(f"{base}/ban-chi-dao/nhiem-vu-cua-don-vi/")
    open_tasks = page.get_by_test_id("open-tasks")
    expect(open_tasks.locator("tbody tr")).to_have_count(2)
    open_tasks.get_by_role("link", name="Kế hoạch thăng hạng chỉ số CCHC").click()
    report = page.get_by_test_id("report-form")
    report.locator("#id_text").fill("Đã xây dựng dự thảo kế hoạch, đang lấy ý kiến.")
    report.locator("#id_percent").fill("50")
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("task-progress")).to_contain_text("50%")
    expect(page.get_by_test_id("reports")).to_contain_text("Đã xây dựng dự thảo kế hoạch")
    page.screenshot(path=str(ARTEFACTS / "committee-task-report-1366x768.png"))
    fits_the_screen(page)
    # Another unit's task is not there for the commune.
    response = page.goto(f"{base}/ban-chi-dao/cuoc-hop/")
    assert response.status == 404

    # The standing office's overdue list shows the late one only.
    log_in(page, base, "bcd.e2e")
    page.goto(f"{base}/ban-chi-dao/nhiem-vu/qua-han/")
    rows = page.get_by_test_id("task-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Báo cáo tỷ lệ hồ sơ iGate")
    expect(rows.first.get_by_test_id("days-overdue")).to_be_visible()
    page.goto(f"{base}/ban-chi-dao/nhiem-vu/")
    expect(page.locator(f'tr[data-task="{planned.pk}"]')).to_have_attribute(
        "data-status", "in_progress_within"
    )
    expect(page.locator(f'tr[data-task="{late.pk}"]')).to_have_attribute(
        "data-status", "in_progress_overdue"
    )
    fits_the_screen(page)
    page.screenshot(path=str(ARTEFACTS / "committee-follow-up-1366x768.png"))
    # Printed for the next meeting: the table only, without the filters and the navigation.
    page.emulate_media(media="print")
    expect(page.get_by_test_id("task-filters")).to_be_hidden()
    expect(page.get_by_test_id("nav-items")).to_be_hidden()
    expect(page.get_by_test_id("task-table")).to_be_visible()
    page.pdf(path=str(ARTEFACTS / "committee-follow-up.pdf"))
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_test_id("task-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")
