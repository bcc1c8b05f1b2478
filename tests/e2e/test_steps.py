"""Safe steps on the dossier page, in real Chromium: a step that cannot be undone asks first
(Cancel and Esc change nothing, Confirm takes it), stays safe without JavaScript, and a step
the server refuses comes back open with what was typed and its error once, beside the field;
the supplement's papers are counted on a checklist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dossiers.forms import WithdrawForm
from dossiers.models import Dossier, DossierStatus, EventKind
from org.models import UnitLevel
from procedures.services import DocumentSpec
from tests.e2e.test_desk import desk_officer, log_in, vietnamese
from tests.factories import UnitFactory, published_procedure, received_dossier
from tests.steps import supplement_requested

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dossier() -> Dossier:
    commune = UnitFactory(code="001.37.H21", name="UBND xã Chư Gu", level=UnitLevel.COMMUNE)
    version = published_procedure(
        code="1.000001",
        name="Đăng ký khai sinh",
        documents=(DocumentSpec("Tờ khai đăng ký khai sinh", originals=1),),
    )
    desk_officer("motcua.xa", commune)
    return received_dossier(desk=commune, procedure_version=version)


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def open_step(page: Page, action: str):
    page.locator(f'[aria-controls="action-{action}"]').click()
    form = page.locator(f'form[data-action="{action}"]')
    expect(form).to_be_visible()
    return form


def test_withdrawing_asks_first_and_cancel_changes_nothing(page: Page, live_server, dossier):
    log_in(page, live_server.url, "motcua.xa", dossier.code)
    form = open_step(page, "withdraw")
    # With JavaScript the dialog is the confirmation: the "I understand" box is not shown.
    expect(form.locator('[name="withdraw-understood"]')).to_be_hidden()
    form.locator('[name="withdraw-reason"]').fill("Công dân xin rút hồ sơ")
    submit = form.locator('button[type="submit"]')
    dialog = page.get_by_test_id("confirm-dialog")

    submit.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(vietnamese(WithdrawForm.confirm_message))
    # The safe answer has the focus; Confirm is labelled with the step.
    expect(dialog.locator("[data-confirm-cancel]")).to_be_focused()
    expect(dialog.locator("[data-confirm-ok]")).to_have_text(submit.inner_text())
    dialog.locator("[data-confirm-cancel]").click()
    expect(dialog).to_be_hidden()
    expect(submit).to_be_focused()

    # Esc is a Cancel too.
    submit.click()
    # Shown (its fade ended) when the safe answer has the focus.
    expect(dialog.locator("[data-confirm-cancel]")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    assert fresh(dossier).status == DossierStatus.RECEIVED
    assert fresh(dossier).events.count() == 1
    expect(form.locator('[name="withdraw-reason"]')).to_have_value("Công dân xin rút hồ sơ")

    submit.click()
    dialog.locator("[data-confirm-ok]").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text(
        vietnamese(DossierStatus.WITHDRAWN.label)
    )
    ended = fresh(dossier)
    assert ended.status == DossierStatus.WITHDRAWN
    assert ended.events.last().kind == EventKind.WITHDRAWN
    assert ended.events.last().note == "Công dân xin rút hồ sơ"


def test_without_the_dialog_withdrawing_needs_the_box_ticked(page: Page, live_server, dossier):
    # The dialog's script did not load (or a page forgot it): the box is the confirmation.
    page.route("**/js/confirm.js", lambda route: route.abort())
    log_in(page, live_server.url, "motcua.xa", dossier.code)
    form = open_step(page, "withdraw")
    understood = form.locator('[name="withdraw-understood"]')
    expect(understood).to_be_visible()
    expect(form).to_contain_text(vietnamese(WithdrawForm.confirm_message))
    form.locator('[name="withdraw-reason"]').fill("Công dân xin rút hồ sơ")
    form.locator('button[type="submit"]').click()
    # The browser asks for the box (the server would refuse it too: the view tests).
    assert understood.evaluate("box => box.validity.valueMissing")
    assert fresh(dossier).status == DossierStatus.RECEIVED

    understood.check()
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("dossier-status")).to_have_text(
        vietnamese(DossierStatus.WITHDRAWN.label)
    )


def test_a_refused_step_comes_back_open_with_what_was_typed(page: Page, live_server, dossier):
    log_in(page, live_server.url, "motcua.xa", dossier.code)
    form = open_step(page, "apology")
    too_early = timezone.localtime(dossier.due_at) - dt.timedelta(days=1)
    form.locator('[name="apology-reason"]').fill("Chờ ý kiến của Sở Tư pháp")
    form.locator('[name="apology-new_due_at"]').fill(f"{too_early:%Y-%m-%dT%H:%M}")
    form.locator('button[type="submit"]').click()
    page.get_by_test_id("confirm-dialog").locator("[data-confirm-ok]").click()

    form = page.locator('form[data-action="apology"]')
    expect(form).to_be_visible()
    # The error once, under its field (crispy's feedback block of that input).
    error = page.locator("#error_1_id_apology-new_due_at")
    expect(error).to_be_visible()
    expect(page.get_by_text(error.inner_text())).to_have_count(1)
    expect(form.locator('[name="apology-reason"]')).to_have_value("Chờ ý kiến của Sở Tư pháp")
    expect(form.locator('[name="apology-new_due_at"]')).to_have_value(f"{too_early:%Y-%m-%dT%H:%M}")
    expect(form.locator('[name="apology-new_due_at"]')).to_be_focused()
    # The other steps stay closed; nothing was written.
    expect(page.locator('form[data-action="withdraw"]')).to_be_hidden()
    assert fresh(dossier).version == dossier.version
    assert not fresh(dossier).rescheduled_due_at


def test_the_supplements_papers_are_counted_and_listed(page: Page, live_server, dossier):
    supplement_requested(
        dossier,
        dossier.received_at + dt.timedelta(hours=1),
        reason="Thiếu giấy tờ",
        missing="- Tờ khai đăng ký khai sinh\n- Giấy chứng sinh",
    )
    log_in(page, live_server.url, "motcua.xa", dossier.code)
    form = open_step(page, "supplement_complete")
    checklist = form.get_by_test_id("supplement-checklist")
    # The catalogue's count for the paper it names, one copy for the other, an empty line.
    expect(checklist.locator('[name="documents-0-name"]')).to_have_value(
        "Tờ khai đăng ký khai sinh"
    )
    expect(checklist.locator('[name="documents-0-originals"]')).to_have_value("1")
    expect(checklist.locator('[name="documents-1-copies"]')).to_have_value("1")
    expect(checklist.locator('[name="documents-2-name"]')).to_have_value("")
    checklist.locator('[name="documents-1-copies"]').fill("0")
    checklist.locator('[name="documents-1-originals"]').fill("1")
    form.locator('button[type="submit"]').click()

    expect(page.get_by_test_id("dossier-status")).to_have_text(
        vietnamese(DossierStatus.PROCESSING.label)
    )
    listed = page.get_by_test_id("checklist")
    expect(listed).to_contain_text("Giấy chứng sinh")
    lines = fresh(dossier).documents.filter(supplement_request__isnull=False)
    assert [(d.name, d.originals, d.copies) for d in lines] == [
        ("Tờ khai đăng ký khai sinh", 1, 0),
        ("Giấy chứng sinh", 1, 0),
    ]
