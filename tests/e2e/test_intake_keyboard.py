"""A whole intake with the keyboard alone, in real Chromium (issue "desk"): the cursor starts in
the procedure search, ↑/↓ move in the suggestions, Enter picks (and never submits), the cursor
jumps to the applicant's name, the checklist arrives pre-filled, Ctrl+Enter receives."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from dossiers.models import Dossier
from org.models import UnitLevel
from procedures.services import DocumentSpec
from tests.e2e.test_desk import desk_officer, log_in
from tests.factories import UnitFactory, published_procedure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Keys that are not the data itself: picking, moving between fields, receiving.
CONTROL_KEYS_MAX = 5


class Keyboard:
    """Presses keys on the page and counts them: typed text counts one key per character."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.typed = 0
        self.control = 0

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.typed += len(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.control += 1


@pytest.fixture
def commune_desk():
    commune = UnitFactory(code="001.37.H21", name="UBND xã Chư Gu", level=UnitLevel.COMMUNE)
    published_procedure(
        code="1.001193",
        name="Đăng ký khai sinh",
        documents=(
            DocumentSpec("Tờ khai đăng ký khai sinh", 1, 0, 0),
            DocumentSpec("Giấy chứng sinh", 1, 0, 0),
        ),
    )
    published_procedure(
        code="1.000894",
        name="Đăng ký khai tử",
        documents=(
            DocumentSpec("Tờ khai đăng ký khai tử", 1, 0, 0),
            DocumentSpec("Giấy báo tử", 0, 1, 0),
        ),
    )
    desk_officer("motcua.xa", commune)
    return commune


def test_a_whole_intake_by_keyboard(page: Page, live_server, commune_desk) -> None:
    log_in(page, live_server.url, "motcua.xa")
    page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    keys = Keyboard(page)
    started = time.monotonic()

    # The cursor is already in the search: nothing to click, no Tab to reach it.
    expect(page.locator("#id_procedure_query")).to_be_focused()
    keys.type("khai")
    options = page.get_by_test_id("procedure-suggestions").get_by_role("option")
    expect(options).to_have_count(2)
    first_label = options.nth(0).get_attribute("data-label")
    keys.press("Enter")

    # Enter picked, it did not submit: the cursor is in the applicant's name.
    expect(page.locator('[name="applicant_name"]')).to_be_focused()
    expect(page.locator("#id_procedure_query")).to_have_value(first_label)
    expect(page.get_by_test_id("due-preview")).to_contain_text(re.compile(r"\d\d/\d\d/\d{4}"))
    papers = {"1.001193": "Giấy chứng sinh", "1.000894": "Giấy báo tử"}
    code = first_label.split(" – ")[0]
    expect(page.get_by_test_id("checklist")).to_contain_text(papers[code])
    assert not Dossier.objects.exists()

    keys.type("Nguyễn Thị Mai")
    keys.press("Tab")
    keys.type("001099012345")
    keys.press("Tab")
    keys.type("0905123456")
    keys.press("Control+Enter")

    expect(page.get_by_test_id("dossier-code")).to_have_text(re.compile(r"001\.37\.H21-\d{6}-0001"))
    seconds = time.monotonic() - started
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == "Nguyễn Thị Mai"
    assert dossier.applicant_id_number == "001099012345"
    assert dossier.applicant_phone == "0905123456"
    assert dossier.procedure_version.procedure.code == code
    assert [d.name for d in dossier.documents.all()] == [
        d.name for d in dossier.procedure_version.documents.all()
    ]
    assert keys.control <= CONTROL_KEYS_MAX, keys.control
    # Printed for the note (no timing assertion: machines differ).
    print(f"keyboard intake: {keys.typed} typed + {keys.control} control keys, {seconds:.2f} s")


def test_enter_in_the_search_before_the_list_arrives_picks_the_first_match(
    page: Page, live_server, commune_desk
) -> None:
    log_in(page, live_server.url, "motcua.xa")
    page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    page.keyboard.type("khai sinh")
    page.keyboard.press("Enter")  # at once: the suggestions have not come back yet
    expect(page.locator('[name="applicant_name"]')).to_be_focused()
    expect(page.locator("#id_procedure_query")).to_have_value("1.001193 – Đăng ký khai sinh")
    assert not Dossier.objects.exists()


def test_esc_closes_the_list_and_the_received_time_is_skipped_by_tab(
    page: Page, live_server, commune_desk
) -> None:
    log_in(page, live_server.url, "motcua.xa")
    page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    page.keyboard.type("khai")
    options = page.get_by_test_id("procedure-suggestions").get_by_role("option")
    expect(options).to_have_count(2)
    # ↓ ↓ ↑ : the highlight moves down, wraps, and Esc closes the list.
    page.keyboard.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("procedure-suggestions")).to_have_count(0)
    # Tab from the search goes to the channel, then past the received time.
    page.keyboard.press("Tab")
    expect(page.locator('[name="channel"]')).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator('[name="received_at"]')).not_to_be_focused()
    # Alt+T reaches it; once changed, it is in the Tab order.
    page.keyboard.press("Alt+t")
    received = page.locator('[name="received_at"]')
    expect(received).to_be_focused()
    received.fill("07/12/2026 08:00")
    received.dispatch_event("change")
    expect(received).not_to_have_attribute("tabindex", "-1")


def test_a_refused_submit_says_why_beside_the_field_and_keeps_the_cursor_there(
    page: Page, live_server, commune_desk
) -> None:
    log_in(page, live_server.url, "motcua.xa")
    page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    page.keyboard.type("khai sinh")
    page.keyboard.press("Enter")
    expect(page.locator('[name="applicant_name"]')).to_be_focused()
    page.keyboard.type("Nguyễn Thị Mai")
    page.locator('[name="applicant_phone"]').fill("09o5123456")
    page.keyboard.press("Control+Enter")

    expect(page.get_by_test_id("form-errors")).to_be_visible()
    phone = page.locator('[name="applicant_phone"]')
    expect(phone).to_be_focused()
    expect(phone).to_have_class(re.compile("is-invalid"))
    # The officer's choice and typing are still there.
    expect(page.locator("#id_procedure_query")).to_have_value("1.001193 – Đăng ký khai sinh")
    expect(page.locator('[name="applicant_name"]')).to_have_value("Nguyễn Thị Mai")
    assert not Dossier.objects.exists()


def test_a_refusal_at_intake_asks_first(page: Page, live_server, commune_desk) -> None:
    log_in(page, live_server.url, "motcua.xa")
    page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    page.keyboard.type("khai sinh")
    page.keyboard.press("Enter")
    expect(page.locator('[name="applicant_name"]')).to_be_focused()
    page.keyboard.type("Nguyễn Thị Mai")
    page.get_by_role("button", name="Từ chối tiếp nhận…").click()
    reason = page.locator('[name="refusal_reason"]')
    reason.fill("Hồ sơ không thuộc thẩm quyền của xã")
    reason.press("Control+Enter")  # from inside the refusal box: refuse, after asking

    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("không thể hoàn tác")
    dialog.locator("[data-confirm-cancel]").click()
    expect(dialog).to_be_hidden()
    assert not Dossier.objects.exists()

    page.get_by_test_id("refuse").click()
    expect(dialog).to_be_visible()
    dialog.locator("[data-confirm-ok]").click()
    expect(page.get_by_test_id("dossier-code")).to_have_text(re.compile(r"001\.37\.H21-\d{6}-0001"))
    assert Dossier.objects.get().status == "refused"
