"""A dossier's life at the desk, in real Chromium: the desk officer receives it (type-ahead,
live appointment date), prints the receipt and hands it over; the processing officer asks for
a supplement; the desk records it; the result is finished and returned; and the citizen's
lookup, reached from the receipt's QR link, shows each state in Vietnamese."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Browser, Page, expect

from dossiers.models import Dossier, DossierStatus, EventKind
from org.models import Role, UnitLevel
from reports.aggregate import counters_total
from reports.periods import period_make
from reports.services import period_freeze
from tests.e2e.conftest import VIEWPORT
from tests.factories import (
    MembershipFactory,
    UnitFactory,
    UserFactory,
    published_procedure,
    received_dossier,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "cchc-test-password"
PHONE = "0905123456"


def vietnamese(label) -> str:
    with translation.override("vi"):
        return str(label)


@pytest.fixture
def desk_setup():
    province = UnitFactory(
        code="000.00.00.H30", name="UBND tỉnh Hưng Yên", level=UnitLevel.PROVINCE
    )
    district = UnitFactory(
        code="000.00.12.H30", name="UBND huyện Văn Lâm", level=UnitLevel.DISTRICT, parent=province
    )
    justice = UnitFactory(
        code="000.12.01.H30",
        name="Phòng Tư pháp huyện Văn Lâm",
        level=UnitLevel.DEPARTMENT,
        parent=district,
    )
    published_procedure(code="2.000635", name="Cấp bản sao trích lục hộ tịch", levels=("district",))
    for username, role, unit in [
        ("motcua", Role.DESK_OFFICER, district),
        ("chuyenvien", Role.PROCESSING_OFFICER, justice),
    ]:
        user = UserFactory(username=username, first_name="Lan", last_name="Trần")
        user.set_password(PASSWORD)
        user.save()
        MembershipFactory(user=user, unit=unit, role=role)
    return district, justice


def log_in(page: Page, base_url: str, username: str, code: str = "") -> None:
    """Log in as ``username`` (after whoever was logged in), then open dossier ``code``."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()
    if code:
        page.goto(f"{base_url}/ho-so/{code}/")


def take_step(page: Page, action: str, status_after: DossierStatus, **fields: str) -> None:
    """Open the step's panel on the dossier page, fill it, submit it, see the new status."""
    page.locator(f'[aria-controls="action-{action}"]').click()
    form = page.locator(f'form[data-action="{action}"]')
    for name, value in fields.items():
        field = form.locator(f'[name="{action}-{name}"]')
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value=value)
        else:
            field.fill(value)
    form.locator('button[type="submit"]').click()
    # A step is a full POST → redirect → page; on a loaded CI machine that has taken over 5 s.
    try:
        expect(page.get_by_test_id("dossier-status")).to_have_text(
            vietnamese(status_after.label), timeout=20_000
        )
    except AssertionError as failure:
        said = page.locator(".alert, .invalid-feedback, .errorlist").all_inner_texts()
        raise AssertionError(f"{failure}\nthe page says: {said}") from failure


