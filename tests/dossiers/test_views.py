"""Desk pages: intake (receive and refuse), the type-ahead and due-date preview, the dossier
page with its steps, and the queue page's constant query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers.models import (
    Apology,
    Dossier,
    DossierDocument,
    DossierStatus,
    Event,
    SupplementRequest,
)
from dossiers.services import dossier_finish, dossier_transfer
from org.models import Role, UnitLevel
from procedures.services import DocumentSpec
from reports.models import PeriodFreeze
from tests.factories import UnitFactory, local, published_procedure, received_dossier, staff
from tests.steps import supplement_requested

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def justice(commune):
    return UnitFactory(
        code="000.12.34.TP", name="Công chức Tư pháp", level=UnitLevel.DEPARTMENT, parent=commune
    )


def paused_dossier(desk, version, reason="Thiếu", missing="CCCD"):
    """A dossier received at ``desk``, waiting since Wed 2021-03-03 09:00 for a supplement."""
    dossier = received_dossier(desk=desk, procedure_version=version)
    supplement_requested(dossier, local("2021-03-03 09:00"), reason=reason, missing=missing)
    return dossier


def intake_data(version, **overrides) -> dict:
    data = {
        "procedure_query": "1.000001",
        "procedure_version": str(version.pk),
        "channel": "direct",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "001099012345",
        "applicant_phone": "0912 345 678",
        "applicant_email": "an@example.vn",
        "applicant_address": "Thôn 1, xã Lạc Đạo",
        "sets_count": "1",
        "received_at": "2021-03-02T09:00",
        # 2021 is years back: an intake entered that late says why.
        "backdate_reason": "Nhập lại hồ sơ nhận qua bưu điện",
        "decision": "receive",
    }
    data.update(overrides)
    return data


# Intake ----------------------------------------------------------------------------------------


def test_it_shows_the_intake_form_to_a_desk_officer(commune) -> None:
    response = staff(Role.DESK_OFFICER, commune).get(reverse("dossiers:intake"))
    assert response.status_code == 200
    assert "UBND xã Lạc Đạo" in response.text
    assert reverse("dossiers:procedure_suggest") in response.text
    assert reverse("dossiers:due_preview") in response.text


def test_it_receives_a_dossier_and_announces_its_code_and_appointment(commune, version) -> None:
    client = staff(Role.DESK_OFFICER, commune)
    response = client.post(reverse("dossiers:intake"), intake_data(version), follow=True)

    dossier = Dossier.objects.get()
    assert dossier.code == "000.12.34.H30-210302-0001"
    assert response.redirect_chain == [(reverse("dossiers:detail", args=[dossier.code]), 302)]
    # Tue 02/03/2021 09:00 + 3 working days = Fri 05/03/2021 09:00.
    assert dossier.due_at == local("2021-03-05 09:00")
    assert "Dossier 000.12.34.H30-210302-0001 received. Appointment date: 05/03/2021 09:00." in (
        response.text
    )
    assert reverse("dossier_forms:receipt", args=[dossier.code]) in response.text
    assert dossier.receiving_unit == commune
    assert dossier.applicant_phone == "0912345678"
    assert dossier.applicant_id_number == "001099012345"
    assert dossier.events.get().by == response.wsgi_request.user


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"applicant_name": "  "}, "applicant_name"),
        ({"applicant_phone": "09123"}, "applicant_phone"),
        ({"applicant_phone": "09123abc45"}, "applicant_phone"),
        ({"applicant_id_number": "12345"}, "applicant_id_number"),
        ({"applicant_email": "not-an-email"}, "applicant_email"),
        ({"procedure_version": ""}, "procedure_version"),
        ({"procedure_version": "999999"}, "procedure_version"),
        ({"channel": "fax"}, "channel"),
        ({"received_at": "2999-01-01T09:00"}, "received_at"),
        ({"received_at": "yesterday"}, "received_at"),
        ({"sets_count": "0"}, "sets_count"),
    ],
)
def test_it_writes_nothing_on_invalid_intake(commune, version, overrides, field) -> None:
    client = staff(Role.DESK_OFFICER, commune)
    response = client.post(reverse("dossiers:intake"), intake_data(version, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Dossier.objects.exists()
    assert not Event.objects.exists()


def test_it_refuses_a_version_not_in_force_on_the_received_day(commune) -> None:
    later = published_procedure(code="1.000009", valid_from=dt.date(2022, 1, 1))
    client = staff(Role.DESK_OFFICER, commune)
    response = client.post(reverse("dossiers:intake"), intake_data(later))
    assert response.status_code == 400
    assert "is not in force on 02/03/2021" in response.text
    assert not Dossier.objects.exists()


def test_it_refuses_a_dossier_at_intake_with_a_reason(commune, version) -> None:
    client = staff(Role.DESK_OFFICER, commune)
    data = intake_data(version, decision="refuse", refusal_reason="Không thuộc thẩm quyền")
    response = client.post(reverse("dossiers:intake"), data, follow=True)

    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.REFUSED
    assert dossier.events.get().note == "Không thuộc thẩm quyền"
    assert f"Dossier {dossier.code} was refused at intake." in response.text
    assert reverse("dossier_forms:refusal", args=[dossier.code]) in response.text
    assert reverse("dossier_forms:receipt", args=[dossier.code]) not in response.text


def test_refusing_requires_a_reason(commune, version) -> None:
    client = staff(Role.DESK_OFFICER, commune)
    response = client.post(reverse("dossiers:intake"), intake_data(version, decision="refuse"))
    assert response.status_code == 400
    assert "refusal_reason" in response.context["form"].errors
    assert not Dossier.objects.exists()


# Guards at intake: frozen periods, back-dating, units in force, competence ---------------------


def test_it_refuses_an_intake_in_a_frozen_quarter_and_says_which(commune, version) -> None:
    PeriodFreeze.objects.create(period_key="calendar:quarter:2021:1", frozen_at=timezone.now())
    response = staff(Role.DESK_OFFICER, commune).post(
        reverse("dossiers:intake"), intake_data(version)
    )
    assert response.status_code == 400
    assert "The figures of Quarter 1/2021 (01/01/2021–31/03/2021) are frozen" in response.text
    assert not Dossier.objects.exists()


def test_it_asks_for_the_reason_of_a_back_dated_intake(commune, version) -> None:
    client = staff(Role.DESK_OFFICER, commune)
    response = client.post(reverse("dossiers:intake"), intake_data(version, backdate_reason=""))
    assert response.status_code == 400
    [message] = response.context["form"].errors["backdate_reason"]
    assert "more than 3 working days ago: give the reason for entering it late" in message
    assert not Dossier.objects.exists()


def test_it_keeps_the_reason_of_a_back_dated_intake_on_the_event(commune, version) -> None:
    client = staff(Role.DESK_OFFICER, commune)
    client.post(
        reverse("dossiers:intake"), intake_data(version, backdate_reason="Hồ sơ gửi bưu điện")
    )
    assert Dossier.objects.get().events.get().note == "Hồ sơ gửi bưu điện"


def test_it_needs_no_reason_for_an_intake_of_today(commune, version) -> None:
    now = timezone.localtime()
    client = staff(Role.DESK_OFFICER, commune)
    response = client.post(
        reverse("dossiers:intake"),
        intake_data(version, backdate_reason="", received_at=f"{now:%Y-%m-%dT%H:%M}"),
    )
    assert response.status_code == 302
    assert Dossier.objects.get().events.get().note == ""


def test_the_preview_warns_of_a_back_dated_time(commune, version) -> None:
    client = staff(Role.DESK_OFFICER, commune)
    params = {"procedure_version": version.pk, "channel": "direct"}
    old = client.get(reverse("dossiers:due_preview"), {**params, "received_at": "2021-03-05T16:30"})
    assert "more than 3 working days ago: give the reason" in old.text
    now = client.get(
        reverse("dossiers:due_preview"),
        {**params, "received_at": f"{timezone.localtime():%Y-%m-%dT%H:%M}"},
    )
    assert 'data-testid="backdate-warning"' not in now.text


@pytest.fixture
def ended_commune(version):
    successor = UnitFactory(name="Xã Phú Túc", valid_from=dt.date(2025, 7, 1))
    return UnitFactory(
        code="007.37.H21", name="Xã Chư Ngọc", valid_to=dt.date(2025, 6, 30), successor=successor
    )


def test_an_ended_desk_is_told_so_and_its_intake_refused(ended_commune, version) -> None:
    client = staff(Role.DESK_OFFICER, ended_commune)
    page = client.get(reverse("dossiers:intake"))
    assert "Xã Chư Ngọc ended on 30/06/2025; its work passed to Xã Phú Túc." in page.text
    now = timezone.localtime()
    response = client.post(
        reverse("dossiers:intake"), intake_data(version, received_at=f"{now:%Y-%m-%dT%H:%M}")
    )
    assert response.status_code == 400
    assert (
        f"No dossier can be received at its desk on {now:%d/%m/%Y}: receive it at the desk of "
        "Xã Phú Túc."
    ) in response.context["form"].non_field_errors()[0]
    assert not Dossier.objects.exists()


def test_it_refuses_a_procedure_outside_the_desks_competence(commune) -> None:
    district_only = published_procedure(
        code="2.000635", name="Cấp bản sao trích lục hộ tịch", levels=("district",)
    )
    client = staff(Role.DESK_OFFICER, commune)
    response = client.post(reverse("dossiers:intake"), intake_data(district_only))
    assert response.status_code == 400
    [message] = response.context["form"].errors["procedure_version"]
    assert message.startswith(
        "UBND xã Lạc Đạo may not receive procedure 2.000635 “Cấp bản sao trích lục hộ tịch”"
    )
    assert not Dossier.objects.exists()


# Type-ahead and preview ------------------------------------------------------------------------


def test_it_suggests_procedures_in_force_today(commune, version) -> None:
    published_procedure(code="1.000002", name="Đăng ký kết hôn")
    abolished = published_procedure(code="1.000003", name="Đăng ký cũ")
    abolished_valid_to = dt.date(2020, 12, 31)
    type(abolished).objects.filter(pk=abolished.pk).update(valid_to=abolished_valid_to)
    client = staff(Role.DESK_OFFICER, commune)

    response = client.get(reverse("dossiers:procedure_suggest"), {"q": "dang ky"})
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in response.text
    assert "Đăng ký kết hôn" in response.text
    assert "Đăng ký cũ" not in response.text
    assert f'data-version-id="{version.pk}"' in response.text
    assert "3 working days" in response.text


def test_it_suggests_at_most_fifteen(commune) -> None:
    for n in range(20):
        published_procedure(code=f"1.0001{n:02d}", name=f"Thủ tục số {n}")
    response = staff(Role.DESK_OFFICER, commune).get(
        reverse("dossiers:procedure_suggest"), {"q": "thu tuc"}
    )
    assert response.text.count("data-version-id=") == 15


def test_it_previews_the_appointment_date(commune, version) -> None:
    client = staff(Role.DESK_OFFICER, commune)
    response = client.get(
        reverse("dossiers:due_preview"),
        {"procedure_version": version.pk, "channel": "direct", "received_at": "2021-03-05T16:30"},
    )
    assert response.status_code == 200
    # Fri 16:30: half an hour on Friday, then Mon, Tue, and 7.5 h of Wednesday.
    assert "10/03/2021 16:30" in response.text


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"procedure_version": "abc", "channel": "direct", "received_at": "2021-03-05T16:30"},
        {"procedure_version": "{pk}", "channel": "fax", "received_at": "2021-03-05T16:30"},
        {"procedure_version": "{pk}", "channel": "direct", "received_at": "5 March"},
        {"procedure_version": "{pk}", "channel": "direct", "received_at": "2019-03-05T16:30"},
    ],
)
def test_it_answers_400_to_a_bad_preview(commune, version, params) -> None:
    params = {key: value.replace("{pk}", str(version.pk)) for key, value in params.items()}
    response = staff(Role.DESK_OFFICER, commune).get(reverse("dossiers:due_preview"), params)
    assert response.status_code == 400
    assert 'data-testid="due-preview-error"' in response.text


# Dossier page ----------------------------------------------------------------------------------


def test_the_dossier_page_shows_facts_and_timeline(commune, justice, version) -> None:
    dossier = received_dossier(desk=commune, procedure_version=version)
    dossier_transfer(
        dossier=dossier,
        to_unit=justice,
        by=None,
        note="Chuyển xử lý",
        at=local("2021-03-02 10:00"),
        step_due_at=local("2021-03-04 17:00"),
    )
    response = staff(Role.DESK_OFFICER, commune).get(
        reverse("dossiers:detail", args=[dossier.code])
    )
    assert response.status_code == 200
    text = response.text
    assert dossier.code in text
    assert "1.000001" in text and "Đăng ký khai sinh" in text
    assert "05/03/2021 09:00" in text  # due
    assert "Transferred" in text and "Chuyển xử lý" in text
    assert "UBND xã Lạc Đạo → Công chức Tư pháp" in text
    assert "04/03/2021 17:00" in text  # the step's due date
    assert reverse("dossier_forms:control_sheet", args=[dossier.code]) in text


def post_action(client: Client, dossier: Dossier, action: str, **fields):
    data = {f"{action}-expected_version": str(dossier.version)}
    for key, value in fields.items():
        # The checklist's fields carry the formset's prefix, the step's own fields the step's.
        data[key if key.startswith("documents-") else f"{action}-{key}"] = value
    return client.post(reverse("dossiers:action", args=[dossier.code, action]), data, follow=True)


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def checklist(*lines: list[str]) -> dict:
    """The supplement step's checklist as posted: lines of [name, originals, certified
    copies, copies] (the prefix is the formset's, not the step's)."""
    data = {
        "documents-TOTAL_FORMS": str(len(lines)),
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "60",
    }
    for number, (name, originals, certified, copies) in enumerate(lines):
        data[f"documents-{number}-name"] = name
        data[f"documents-{number}-originals"] = originals
        data[f"documents-{number}-certified_copies"] = certified
        data[f"documents-{number}-copies"] = copies
    return data


def post_step(
    client: Client, dossier: Dossier, action: str, documents: dict | None = None, **fields
):
    """A step posted without following the redirect (a refused step answers 400 in place)."""
    data = {f"{action}-expected_version": str(dossier.version)}
    data.update({f"{action}-{key}": value for key, value in fields.items()})
    data.update(documents or {})
    return client.post(reverse("dossiers:action", args=[dossier.code, action]), data)


def section(response, action: str):
    [found] = [s for s in response.context["sections"] if s.action == action]
    return found


def test_it_transfers(commune, justice, version) -> None:
    dossier = received_dossier(desk=commune, procedure_version=version)
    client = staff(Role.DESK_OFFICER, commune)
    response = post_action(client, dossier, "transfer", to_unit=str(justice.pk), note="Xử lý")
    assert f"Dossier {dossier.code} was transferred." in response.text
    dossier = fresh(dossier)
    assert dossier.handling_unit == justice
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.events.last().note == "Xử lý"


def test_it_transfers_back_to_the_desk_only_among_offered_units(commune, justice, version) -> None:
    dossier = dossier_transfer(
        dossier=received_dossier(desk=commune, procedure_version=version),
        to_unit=justice,
        by=None,
        at=local("2021-03-02 10:00"),
    )
    client = staff(Role.PROCESSING_OFFICER, justice)
    outsider = UnitFactory(name="Xã khác")
    response = post_action(client, dossier, "transfer", to_unit=str(outsider.pk))
    assert "Select a valid choice" in response.text
    assert fresh(dossier).handling_unit == justice

    post_action(client, dossier, "transfer", to_unit=str(commune.pk))
    assert fresh(dossier).handling_unit == commune


def test_it_offers_to_hand_over_only_to_units_in_force_today(commune, justice, version) -> None:
    ended = UnitFactory(name="Tổ một cửa cũ", parent=commune, valid_to=dt.date(2025, 6, 30))
    later = UnitFactory(name="Tổ sắp lập", parent=commune, valid_from=dt.date(2099, 1, 1))
    dossier = received_dossier(desk=commune, procedure_version=version)
    client = staff(Role.DESK_OFFICER, commune)
    page = client.get(reverse("dossiers:detail", args=[dossier.code]))
    [transfer] = [s for s in page.context["sections"] if s.action == "transfer"]
    assert list(transfer.form.fields["to_unit"].queryset) == [justice]

    response = post_action(client, dossier, "transfer", to_unit=str(ended.pk))
    assert "Select a valid choice" in response.text
    response = post_action(client, dossier, "transfer", to_unit=str(later.pk))
    assert "Select a valid choice" in response.text
    assert fresh(dossier).handling_unit == commune
    assert fresh(dossier).events.count() == 1


def test_a_provincial_centre_hands_over_to_the_departments_in_force() -> None:
    province = UnitFactory(code="T52", name="UBND tỉnh Gia Lai", level=UnitLevel.PROVINCE)
    centre = UnitFactory(
        code="T52.TTHCC", name="Trung tâm PVHCC", level=UnitLevel.CENTRE, parent=province
    )
    department = UnitFactory(
        code="T52.SNNMT", name="Sở NN và MT", level=UnitLevel.DEPARTMENT, parent=province
    )
    UnitFactory(
        name="Sở cũ", level=UnitLevel.DEPARTMENT, parent=province, valid_to=dt.date(2025, 6, 30)
    )
    UnitFactory(name="Tỉnh khác", level=UnitLevel.PROVINCE)
    version = published_procedure(code="1.000002", levels=("province",))
    dossier = received_dossier(desk=centre, procedure_version=version)
    page = staff(Role.DESK_OFFICER, centre).get(reverse("dossiers:detail", args=[dossier.code]))
    [transfer] = [s for s in page.context["sections"] if s.action == "transfer"]
    assert list(transfer.form.fields["to_unit"].queryset) == [province, department]


def test_it_requests_and_completes_a_supplement(commune, version) -> None:
    dossier = received_dossier(desk=commune, procedure_version=version)
    client = staff(Role.DESK_OFFICER, commune)
    response = post_action(
        client, dossier, "supplement_request", reason="Thiếu giấy", missing_documents="CCCD"
    )
    assert "A supplement was requested" in response.text
    dossier = fresh(dossier)
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    assert SupplementRequest.objects.get().missing_documents == "CCCD"
    assert reverse("dossier_forms:supplement", args=[dossier.code]) in response.text

    response = post_action(
        client, dossier, "supplement_complete", **checklist(["CCCD", "", "", "1"], ["", "", "", ""])
    )
    assert "The supplement of dossier" in response.text
    assert fresh(dossier).status == DossierStatus.PROCESSING
    request = SupplementRequest.objects.get()
    assert request.completed_at is not None
    [line] = fresh(dossier).documents.filter(supplement_request=request)
    assert (line.name, line.originals, line.certified_copies, line.copies) == ("CCCD", 0, 0, 1)


def test_it_finishes_and_returns(commune, version) -> None:
    dossier = received_dossier(desk=commune, procedure_version=version)
    leader = staff(Role.UNIT_LEADER, commune)
    response = post_action(leader, dossier, "finish", note="Đã ký")
    assert "is ready" in response.text
    dossier = fresh(dossier)
    assert dossier.status == DossierStatus.FINISHED

    desk = staff(Role.DESK_OFFICER, commune)
    response = post_action(desk, dossier, "return")
    assert "was returned to the applicant" in response.text
    assert fresh(dossier).status == DossierStatus.RETURNED


@pytest.mark.parametrize(
    "role, action, status",
    [
        (Role.DESK_OFFICER, "withdraw", DossierStatus.WITHDRAWN),
        (Role.PROCESSING_OFFICER, "stop", DossierStatus.STOPPED),
    ],
)
def test_it_ends_a_dossier_with_a_reason(commune, version, role, action, status) -> None:
    dossier = received_dossier(desk=commune, procedure_version=version)
    client = staff(role, commune)
    response = post_action(client, dossier, action, reason="", understood="on")
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert fresh(dossier).status == DossierStatus.RECEIVED

    post_action(client, dossier, action, reason="Công dân đề nghị", understood="on")
    assert fresh(dossier).status == status
    assert fresh(dossier).events.last().note == "Công dân đề nghị"


def test_it_issues_an_apology_with_a_later_date(commune, version) -> None:
    now = timezone.localtime()
    dossier = received_dossier(
        desk=commune, procedure_version=version, received_at=now - dt.timedelta(hours=1)
    )
    client = staff(Role.DESK_OFFICER, commune)
    too_early = timezone.localtime(dossier.due_at) - dt.timedelta(days=1)
    response = post_action(
        client, dossier, "apology", reason="Chậm", new_due_at=f"{too_early:%Y-%m-%dT%H:%M}"
    )
    assert "The new due date must be after the current due date." in response.text
    assert not Apology.objects.exists()

    later = timezone.localtime(dossier.due_at) + dt.timedelta(days=7)
    response = post_action(
        client, dossier, "apology", reason="Chậm", new_due_at=f"{later:%Y-%m-%dT%H:%M}"
    )
    assert "An apology was issued" in response.text
    assert Apology.objects.get().reason == "Chậm"
    assert fresh(dossier).rescheduled_due_at is not None
    assert reverse("dossier_forms:apology", args=[dossier.code]) in response.text
    # One apology per dossier: the step is no longer offered, nor accepted.
    response = post_action(
        client, fresh(dossier), "apology", reason="Lần 2", new_due_at=f"{later:%Y-%m-%dT%H:%M}"
    )
    assert response.status_code == 403
    assert Apology.objects.count() == 1


def test_it_refuses_to_return_an_unfinished_dossier(commune, version) -> None:
    dossier = received_dossier(desk=commune, procedure_version=version)
    response = post_action(staff(Role.DESK_OFFICER, commune), dossier, "return")
    assert response.status_code == 403
    assert "This step is not allowed" in response.text
    assert fresh(dossier).status == DossierStatus.RECEIVED
    assert fresh(dossier).version == dossier.version


def test_it_reports_a_service_refusal_and_changes_nothing(commune, version) -> None:
    # Finishing today when today's quarter is frozen: the form is valid, the service refuses.
    # (It used to receive a dossier in the future to get "finished before receipt"; intake now
    # refuses a future received time.)
    dossier = received_dossier(desk=commune, procedure_version=version)
    today = timezone.localdate()
    PeriodFreeze.objects.create(
        period_key=f"calendar:quarter:{today.year}:{(today.month - 1) // 3 + 1}",
        frozen_at=timezone.now(),
    )
    response = post_action(staff(Role.UNIT_LEADER, commune), dossier, "finish", note="Đã ký")
    # The refusal is said once, at the top of the step's form, which stays open as typed.
    assert response.status_code == 400
    assert response.text.count("are frozen") == 1
    assert section(response, "finish").open
    assert "Đã ký</textarea>" in response.text
    assert fresh(dossier).status == DossierStatus.RECEIVED
    assert fresh(dossier).events.count() == 1


def test_it_refuses_a_stale_form(commune, justice, version) -> None:
    dossier = received_dossier(desk=commune, procedure_version=version)
    stale_version = dossier.version
    dossier_transfer(dossier=dossier, to_unit=justice, by=None, at=local("2021-03-02 10:00"))
    client = staff(Role.UNIT_LEADER, commune)
    response = client.post(
        reverse("dossiers:action", args=[dossier.code, "finish"]),
        {"finish-expected_version": str(stale_version), "finish-note": ""},
        follow=True,
    )
    assert "changed by someone else meanwhile" in response.text
    dossier = fresh(dossier)
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.version == stale_version + 1


# Safe steps: what cannot be undone is confirmed; a refused step stays open as typed -----------


@pytest.mark.parametrize(
    "role, action, message",
    [
        (Role.DESK_OFFICER, "withdraw", "Withdrawing ends the dossier; it cannot be reopened."),
        (
            Role.PROCESSING_OFFICER,
            "stop",
            "Stopping ends the processing of the dossier; it cannot be resumed.",
        ),
    ],
)
def test_ending_a_dossier_asks_for_confirmation(commune, version, role, action, message) -> None:
    dossier = received_dossier(desk=commune, procedure_version=version)
    client = staff(role, commune)
    page = client.get(reverse("dossiers:detail", args=[dossier.code]))
    assert f'data-confirm="{message}"' in page.text
    assert 'id="confirm-dialog"' in page.text and "/static/js/confirm.js" in page.text

    # Without the dialog (no JavaScript) the box is the confirmation, and the server wants it.
    response = post_step(client, dossier, action, reason="Công dân đề nghị")
    assert response.status_code == 400
    assert response.text.count("Tick the box to confirm: this step cannot be undone.") == 1
    assert section(response, action).open
    assert "Công dân đề nghị</textarea>" in response.text
    dossier = fresh(dossier)
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.events.count() == 1

    response = post_step(client, dossier, action, reason="Công dân đề nghị", understood="on")
    assert response.status_code == 302
    assert fresh(dossier).status != DossierStatus.RECEIVED


def test_only_the_steps_that_cannot_be_undone_ask(commune, version) -> None:
    dossier = received_dossier(desk=commune, procedure_version=version)
    page = staff(Role.DESK_OFFICER, commune).get(reverse("dossiers:detail", args=[dossier.code]))
    asking = [s.action for s in page.context["sections"] if s.form.confirm_message]
    offered = [s.action for s in page.context["sections"]]
    assert offered == ["supplement_request", "withdraw", "apology"]
    assert asking == ["withdraw", "apology"]
    assert page.text.count("data-confirm=") == 2


def test_a_refused_step_stays_open_with_what_was_typed_and_the_error_once(commune, version) -> None:
    dossier = received_dossier(desk=commune, procedure_version=version)
    client = staff(Role.DESK_OFFICER, commune)
    too_early = f"{timezone.localtime(dossier.due_at) - dt.timedelta(days=1):%Y-%m-%dT%H:%M}"
    response = post_step(
        client, dossier, "apology", reason="Chờ ý kiến của Sở Tư pháp", new_due_at=too_early
    )

    assert response.status_code == 400
    text = response.text
    assert text.count("The new due date must be after the current due date.") == 1
    # Beside its field (crispy's feedback block of that input), not in a message at the top.
    assert 'id="error_1_id_apology-new_due_at"' in text
    assert not list(response.context["messages"])
    assert [s.action for s in response.context["sections"] if s.open] == ["apology"]
    assert 'class="collapse show" id="action-apology"' in text
    assert "Chờ ý kiến của Sở Tư pháp</textarea>" in text
    assert f'value="{too_early}"' in text
    assert not Apology.objects.exists()
    assert fresh(dossier).version == dossier.version


def test_the_supplement_step_lists_the_requested_papers(commune) -> None:
    version = published_procedure(
        code="1.000002",
        name="Đăng ký kết hôn",
        documents=(
            DocumentSpec("Tờ khai đăng ký kết hôn", originals=1),
            DocumentSpec("Giấy xác nhận tình trạng hôn nhân", originals=1, copies=2),
        ),
    )
    dossier = paused_dossier(
        commune,
        version,
        reason="Thiếu giấy",
        missing="- giấy xác nhận tình trạng  hôn nhân;\n\n2) Bản sao CCCD của bên nam",
    )
    page = staff(Role.DESK_OFFICER, commune).get(reverse("dossiers:detail", args=[dossier.code]))
    documents = section(page, "supplement_complete").form.documents
    lines = [
        tuple(form.initial.get(key) for key in ("name", "originals", "certified_copies", "copies"))
        for form in documents.forms
    ]
    assert lines == [
        # Named as the catalogue names it, counted as it counts it.
        ("Giấy xác nhận tình trạng hôn nhân", 1, 0, 2),
        # Not in the catalogue: one copy.
        ("Bản sao CCCD của bên nam", 0, 0, 1),
        # A line for a paper the request did not name.
        (None, None, None, None),
    ]
    assert 'value="Bản sao CCCD của bên nam"' in page.text


def test_the_supplement_is_recorded_with_its_papers_and_the_page_shows_the_checklist(
    commune,
) -> None:
    version = published_procedure(
        code="1.000002",
        name="Đăng ký kết hôn",
        documents=(DocumentSpec("Tờ khai đăng ký kết hôn", originals=1),),
    )
    dossier = paused_dossier(commune, version, reason="Thiếu giấy", missing="Bản sao CCCD")
    client = staff(Role.DESK_OFFICER, commune)
    response = post_step(
        client,
        fresh(dossier),
        "supplement_complete",
        documents=checklist(["Bản sao CCCD", "0", "1", "1"], ["Giấy ủy quyền", "1", "", ""]),
    )
    assert response.status_code == 302

    request = SupplementRequest.objects.get()
    added = [
        (d.position, d.name, d.originals, d.certified_copies, d.copies)
        for d in DossierDocument.objects.filter(supplement_request=request)
    ]
    assert added == [(1, "Bản sao CCCD", 0, 1, 1), (2, "Giấy ủy quyền", 1, 0, 0)]

    page = client.get(reverse("dossiers:detail", args=[dossier.code]))
    parts = page.context["checklist"]
    assert [part.supplement for part in parts] == [None, request]
    assert [d.name for d in parts[0].documents] == ["Tờ khai đăng ký kết hôn"]
    assert "At intake" in page.text
    completed = timezone.localtime(request.completed_at)
    assert f"Supplement handed in {completed:%d/%m/%Y %H:%M}" in page.text


@pytest.mark.parametrize(
    "lines, message",
    [
        ([["Bản sao CCCD", "-1", "", ""]], "Enter a whole number, 0 or more."),
        ([["Bản sao CCCD", "hai", "", ""]], "Enter a whole number, 0 or more."),
        ([["", "", "", "2"]], "Name the paper."),
    ],
)
def test_a_bad_checklist_is_refused_beside_its_line_and_nothing_is_written(
    commune, version, lines, message
) -> None:
    dossier = paused_dossier(commune, version)
    client = staff(Role.DESK_OFFICER, commune)
    typed = checklist(["Tờ khai", "1", "", ""], *lines)
    response = post_step(client, fresh(dossier), "supplement_complete", documents=typed)

    assert response.status_code == 400
    assert response.text.count(message) == 1
    assert 'class="invalid-feedback d-block"' in response.text
    assert section(response, "supplement_complete").open
    assert 'value="Tờ khai"' in response.text
    assert fresh(dossier).status == DossierStatus.SUPPLEMENT_REQUESTED
    assert SupplementRequest.objects.get().completed_at is None
    assert not DossierDocument.objects.filter(supplement_request__isnull=False).exists()


def test_a_supplement_posted_without_its_checklist_is_refused(commune, version) -> None:
    dossier = paused_dossier(commune, version)
    response = post_step(staff(Role.DESK_OFFICER, commune), fresh(dossier), "supplement_complete")
    assert response.status_code == 400
    assert fresh(dossier).status == DossierStatus.SUPPLEMENT_REQUESTED


def test_actions_accept_only_post(commune, version) -> None:
    dossier = received_dossier(desk=commune, procedure_version=version)
    response = staff(Role.UNIT_LEADER, commune).get(
        reverse("dossiers:action", args=[dossier.code, "finish"])
    )
    assert response.status_code == 405
    assert fresh(dossier).status == DossierStatus.RECEIVED


def test_an_unknown_step_is_not_found(commune, version) -> None:
    dossier = received_dossier(desk=commune, procedure_version=version)
    response = staff(Role.UNIT_LEADER, commune).post(f"/ho-so/{dossier.code}/archive/")
    assert response.status_code == 404


# Queue page ------------------------------------------------------------------------------------


def test_the_queue_page_lists_and_counts(commune, version) -> None:
    received = received_dossier(desk=commune, procedure_version=version)
    finished = dossier_finish(
        dossier=received_dossier(desk=commune, procedure_version=version),
        by=None,
        at=local("2021-03-03 09:00"),
    )
    client = staff(Role.DESK_OFFICER, commune)

    response = client.get(reverse("dossiers:queue"), {"queue": "ready"})
    assert response.status_code == 200
    assert finished.code in response.text
    assert received.code not in response.text
    tabs = {tab.name: tab.count for tab in response.context["tabs"]}
    assert tabs["ready"] == 1
    assert tabs["new"] == 1
    assert tabs["overdue"] == 1  # due 05/03/2021, long past
    assert tabs["all"] == 2


def test_the_queue_page_searches(commune, version) -> None:
    an = received_dossier(desk=commune, procedure_version=version, applicant={"name": "Hà Văn An"})
    binh = received_dossier(
        desk=commune, procedure_version=version, applicant={"name": "Lê Thị Bình"}
    )
    response = staff(Role.DESK_OFFICER, commune).get(reverse("dossiers:queue"), {"q": "bình"})
    assert binh.code in response.text
    assert an.code not in response.text


def test_an_unknown_queue_is_a_bad_request(commune) -> None:
    response = staff(Role.DESK_OFFICER, commune).get(reverse("dossiers:queue"), {"queue": "x"})
    assert response.status_code == 400


def test_an_overlong_search_is_a_bad_request(commune) -> None:
    response = staff(Role.DESK_OFFICER, commune).get(reverse("dossiers:queue"), {"q": "x" * 101})
    assert response.status_code == 400
    assert "at most 100 characters" in response.text


def test_the_queue_page_paginates(commune, version) -> None:
    for _ in range(26):
        received_dossier(desk=commune, procedure_version=version)
    client = staff(Role.DESK_OFFICER, commune)
    first = client.get(reverse("dossiers:queue"), {"queue": "new"})
    assert len(first.context["rows"]) == 25
    assert first.context["previous_url"] == ""
    second = client.get(reverse("dossiers:queue") + first.context["next_url"])
    assert len(second.context["rows"]) == 1
    assert second.context["next_url"] == ""
    assert {row.dossier.pk for row in first.context["rows"] + second.context["rows"]} == set(
        Dossier.objects.values_list("pk", flat=True)
    )


def queue_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("dossiers:queue"), {"queue": "all"})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_queue_page_query_count_does_not_grow_with_rows(commune, justice, version) -> None:
    def add(n: int) -> None:
        for i in range(n):
            dossier = received_dossier(desk=commune, procedure_version=version)
            if i % 2:
                dossier_transfer(
                    dossier=dossier, to_unit=justice, by=None, at=local("2021-03-02 10:00")
                )
            if i % 3 == 0:
                supplement_requested(Dossier.objects.get(pk=dossier.pk), local("2021-03-02 11:00"))

    client = staff(Role.DESK_OFFICER, commune)
    add(3)
    queue_queries(client)  # warm the working-calendar cache
    with_three = queue_queries(client)
    add(27)
    with_thirty = queue_queries(client)
    assert with_thirty == with_three
    # Session, user, membership; the visible units; the counts; the page.
    assert with_three <= 8
