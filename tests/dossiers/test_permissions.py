"""Who sees and does what on the desk pages: Bob may not see Alice's dossier (404 everywhere,
absent from queues and search), only desks receive, the committee reads without acting, and a
district desk sees the dossiers of its communes."""

import pytest
from django.test import Client
from django.urls import reverse

from dossiers.models import Dossier, DossierStatus
from org.models import Role, UnitLevel
from tests.factories import UnitFactory, published_procedure, received_dossier, staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def dossier_a(commune_a, version):
    return received_dossier(
        desk=commune_a,
        procedure_version=version,
        applicant={"name": "Alice Nguyễn", "phone": "0912345678"},
    )


@pytest.fixture
def dossier_b(commune_b, version):
    return received_dossier(
        desk=commune_b, procedure_version=version, applicant={"name": "Bob Trần"}
    )


@pytest.mark.parametrize(
    "url_name",
    ["dossiers:queue", "dossiers:intake", "dossiers:procedure_suggest", "dossiers:due_preview"],
)
def test_anonymous_users_are_sent_to_login(client: Client, url_name: str) -> None:
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_users_cannot_open_or_act_on_a_dossier(client: Client, dossier_a) -> None:
    assert client.get(reverse("dossiers:detail", args=[dossier_a.code])).status_code == 302
    response = client.post(reverse("dossiers:action", args=[dossier_a.code, "finish"]))
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier_a.pk).status == DossierStatus.RECEIVED


# Bob may not see Alice's dossier ----------------------------------------------------------------


def test_another_communes_dossier_is_not_found(commune_b, dossier_a) -> None:
    client = staff(Role.UNIT_LEADER, commune_b)
    assert client.get(reverse("dossiers:detail", args=[dossier_a.code])).status_code == 404


@pytest.mark.parametrize("action", ["transfer", "finish", "withdraw", "return"])
def test_another_communes_dossier_cannot_be_acted_on(commune_b, dossier_a, action) -> None:
    client = staff(Role.UNIT_LEADER, commune_b)
    response = client.post(
        reverse("dossiers:action", args=[dossier_a.code, action]),
        {f"{action}-expected_version": "0", f"{action}-reason": "x", f"{action}-note": "x"},
    )
    assert response.status_code == 404
    fresh = Dossier.objects.get(pk=dossier_a.pk)
    assert fresh.status == DossierStatus.RECEIVED
    assert fresh.version == dossier_a.version


def test_another_communes_dossier_is_absent_from_queues_and_search(
    commune_b, dossier_a, dossier_b
) -> None:
    client = staff(Role.DESK_OFFICER, commune_b)
    listed = client.get(reverse("dossiers:queue"))
    assert dossier_b.code in listed.text
    assert dossier_a.code not in listed.text
    assert {tab.name: tab.count for tab in listed.context["tabs"]}["all"] == 1

    for q in (dossier_a.code, "Alice", "0912345678"):
        searched = client.get(reverse("dossiers:queue"), {"q": q})
        assert searched.context["rows"] == [], q
        assert reverse("dossiers:detail", args=[dossier_a.code]) not in searched.text, q


# Roles --------------------------------------------------------------------------------------------


def test_a_processing_officer_cannot_receive(commune_a, version) -> None:
    client = staff(Role.PROCESSING_OFFICER, commune_a)
    response = client.get(reverse("dossiers:intake"))
    assert response.status_code == 403
    assert "Only desk officers and unit leaders receive dossiers." in response.text

    response = client.post(
        reverse("dossiers:intake"),
        {
            "procedure_version": str(version.pk),
            "channel": "direct",
            "applicant_name": "Nguyễn Văn An",
            "sets_count": "1",
            "received_at": "2021-03-02T09:00",
        },
    )
    assert response.status_code == 403
    assert not Dossier.objects.exists()


def test_a_user_without_a_unit_cannot_receive(version) -> None:
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("dossiers:intake")).status_code == 403


def test_a_committee_member_reads_but_does_not_act(commune_a, dossier_a) -> None:
    client = staff(Role.COMMITTEE_MEMBER, commune_a)
    page = client.get(reverse("dossiers:detail", args=[dossier_a.code]))
    assert page.status_code == 200
    assert page.context["sections"] == []
    assert 'data-testid="no-actions"' in page.text
    assert reverse("dossiers:action", args=[dossier_a.code, "finish"]) not in page.text

    response = client.post(
        reverse("dossiers:action", args=[dossier_a.code, "finish"]),
        {"finish-expected_version": str(dossier_a.version)},
    )
    assert response.status_code == 403
    assert Dossier.objects.get(pk=dossier_a.pk).status == DossierStatus.RECEIVED


