"""Handing the open dossiers of an ended unit to its successor (DESIGN §3 "Today and the
past"): the service (one audited event each, all or nothing, refusals), the
``dossiers_hand_over`` command and the admin action on "Ended units"."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from dossiers import services
from dossiers.models import Dossier, DossierStatus, EventKind
from org.models import Role, UnitLevel
from reports.models import PeriodFreeze
from tests.factories import VN, MembershipFactory, UnitFactory, UserFactory, local, received_dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

REFORM = dt.datetime(2025, 7, 1, 8, 0, tzinfo=VN)


@pytest.fixture
def phu_tuc():
    return UnitFactory(
        code="X24076", name="Xã Phú Túc", level=UnitLevel.COMMUNE, valid_from=dt.date(2025, 7, 1)
    )


@pytest.fixture
def ia_dreh():
    return UnitFactory(
        code="X24100", name="Xã Ia Dreh", level=UnitLevel.COMMUNE, valid_from=dt.date(2025, 7, 1)
    )


@pytest.fixture
def chu_ngoc(phu_tuc):
    """Xã Chư Ngọc, merged into Xã Phú Túc on 1 July 2025."""
    return UnitFactory(
        code="007.37.H21",
        name="Xã Chư Ngọc",
        level=UnitLevel.COMMUNE,
        valid_to=dt.date(2025, 6, 30),
        successor=phu_tuc,
    )


@pytest.fixture
def dossiers(chu_ngoc):
    """Chư Ngọc's dossiers at the reform: two open, one paused, one finished, one withdrawn,
    one handled elsewhere."""
    at = local("2025-06-27 09:00")

    def received():
        return received_dossier(desk=chu_ngoc, received_at=at)

    paused = services.supplement_request(
        dossier=received(), reason="Thiếu", missing_documents="", by=None, at=at
    )
    return {
        "received": received(),
        "processing": services.dossier_transfer(
            dossier=received_dossier(desk=UnitFactory(), received_at=at),
            to_unit=chu_ngoc,
            by=None,
            at=local("2025-06-27 10:00"),
        ),
        "paused": paused,
        "finished": services.dossier_finish(
            dossier=received(), by=None, at=local("2025-06-27 10:00")
        ),
        "withdrawn": services.dossier_withdraw(
            dossier=received(), by=None, at=local("2025-06-27 10:00"), reason="Rút"
        ),
        "elsewhere": received_dossier(desk=UnitFactory(), received_at=at),
    }


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def state(dossiers: dict) -> dict:
    return {
        name: (fresh(d).handling_unit_id, fresh(d).status, fresh(d).version, d.events.count())
        for name, d in dossiers.items()
    }


# The service ----------------------------------------------------------------------------------


def test_it_hands_every_open_dossier_of_the_ended_unit_to_the_successor(
    chu_ngoc, phu_tuc, dossiers
):
    officer = UserFactory()
    assert (
        services.dossiers_hand_over(from_unit=chu_ngoc, to_unit=phu_tuc, by=officer, at=REFORM) == 3
    )
    for name in ("received", "processing", "paused"):
        dossier = fresh(dossiers[name])
        assert dossier.handling_unit == phu_tuc, name
        event = dossier.events.last()
        assert (event.kind, event.from_unit, event.to_unit, event.by, event.at) == (
            EventKind.TRANSFERRED,
            chu_ngoc,
            phu_tuc,
            officer,
            REFORM,
        )
        assert event.note == (
            "Xã Chư Ngọc ended on 30/06/2025; its open dossiers were handed over to Xã Phú Túc."
        )
    assert fresh(dossiers["received"]).status == DossierStatus.PROCESSING
    assert fresh(dossiers["paused"]).status == DossierStatus.SUPPLEMENT_REQUESTED
    for name in ("finished", "withdrawn"):
        assert fresh(dossiers[name]).handling_unit == chu_ngoc, name
    entries = AuditEntry.objects.filter(action=EventKind.TRANSFERRED, actor=officer)
    assert sorted(int(entry.object_id) for entry in entries) == sorted(
        dossiers[name].pk for name in ("received", "processing", "paused")
    )
    assert {entry.changes["handling_unit_id"][1] for entry in entries} == {phu_tuc.pk}


def test_it_hands_over_nothing_when_one_dossier_cannot_be(chu_ngoc, phu_tuc, dossiers):
    # The last dossier (an imported row, say) was received after the moment of the hand-over:
    # the ones before it were already moved inside the transaction, and are moved back.
    late = received_dossier(desk=chu_ngoc, received_at=local("2025-06-30 16:00"))
    Dossier.objects.filter(pk=late.pk).update(received_at=local("2025-07-01 09:00"))
    before = state({**dossiers, "late": late}), AuditEntry.objects.count()
    with pytest.raises(ValidationError, match=f"Dossier {late.code} was received after"):
        services.dossiers_hand_over(from_unit=chu_ngoc, to_unit=phu_tuc, by=None, at=REFORM)
    assert (state({**dossiers, "late": late}), AuditEntry.objects.count()) == before


def test_it_refuses_a_unit_that_is_not_a_successor(chu_ngoc, ia_dreh, dossiers):
    before = state(dossiers)
    with pytest.raises(ValidationError) as refused:
        services.dossiers_hand_over(from_unit=chu_ngoc, to_unit=ia_dreh, by=None, at=REFORM)
    assert refused.value.messages == [
        "Xã Ia Dreh is not a successor of Xã Chư Ngọc. Hand its dossiers over to one of its "
        "successors: Xã Phú Túc."
    ]
    assert state(dossiers) == before


def test_it_refuses_a_successor_not_in_force(chu_ngoc, phu_tuc, dossiers):
    phu_tuc.valid_to = dt.date(2025, 12, 31)
    phu_tuc.save()
    before = state(dossiers)
    with pytest.raises(ValidationError) as refused:
        services.dossiers_hand_over(
            from_unit=chu_ngoc, to_unit=phu_tuc, by=None, at=local("2026-01-05 08:00")
        )
    assert refused.value.messages == [
        "Xã Phú Túc ended on 31/12/2025. Hand the dossier over to a unit in force on 05/01/2026."
    ]
    assert state(dossiers) == before


def test_it_refuses_a_unit_that_has_not_ended(phu_tuc, ia_dreh):
    phu_tuc.successors.add(ia_dreh)
    with pytest.raises(ValidationError, match="Xã Phú Túc has not ended on 01/07/2025"):
        services.dossiers_hand_over(from_unit=phu_tuc, to_unit=ia_dreh, by=None, at=REFORM)


def test_it_refuses_a_hand_over_dated_in_a_frozen_quarter(chu_ngoc, phu_tuc, dossiers):
    PeriodFreeze.objects.create(period_key="calendar:quarter:2025:3", frozen_at=timezone.now())
    before = state(dossiers)
    with pytest.raises(ValidationError, match=r"Quarter 3/2025 .* are frozen"):
        services.dossiers_hand_over(from_unit=chu_ngoc, to_unit=phu_tuc, by=None, at=REFORM)
    assert state(dossiers) == before


# The command ------------------------------------------------------------------------------------


def test_the_command_hands_over_and_says_how_many(chu_ngoc, phu_tuc, dossiers):
    out = StringIO()
    call_command(
        "dossiers_hand_over",
        "--from",
        "007.37.H21",
        "--to",
        "X24076",
        "--at",
        "2025-07-01T08:00",
        stdout=out,
    )
    assert out.getvalue() == "3 open dossier(s) of 007.37.H21 handed over to X24076.\n"
    assert fresh(dossiers["received"]).events.last().at == REFORM


def test_the_command_refuses_in_one_line_with_exit_status_1(chu_ngoc, ia_dreh, dossiers):
    before = state(dossiers)
    with pytest.raises(CommandError) as refused:
        call_command("dossiers_hand_over", "--from", "007.37.H21", "--to", "X24100")
    assert refused.value.returncode == 1
    assert str(refused.value) == (
        "Xã Ia Dreh is not a successor of Xã Chư Ngọc. Hand its dossiers over to one of its "
        "successors: Xã Phú Túc."
    )
    assert state(dossiers) == before


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--from", "nope", "--to", "X24076"], "--from: no unit has the code 'nope'."),
        (["--from", "007.37.H21", "--to", "X24076", "--at", "1/7/2025"], "is not an ISO 8601"),
    ],
)
def test_the_command_refuses_bad_arguments(chu_ngoc, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("dossiers_hand_over", *arguments)


# The admin action ------------------------------------------------------------------------------


@pytest.fixture
def admin_client(chu_ngoc) -> Client:
    membership = MembershipFactory(
        unit=UnitFactory(level=UnitLevel.PROVINCE),
        role=Role.ADMINISTRATOR,
        user=UserFactory(username="quantri", is_staff=True),
    )
    client = Client()
    client.force_login(membership.user)
    return client


CHANGELIST = "admin:dossiers_endedunit_changelist"


def test_the_admin_lists_ended_units_with_their_open_dossiers(admin_client, phu_tuc, dossiers):
    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    units = list(response.context["cl"].result_list)
    assert [unit.code for unit in units] == ["007.37.H21"]
    assert units[0].open_count == 3


def test_the_admin_action_offers_only_successors_in_force(admin_client, chu_ngoc, phu_tuc):
    old_successor = UnitFactory(name="Xã cũ", valid_to=dt.date(2025, 12, 31))
    chu_ngoc.successors.add(old_successor)
    response = admin_client.post(
        reverse(CHANGELIST), {"action": "hand_over", "_selected_action": [chu_ngoc.pk]}
    )
    assert response.status_code == 200
    assert list(response.context["form"].fields["successor"].queryset) == [phu_tuc]


def test_the_admin_action_hands_over(admin_client, chu_ngoc, phu_tuc, dossiers):
    response = admin_client.post(
        reverse(CHANGELIST),
        {
            "action": "hand_over",
            "_selected_action": [chu_ngoc.pk],
            "successor": phu_tuc.pk,
            "apply": "1",
        },
        follow=True,
    )
    assert "Đã bàn giao 3 hồ sơ đang giải quyết của Xã Chư Ngọc cho Xã Phú Túc." in response.text
    assert fresh(dossiers["received"]).handling_unit == phu_tuc
    event = fresh(dossiers["received"]).events.last()
    assert event.by.username == "quantri"


def test_the_admin_is_for_administrators_only(chu_ngoc):
    membership = MembershipFactory(
        unit=chu_ngoc, role=Role.DESK_OFFICER, user=UserFactory(is_staff=True)
    )
    client = Client()
    client.force_login(membership.user)
    assert client.get(reverse(CHANGELIST)).status_code == 403
