"""An administrator corrects an applicant's details in the admin (issue 17, item 5): only the
applicant fields change, the version is bumped, the audit entry holds before → after and the
actor, and a control character is refused as every form refuses it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import translation

from audit.models import AuditEntry
from dossiers.models import Dossier
from dossiers.services import DossierChangedMeanwhile, dossier_applicant_correct
from org.models import Role
from tests.factories import MembershipFactory, UnitFactory, UserFactory, received_dossier

pytestmark = pytest.mark.django_db

ESC = "\x1b"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def desk():
    return UnitFactory(code="001.99.H99", name="UBND xã Thử")


@pytest.fixture
def dossier(desk):
    return received_dossier(desk=desk)


@pytest.fixture
def administrator(desk):
    user = UserFactory(username="quantri", is_staff=True)
    MembershipFactory(user=user, unit=desk, role=Role.ADMINISTRATOR)
    return user


def entries_for(dossier) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Dossier),
            object_id=str(dossier.pk),
            action="applicant_correct",
        )
    )


def page(dossier) -> str:
    return f"/admin/dossiers/dossier/{dossier.pk}/change/"


def form(dossier, **overrides) -> dict:
    data = {
        "applicant_name": dossier.applicant_name,
        "applicant_id_number": dossier.applicant_id_number,
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "applicant_address": dossier.applicant_address,
        "expected_version": dossier.version,
    }
    data.update(overrides)
    return data


def frozen_fields(dossier) -> dict:
    """Everything of the dossier that a correction must leave alone."""
    return {
        name: value
        for name, value in Dossier.objects.filter(pk=dossier.pk).values().get().items()
        if not name.startswith("applicant_") and name != "version"
    }


def test_an_administrator_corrects_the_name_in_the_admin(client, administrator, dossier):
    client.force_login(administrator)
    untouched = frozen_fields(dossier)

    response = client.post(
        page(dossier),
        # "code" and "status" are not fields of the form: ignored.
        form(dossier, applicant_name="Trần Thị Bình", code="XYZ", status="finished"),
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.applicant_name, dossier.version) == ("Trần Thị Bình", 1)
    assert frozen_fields(dossier) == untouched
    [entry] = entries_for(dossier)
    assert (entry.actor, entry.actor_name) == (administrator, "quantri")
    assert entry.changes == {
        "applicant_name": ["Trần Thị B", "Trần Thị Bình"],
        "version": [0, 1],
    }
    assert entry.unit_id == dossier.handling_unit_id


def test_the_contact_details_can_be_corrected_too(client, administrator, dossier):
    client.force_login(administrator)

    client.post(
        page(dossier),
        form(dossier, applicant_phone="0987654321", applicant_address="Thôn 2, xã Thử"),
    )

    [entry] = entries_for(dossier)
    assert entry.changes == {
        "applicant_address": ["", "Thôn 2, xã Thử"],
        "applicant_phone": ["0912345678", "0987654321"],
        "version": [0, 1],
    }


def test_a_control_character_is_refused_in_the_admin(client, administrator, dossier):
    client.force_login(administrator)

    response = client.post(page(dossier), form(dossier, applicant_name=f"Trần{ESC}Thị Bình"))

    assert response.status_code == 400
    dossier.refresh_from_db()
    assert (dossier.applicant_name, dossier.version) == ("Trần Thị B", 0)
    assert entries_for(dossier) == []


def test_the_service_refuses_a_control_character(administrator, dossier):
    with pytest.raises(ValidationError) as refused:
        dossier_applicant_correct(
            dossier=dossier, by=administrator, applicant_name=f"Trần{ESC}Thị Bình"
        )

    assert list(refused.value.error_dict) == ["applicant_name"]
    dossier.refresh_from_db()
    assert (dossier.applicant_name, dossier.version) == ("Trần Thị B", 0)
    assert entries_for(dossier) == []


def test_the_service_changes_only_applicant_fields(administrator, dossier):
    with pytest.raises(ValidationError):
        dossier_applicant_correct(dossier=dossier, by=administrator, status="finished")

    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == ("received", 0)


def test_the_service_accepts_names_without_the_prefix_and_strips_them(administrator, dossier):
    corrected = dossier_applicant_correct(dossier=dossier, by=administrator, name="  Trần Thị C ")

    assert corrected.applicant_name == "Trần Thị C"
    assert entries_for(dossier)[0].changes["applicant_name"] == ["Trần Thị B", "Trần Thị C"]


def test_a_blank_name_is_refused(administrator, dossier):
    with pytest.raises(ValidationError):
        dossier_applicant_correct(dossier=dossier, by=administrator, applicant_name="   ")

    assert entries_for(dossier) == []


def test_a_correction_that_changes_nothing_writes_nothing(administrator, dossier):
    dossier_applicant_correct(dossier=dossier, by=administrator, applicant_name="Trần Thị B")

    dossier.refresh_from_db()
    assert dossier.version == 0
    assert entries_for(dossier) == []


def test_a_stale_version_is_refused(administrator, dossier):
    with pytest.raises(DossierChangedMeanwhile):
        dossier_applicant_correct(
            dossier=dossier, by=administrator, expected_version=7, applicant_name="Trần Thị C"
        )

    assert entries_for(dossier) == []


def test_the_admin_form_refuses_a_page_read_before_someone_else_changed_it(
    client, administrator, dossier
):
    client.force_login(administrator)
    stale = form(dossier, applicant_name="Trần Thị Bình")
    dossier_applicant_correct(dossier=dossier, by=None, applicant_phone="0900000000")

    response = client.post(page(dossier), stale)

    assert response.status_code == 200
    assert "changed by someone else meanwhile" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Trần Thị B"
    assert [entry.actor for entry in entries_for(dossier)] == [None]


def test_a_desk_officer_cannot_correct(client, desk, dossier):
    officer = UserFactory(username="motcua", is_staff=True)
    MembershipFactory(user=officer, unit=desk, role=Role.DESK_OFFICER)
    client.force_login(officer)

    response = client.post(page(dossier), form(dossier, applicant_name="Trần Thị Bình"))

    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Trần Thị B"


def test_an_administrator_of_another_tree_does_not_see_the_dossier(client, dossier):
    stranger = UserFactory(username="quantri2", is_staff=True)
    MembershipFactory(user=stranger, unit=UnitFactory(), role=Role.ADMINISTRATOR)
    client.force_login(stranger)

    response = client.post(page(dossier), form(dossier, applicant_name="Trần Thị Bình"))

    # The admin answers a dossier outside the user's units as a missing one.
    assert response.status_code == 302 and response["Location"] == "/admin/"
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Trần Thị B"


def test_nobody_adds_or_deletes_dossiers_in_the_admin(client, administrator, dossier):
    client.force_login(administrator)

    assert client.get("/admin/dossiers/dossier/add/").status_code == 403
    assert client.post(f"/admin/dossiers/dossier/{dossier.pk}/delete/").status_code == 403
    found = client.get(f"/admin/dossiers/dossier/?q={dossier.code}")
    assert found.status_code == 200 and dossier.code in found.content.decode()