def test_a_desk_officer_is_offered_only_desk_steps(commune_a, dossier_a) -> None:
    page = staff(Role.DESK_OFFICER, commune_a).get(
        reverse("dossiers:detail", args=[dossier_a.code])
    )
    offered = {section.action for section in page.context["sections"]}
    # No unit under the commune to hand over to: transferring is not offered.
    assert offered == {"supplement_request", "withdraw", "apology"}


def test_transfer_is_offered_when_there_is_a_unit_to_hand_over_to(commune_a, dossier_a) -> None:
    UnitFactory(name="Công chức Tư pháp", level=UnitLevel.DEPARTMENT, parent=commune_a)
    page = staff(Role.DESK_OFFICER, commune_a).get(
        reverse("dossiers:detail", args=[dossier_a.code])
    )
    offered = {section.action for section in page.context["sections"]}
    assert offered == {"transfer", "supplement_request", "withdraw", "apology"}
    choices = [unit.name for unit in page.context["sections"][0].form.fields["to_unit"].queryset]
    assert choices == ["Công chức Tư pháp"]


def test_a_desk_officer_cannot_finish(commune_a, dossier_a) -> None:
    response = staff(Role.DESK_OFFICER, commune_a).post(
        reverse("dossiers:action", args=[dossier_a.code, "finish"]),
        {"finish-expected_version": str(dossier_a.version)},
    )
    assert response.status_code == 403
    assert Dossier.objects.get(pk=dossier_a.pk).status == DossierStatus.RECEIVED


# The unit tree -----------------------------------------------------------------------------------


def test_a_district_desk_sees_its_communes_dossiers(district, dossier_a, dossier_b) -> None:
    outside = received_dossier(
        desk=UnitFactory(code="000.00.99.H31", name="Huyện khác", level=UnitLevel.DISTRICT),
        # A district desk receives district procedures (competence at intake).
        procedure_version=published_procedure(code="2.000001", levels=("district",)),
    )
    client = staff(Role.DESK_OFFICER, district)
    listed = client.get(reverse("dossiers:queue"))
    assert dossier_a.code in listed.text
    assert dossier_b.code in listed.text
    assert outside.code not in listed.text
    assert client.get(reverse("dossiers:detail", args=[dossier_b.code])).status_code == 200
    assert client.get(reverse("dossiers:detail", args=[outside.code])).status_code == 404


def test_navigation_offers_dossiers_and_intake_by_role(commune_a) -> None:
    desk = staff(Role.DESK_OFFICER, commune_a).get(reverse("home"))
    assert reverse("dossiers:queue") in desk.text
    assert reverse("dossiers:intake") in desk.text

    officer = staff(Role.PROCESSING_OFFICER, commune_a).get(reverse("home"))
    assert reverse("dossiers:queue") in officer.text
    assert reverse("dossiers:intake") not in officer.text

    committee = staff(Role.COMMITTEE_MEMBER, commune_a).get(reverse("home"))
    nav = [item.url_name for item in committee.context["navigation"]]
    assert "dossiers:queue" in nav
    assert "dossiers:intake" not in nav


# A processing officer acts on their own unit's dossiers only ----------------------------------


def test_a_district_processing_officer_does_not_finish_a_communes_dossier(
    district, dossier_a
) -> None:
    client = staff(Role.PROCESSING_OFFICER, district)
    page = client.get(reverse("dossiers:detail", args=[dossier_a.code]))
    assert page.status_code == 200  # the district still sees it
    assert page.context["sections"] == []
    assert (
        f"Dossier {dossier_a.code} is handled by UBND xã Lạc Đạo: only its processing officers "
        "act on it. Ask that unit, or have the dossier handed over to UBND huyện Văn Lâm first."
    ) in page.text

    response = client.post(
        reverse("dossiers:action", args=[dossier_a.code, "finish"]),
        {"finish-expected_version": str(dossier_a.version), "finish-note": ""},
    )
    assert response.status_code == 403
    assert "is handled by UBND xã Lạc Đạo" in response.text
    fresh = Dossier.objects.get(pk=dossier_a.pk)
    assert (fresh.status, fresh.version, fresh.events.count()) == (
        DossierStatus.RECEIVED,
        dossier_a.version,
        1,
    )


def test_a_processing_officer_acts_once_the_dossier_is_handed_to_their_unit(
    district, dossier_a
) -> None:
    from dossiers.services import dossier_transfer

    dossier = dossier_transfer(dossier=dossier_a, to_unit=district, by=None)
    client = staff(Role.PROCESSING_OFFICER, district)
    response = client.post(
        reverse("dossiers:action", args=[dossier.code, "finish"]),
        {"finish-expected_version": str(dossier.version), "finish-note": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.FINISHED