def citizen_sees(
    browser: Browser, base_url: str, code: str, status: DossierStatus, close: bool = True
) -> Page:
    """A citizen's own browser: the QR link, then the last 4 digits of the phone; the page
    shows ``status`` and nothing personal."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    citizen = context.new_page()
    citizen.goto(f"{base_url}/tra-cuu/?code={code}")
    expect(citizen.locator("#id_code")).to_have_value(code)
    citizen.locator("#id_digits").fill(PHONE[-4:])
    citizen.get_by_test_id("lookup-form").locator('button[type="submit"]').click()
    expect(citizen.get_by_test_id("lookup-result")).to_be_visible()
    expect(citizen.get_by_test_id("lookup-result")).not_to_contain_text("Nguyễn Thị Mai")
    expect(citizen.get_by_test_id("lookup-status")).to_have_text(vietnamese(status.label))
    if close:
        context.close()
    return citizen


def test_a_dossier_goes_from_intake_to_return_and_the_citizen_follows_it(
    page: Page, chromium: Browser, live_server, desk_setup
) -> None:
    _district, justice = desk_setup
    base = live_server.url

    # The desk officer receives the dossier: the procedure is found by typing part of its name.
    log_in(page, base, "motcua")
    page.goto(f"{base}/ho-so/tiep-nhan/")
    page.locator("#id_procedure_query").fill("trích lục")
    page.get_by_test_id("procedure-suggestions").get_by_role("option").first.click()
    expect(page.get_by_test_id("due-preview")).to_contain_text(re.compile(r"\d\d/\d\d/\d{4}"))
    page.locator('[name="applicant_name"]').fill("Nguyễn Thị Mai")
    page.locator('[name="applicant_phone"]').fill(PHONE)
    page.get_by_test_id("receive").click()

    expect(page.get_by_test_id("dossier-code")).to_have_text(
        re.compile(r"000\.00\.12\.H30-\d{6}-0001")
    )
    code = page.get_by_test_id("dossier-code").inner_text()
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.applicant_name == "Nguyễn Thị Mai"

    # The receipt opens in a new tab, with the appointment date and the QR code.
    with page.context.expect_page() as receipt_opened:
        page.get_by_test_id("print-links").get_by_role("link").first.click()
    receipt = receipt_opened.value
    expect(receipt.get_by_test_id("form-title")).to_have_text(
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    )
    expect(receipt.get_by_test_id("dossier-code")).to_have_text(code)
    expect(receipt.get_by_test_id("appointment")).to_contain_text(
        dossier.due_at.astimezone(dossier.due_at.tzinfo).strftime("%Y")
    )
    expect(receipt.locator("svg").first).to_be_visible()
    receipt.close()

    citizen_sees(chromium, base, code, DossierStatus.RECEIVED)

    # Hand-over to the justice office.
    take_step(page, "transfer", DossierStatus.PROCESSING, to_unit=str(justice.pk))

    # The processing officer asks the citizen for a missing document.
    log_in(page, base, "chuyenvien", code)
    take_step(
        page,
        "supplement_request",
        DossierStatus.SUPPLEMENT_REQUESTED,
        reason="Thiếu tờ khai",
        missing_documents="Tờ khai đề nghị cấp bản sao trích lục",
    )
    citizen = citizen_sees(chromium, base, code, DossierStatus.SUPPLEMENT_REQUESTED, close=False)
    expect(citizen.get_by_test_id("lookup-supplement")).to_contain_text(
        "Tờ khai đề nghị cấp bản sao trích lục"
    )
    citizen.context.close()

    # The citizen brings it to the desk, which records the supplement.
    log_in(page, base, "motcua", code)
    take_step(page, "supplement_complete", DossierStatus.PROCESSING)

    # The justice office finishes; the desk hands the result over.
    log_in(page, base, "chuyenvien", code)
    take_step(page, "finish", DossierStatus.FINISHED, note="Đã ký bản sao")
    citizen_sees(chromium, base, code, DossierStatus.FINISHED)

    log_in(page, base, "motcua", code)
    take_step(page, "return", DossierStatus.RETURNED)
    citizen_sees(chromium, base, code, DossierStatus.RETURNED)

    kinds = list(Dossier.objects.get(code=code).events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.RECEIVED,
        EventKind.TRANSFERRED,
        EventKind.SUPPLEMENT_REQUESTED,
        EventKind.SUPPLEMENT_COMPLETED,
        EventKind.FINISHED,
        EventKind.RETURNED,
    ]


def test_a_commune_desk_cannot_open_another_communes_dossier(
    page: Page, live_server, desk_setup
) -> None:
    district, _justice = desk_setup
    other = UnitFactory(
        code="000.12.31.H30", name="UBND xã Lạc Đạo", level=UnitLevel.COMMUNE, parent=district
    )
    mine = UnitFactory(
        code="000.12.32.H30", name="UBND xã Tân Quang", level=UnitLevel.COMMUNE, parent=district
    )
    user = UserFactory(username="motcua.xa")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(user=user, unit=mine, role=Role.DESK_OFFICER)
    # A commune desk receives commune procedures (competence at intake).
    foreign = received_dossier(desk=other, procedure_code="1.000001")

    log_in(page, live_server.url, "motcua.xa")
    response = page.goto(f"{live_server.url}/ho-so/{foreign.code}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/ho-so/?q={foreign.code}")
    expect(page.get_by_test_id("count-all")).to_have_text("0")
    expect(page.locator("main")).not_to_contain_text("Trần Thị B")


# Today and the past (DESIGN §3): frozen quarters, ended units, hand-over to units in force ------


def desk_officer(username: str, unit, role: str = Role.DESK_OFFICER) -> None:
    user = UserFactory(username=username, first_name="Lan", last_name="Trần")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(user=user, unit=unit, role=role)


def choose_procedure(page: Page, typed: str) -> None:
    page.locator("#id_procedure_query").fill(typed)
    page.get_by_test_id("procedure-suggestions").get_by_role("option").first.click()


def test_a_back_dated_intake_into_a_frozen_quarter_is_refused_and_the_figures_stay(
    page: Page, live_server
) -> None:
    commune = UnitFactory(code="001.37.H21", name="UBND xã Chư Gu", level=UnitLevel.COMMUNE)
    version = published_procedure(code="1.000001", name="Đăng ký khai sinh")
    received_dossier(
        desk=commune,
        procedure_version=version,
        received_at=dt.datetime(2021, 3, 10, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    )
    quarter = period_make(kind="quarter", year=2021, index=1)
    period_freeze(period=quarter, by=None)
    figures = counters_total(Dossier.objects.all(), quarter)
    assert figures["received_total"] == 1
    desk_officer("motcua.xa", commune)

    log_in(page, live_server.url, "motcua.xa")
    page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    page.locator('[name="received_at"]').fill("2021-03-15T09:00")
    choose_procedure(page, "khai sinh")
    # More than 3 working days back: the preview says a reason is needed, the officer gives it.
    expect(page.get_by_test_id("backdate-warning")).to_be_visible()
    page.locator('[name="backdate_reason"]').fill("Hồ sơ nhận ngày 15/03/2021, nhập muộn")
    page.locator('[name="applicant_name"]').fill("Nguyễn Thị Mai")
    page.get_by_test_id("receive").click()

    expect(page.get_by_test_id("form-errors")).to_contain_text("01/01/2021–31/03/2021")
    expect(page.get_by_test_id("form-errors")).to_contain_text("15/03/2021")
    assert Dossier.objects.count() == 1
    assert counters_total(Dossier.objects.all(), quarter) == figures


def test_intake_at_an_ended_unit_is_refused_naming_its_successor(page: Page, live_server) -> None:
    phu_tuc = UnitFactory(
        code="X24076", name="Xã Phú Túc", level=UnitLevel.COMMUNE, valid_from=dt.date(2025, 7, 1)
    )
    chu_ngoc = UnitFactory(
        code="007.37.H21",
        name="UBND xã Chư Ngọc",
        level=UnitLevel.COMMUNE,
        valid_to=dt.date(2025, 6, 30),
        successor=phu_tuc,
    )
    published_procedure(code="1.000001", name="Đăng ký khai sinh")
    desk_officer("motcua.cu", chu_ngoc)

    log_in(page, live_server.url, "motcua.cu")
    page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    expect(page.get_by_test_id("desk-ended")).to_contain_text("Xã Phú Túc")
    choose_procedure(page, "khai sinh")
    page.locator('[name="applicant_name"]').fill("Nguyễn Thị Mai")
    page.get_by_test_id("receive").click()

    expect(page.get_by_test_id("form-errors")).to_contain_text("Xã Phú Túc")
    expect(page.get_by_test_id("form-errors")).to_contain_text("30/06/2025")
    assert not Dossier.objects.exists()


def test_the_centre_hands_a_dossier_over_to_a_department_in_force(page: Page, live_server) -> None:
    province = UnitFactory(
        code="T52",
        name="UBND tỉnh Gia Lai",
        level=UnitLevel.PROVINCE,
        valid_from=dt.date(2025, 7, 1),
    )
    centre = UnitFactory(
        code="T52.TTHCC",
        name="Trung tâm Phục vụ hành chính công tỉnh Gia Lai",
        level=UnitLevel.CENTRE,
        parent=province,
        valid_from=dt.date(2025, 7, 1),
    )
    department = UnitFactory(
        code="T52.SNNMT",
        name="Sở Nông nghiệp và Môi trường tỉnh Gia Lai",
        level=UnitLevel.DEPARTMENT,
        parent=province,
        valid_from=dt.date(2025, 7, 1),
    )
    ended = UnitFactory(
        code="T52.STNMT",
        name="Sở Tài nguyên và Môi trường tỉnh Gia Lai",
        level=UnitLevel.DEPARTMENT,
        parent=province,
        valid_to=dt.date(2025, 6, 30),
        successor=department,
    )
    version = published_procedure(
        code="1.004227", name="Đăng ký đất đai lần đầu", levels=("province",)
    )
    dossier = received_dossier(desk=centre, procedure_version=version, received_at=timezone.now())
    desk_officer("motcua.huyen", centre)
    desk_officer("chuyenvien", department, role=Role.PROCESSING_OFFICER)

    log_in(page, live_server.url, "motcua.huyen", dossier.code)
    page.locator('[aria-controls="action-transfer"]').click()
    options = page.locator('form[data-action="transfer"] [name="transfer-to_unit"] option')
    offered = [value for value in options.evaluate_all("os => os.map(o => o.value)") if value]
    assert str(department.pk) in offered
    assert str(ended.pk) not in offered
    take_step(page, "transfer", DossierStatus.PROCESSING, to_unit=str(department.pk))
    expect(page.locator("main")).to_contain_text("Sở Nông nghiệp và Môi trường tỉnh Gia Lai")

    # The department's processing officer finds it and finishes it.
    log_in(page, live_server.url, "chuyenvien", dossier.code)
    take_step(page, "finish", DossierStatus.FINISHED, note="Đã cấp giấy chứng nhận")
    dossier.refresh_from_db()
    assert dossier.handling_unit == department
    assert list(dossier.events.values_list("kind", "to_unit")) == [
        (EventKind.RECEIVED, centre.pk),
        (EventKind.TRANSFERRED, department.pk),
        (EventKind.FINISHED, None),
    ]
