"""The steering committee's dashboard in real Chromium on the demo's Q1 2021: the seed figures,
both exports asked for as jobs (progress bar, then the download link: at once under eager
Celery, and after polling while the broker is down until the sweep sends the job), the
drill-down from "in progress" to the one commune dossier and its XLSX list, and a 1366×768
screenshot kept in var/test-artefacts/ for a human look."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError
from playwright.sync_api import Page, expect

from dossiers.demo import demo_dossiers_load
from org.demo import demo_organisation_load
from org.models import Role, Unit
from procedures.demo import demo_catalogue_load
from reports import export_jobs, tasks
from reports.charts import quarter_trend
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "cchc-test-password"
ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts"


def test_a_committee_member_reads_the_quarter_and_drills_down(
    page: Page, live_server, monkeypatch
) -> None:
    demo_organisation_load(password=PASSWORD)
    demo_catalogue_load()
    demo_dossiers_load()
    user = UserFactory(username="bcd.e2e", first_name="Hùng", last_name="Nguyễn")
    user.set_password(PASSWORD)
    user.save()
    root = Unit.objects.get(code="000.00.00.H21")
    MembershipFactory(user=user, unit=root, role=Role.COMMITTEE_MEMBER)
    # The rollups of the trend's 8 quarters, computed here first: the browser loads the three
    # charts at once, and the in-memory SQLite of the tests (shared cache) answers "table is
    # locked" instead of waiting when one live-server thread writes rollups as another reads.
    quarter_trend(unit=root, year=2021, quarter=1)

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
    # The tables by unit arrive after the page (htmx): the 16 units and the total, each row
    # linking its figures; the loaders are gone.
    by_unit = page.get_by_test_id("table-by-unit")
    expect(by_unit.locator("tbody tr")).to_have_count(17)
    expect(by_unit.get_by_test_id("total-row")).to_contain_text("3.329")
    expect(page.get_by_test_id("table-digitisation").locator("tbody tr")).to_have_count(16)
    expect(page.get_by_test_id("dashboard-table-loader")).to_have_count(0)
    for chart in page.get_by_test_id("chart").all():
        chart.scroll_into_view_if_needed()
        # Loaded, drawn (not the alt text of a broken image) and of a readable size.
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0",
            arg=chart.element_handle(),
        )
        assert chart.bounding_box()["height"] > 80, chart.bounding_box()

    # The XLSX (form II.06a): asked for as a job, done at once (eager Celery, no broker); the
    # progress bar is full and the download link is there.
    page.get_by_test_id("export-xlsx").click()
    job = page.get_by_test_id("export-job").first
    expect(job).to_have_attribute("data-status", "done")
    expect(job.get_by_test_id("export-progress")).to_have_attribute("aria-valuenow", "100")
    with page.expect_download() as xlsx_download:
        job.get_by_test_id("export-download").click()
    assert xlsx_download.value.suggested_filename == "bao-cao-000.00.00.H21-2021-q1.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert "Tổng hợp" in workbook.sheetnames
    assert workbook["Cấp huyện"]["C8"].value == "=SUM(D8:F8)"

    # The Word report while the broker is down: the job waits, its bar empty, and the page
    # says why and keeps asking; once the sweep has sent it, the link appears by itself.
    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(tasks.export_job_run, "delay", broker_down)
    page.get_by_test_id("export-docx").click()
    expect(page.get_by_test_id("export-job")).to_have_count(2)
    job = page.get_by_test_id("export-job").first
    expect(job).to_have_attribute("data-status", "queued")
    expect(job.get_by_test_id("export-message")).to_contain_text(re.compile("hàng đợi|job queue"))
    expect(job.get_by_test_id("export-progress")).to_have_attribute("aria-valuenow", "0")
    expect(job.get_by_test_id("export-download")).to_have_count(0)
    monkeypatch.undo()
    assert export_jobs.export_jobs_sweep(now=timezone.now() + dt.timedelta(minutes=5)) == 1
    expect(job).to_have_attribute("data-status", "done")  # the page asked again, by itself
    expect(job.get_by_test_id("export-progress")).to_have_attribute("aria-valuenow", "100")
    with page.expect_download() as docx_download:
        job.get_by_test_id("export-download").click()
    assert docx_download.value.suggested_filename.endswith(".docx")
    document = docx.Document(io.BytesIO(Path(docx_download.value.path()).read_bytes()))
    assert "3.136" in "\n".join(paragraph.text for paragraph in document.paragraphs)

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTEFACTS / "dashboard-1366x768.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    # A refused request says why, where the job would have been.
    year = page.locator('[data-testid="exports"] form').first.locator('input[name="year"]')
    year.evaluate("input => { input.value = '1999'; }")
    page.get_by_test_id("export-xlsx").click()
    expect(page.get_by_test_id("export-jobs").get_by_test_id("bad-request")).to_contain_text("2000")
    year.evaluate("input => { input.value = '2021'; }")

    # "In progress" leads to the one commune dossier still open on 31 March.
    cards.locator('[data-card="in_progress"] .dash-figure').first.click()
    expect(page.get_by_test_id("drilldown-count")).to_have_text("1 hồ sơ")
    rows = page.get_by_test_id("drilldown-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("001.37.H21-210331-")
    # The list behind the figure exports too, through the same job flow; the page lists the
    # user's recent exports: the two of the dashboard, then this one first.
    expect(page.get_by_test_id("export-job")).to_have_count(2)
    page.get_by_test_id("export-dossiers").click()
    expect(page.get_by_test_id("export-job")).to_have_count(3)
    job = page.get_by_test_id("export-job").first
    expect(job).to_contain_text("ho-so-000.00.00.H21-in_progress-2021-quarter1.xlsx")
    expect(job).to_have_attribute("data-status", "done")
    with page.expect_download() as list_download:
        job.get_by_test_id("export-download").click()
    listed = openpyxl.load_workbook(io.BytesIO(Path(list_download.value.path()).read_bytes()))
    sheet = listed["Danh sách hồ sơ"]
    assert sheet["B6"].value.startswith("001.37.H21-210331-") and sheet["B7"].value is None
    page.screenshot(path=str(ARTEFACTS / "dashboard-drilldown-1366x768.png"))
    rows.first.get_by_role("link").first.click()
    expect(page.get_by_test_id("dossier-code")).to_contain_text("001.37.H21-210331-")


def test_a_committee_member_of_todays_province_opens_on_the_present(
    page: Page, live_server
) -> None:
    """Today's province (tests/reports/lineage_world.py): with no quarter asked for, the page
    opens on the latest quarter with dossiers and says so; the ranking has one table per
    level; its 2021 quarter sums the old province and names it; all within 1366 px."""
    from reports.periods import period_make
    from reports.services import rollups_refresh
    from tests.reports.lineage_world import lineage_world

    units = lineage_world()
    user = UserFactory(username="bcd.present", first_name="Lan", last_name="Trần")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(user=user, unit=units["new"], role=Role.COMMITTEE_MEMBER)
    # The quarters computed so far (the sweep's work), and the charts' 8 quarters computed
    # here first (see above: SQLite's "table is locked" between live-server threads).
    for year, quarter in ((2021, 1), (2025, 2), (2025, 3)):
        rollups_refresh(period=period_make(kind="quarter", year=year, index=quarter))
    for year, quarter in ((2025, 3), (2021, 1)):
        quarter_trend(unit=units["new"], year=year, quarter=quarter)

    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("bcd.present")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/bao-cao/")

    expect(page.get_by_test_id("dashboard-subtitle")).to_contain_text("Quý 3/2025")
    expect(page.get_by_test_id("default-period-note")).to_contain_text("Quý 3/2025")
    cards = page.get_by_test_id("cards")
    # The commune's 2 of August and the dossier carried over from its predecessor B.
    expect(cards.locator('[data-card="received_total"] .dash-figure').first).to_have_text("3")
    groups = page.get_by_test_id("ranking-group")
    expect(groups).to_have_count(1)
    expect(groups.first.get_by_test_id("rank")).to_have_count(2)
    expect(page.get_by_test_id("table-by-unit").get_by_test_id("total-row")).to_contain_text("3")
    for chart in page.get_by_test_id("chart").all():
        chart.scroll_into_view_if_needed()
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0", arg=chart.element_handle()
        )
    page.evaluate("window.scrollTo(0, 0)")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "dashboard-present-1366x768.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    page.goto(f"{live_server.url}/bao-cao/?year=2021&quarter=1")
    note = page.get_by_test_id("lineage-note")
    expect(note).to_contain_text("01/07/2025")
    expect(note).to_contain_text("UBND tỉnh Thử")
    expect(cards.locator('[data-card="received_total"] .dash-figure').first).to_have_text("9")
    expect(page.get_by_test_id("default-period-note")).to_have_count(0)
    page.get_by_test_id("ranking").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTEFACTS / "dashboard-lineage-1366x768.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
