"""What every write of a dossier must pass (DESIGN §3 "Today and the past"), at the services:
frozen periods (intake and each step; the reported figures stay), back-dating with a reason,
no received time in the future, units in force (intake and hand-over) and the desk's
competence. Each refusal writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from dossiers import services as dossier_services
from dossiers.backdating import working_days_back_exceed
from dossiers.models import Dossier, DossierCodeCounter, DossierStatus, EventKind
from org.models import UnitLevel
from org.workdays import WorkingCalendar
from procedures.models import ProcedureVersion
from reports.aggregate import counters_total
from reports.models import PeriodFreeze
from reports.periods import period_make
from tests.factories import UnitFactory, UserFactory, local, published_procedure, received_dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Q1_2021 = period_make(kind="quarter", year=2021, index=1)


def freeze(period=Q1_2021) -> None:
    PeriodFreeze.objects.create(period_key=period.key, frozen_at=timezone.now())


def figures(period=Q1_2021) -> dict[str, int]:
    return counters_total(Dossier.objects.all(), period)


def intake(**overrides) -> dict:
    """The arguments of an intake by an officer at a fresh commune desk on Tue 2021-03-02."""
    fields = {
        "desk": overrides.pop("desk", None) or UnitFactory(),
        "procedure_version": overrides.pop("procedure_version", None)
        or ProcedureVersion.objects.filter(procedure__code="1.000001").first()
        or published_procedure(),
        "channel": "direct",
        "applicant": {"name": "Trần Thị B"},
        "received_at": local("2021-03-02 09:00"),
        "by": UserFactory(),
    }
    fields.update(overrides)
    return fields


def assert_nothing_received() -> None:
    assert not Dossier.objects.exists()
    assert not DossierCodeCounter.objects.exists()
    assert not AuditEntry.objects.filter(action=EventKind.RECEIVED).exists()


# Frozen periods -----------------------------------------------------------------------------


def test_it_refuses_an_intake_received_in_a_frozen_quarter_naming_it():
    received_dossier(received_at=local("2021-03-01 09:00"))
    before = figures()
    freeze()
    with pytest.raises(ValidationError) as refused:
        dossier_services.dossier_receive(**intake(backdate_reason="Hồ sơ gửi qua bưu điện"))
    assert refused.value.code == "frozen_period"
    assert "Quarter 1/2021 (01/01/2021–31/03/2021) are frozen" in refused.value.messages[0]
    assert "02/03/2021" in refused.value.messages[0]
    assert Dossier.objects.count() == 1
    assert figures() == before


def test_it_refuses_a_refusal_at_intake_in_a_frozen_quarter():
    freeze()
    with pytest.raises(ValidationError, match="are frozen"):
        dossier_services.dossier_refuse(**intake(reason="Thiếu tờ khai"))
    assert not Dossier.objects.exists()


def test_it_receives_after_the_frozen_quarter():
    freeze()
    dossier = dossier_services.dossier_receive(
        **intake(received_at=local("2021-04-01 08:00"), backdate_reason="Nhập lại")
    )
    assert dossier.received_date == dt.date(2021, 4, 1)


def _open(dossier):
    return dossier


def _supplement_requested(dossier):
    return dossier_services.supplement_request(
        dossier=dossier, reason="Thiếu", missing_documents="", by=None, at=local("2021-03-02 10:00")
    )


def _finished(dossier):
    return dossier_services.dossier_finish(dossier=dossier, by=None, at=local("2021-03-02 10:00"))


STEPS = {
    "transfer": (
        _open,
        lambda d, at: dossier_services.dossier_transfer(
            dossier=d, to_unit=UnitFactory(), by=None, at=at
        ),
    ),
    "supplement_request": (
        _open,
        lambda d, at: dossier_services.supplement_request(
            dossier=d, reason="Thiếu", missing_documents="", by=None, at=at
        ),
    ),
    "supplement_complete": (
        _supplement_requested,
        lambda d, at: dossier_services.supplement_complete(dossier=d, by=None, at=at),
    ),
    "finish": (_open, lambda d, at: dossier_services.dossier_finish(dossier=d, by=None, at=at)),
    "return": (_finished, lambda d, at: dossier_services.dossier_return(dossier=d, by=None, at=at)),
    "withdraw": (
        _open,
        lambda d, at: dossier_services.dossier_withdraw(dossier=d, by=None, at=at, reason="Rút"),
    ),
    "stop": (
        _open,
        lambda d, at: dossier_services.dossier_stop(dossier=d, by=None, at=at, reason="Dừng"),
    ),
    "apology": (
        _open,
        lambda d, at: dossier_services.apology_issue(
            dossier=d, reason="Chậm", new_due_at=local("2021-03-12 09:00"), by=None, at=at
        ),
    ),
}


@pytest.mark.parametrize("step", STEPS)
def test_it_refuses_each_step_dated_in_a_frozen_quarter_and_the_figures_stay(step):
    prepare, take = STEPS[step]
    dossier = prepare(received_dossier())  # received Tue 2021-03-02 09:00
    dossier = Dossier.objects.get(pk=dossier.pk)
    before = (figures(), dossier.status, dossier.version, dossier.events.count())
    freeze()
    with pytest.raises(ValidationError) as refused:
        take(dossier, local("2021-03-03 09:00"))
    assert refused.value.code == "frozen_period"
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert (figures(), dossier.status, dossier.version, dossier.events.count()) == before


def test_it_finishes_in_april_a_dossier_received_in_the_frozen_quarter():
    dossier = received_dossier()
    freeze()
    finished = dossier_services.dossier_finish(
        dossier=dossier, by=None, at=local("2021-04-01 09:00")
    )
    assert finished.status == DossierStatus.FINISHED


# Back-dating --------------------------------------------------------------------------------


CALENDAR = WorkingCalendar()


@pytest.mark.parametrize(
    "day, today, exceeds",
    [
        ("2021-03-08", "2021-03-08", False),  # the same day
        ("2021-03-05", "2021-03-08", False),  # Friday, entered Monday: 1 working day
        ("2021-03-03", "2021-03-08", False),  # Thu, Fri, Mon: 3
        ("2021-03-02", "2021-03-08", True),  # Wed, Thu, Fri, Mon: 4
        ("2021-02-08", "2021-02-18", False),  # Tết 10–16 Feb skipped: 9, 17, 18
        ("2021-02-05", "2021-02-18", True),  # 8, 9, 17, 18
    ],
)
def test_it_counts_the_working_days_back(day, today, exceeds):
    assert (
        working_days_back_exceed(
            calendar=CALENDAR,
            day=dt.date.fromisoformat(day),
            today=dt.date.fromisoformat(today),
            limit=3,
        )
        is exceeds
    )


def test_it_refuses_a_back_dated_intake_without_a_reason():
    with pytest.raises(ValidationError) as refused:
        dossier_services.dossier_receive(**intake(backdate_reason="  "))
    [error] = refused.value.error_dict["backdate_reason"]
    assert error.code == "backdate_reason"
    [message] = refused.value.message_dict["backdate_reason"]
    assert "02/03/2021 09:00 is more than 3 working days ago: give the reason" in message
    assert_nothing_received()


def test_it_keeps_the_back_dating_reason_on_the_event_and_in_the_audit_entry():
    dossier = dossier_services.dossier_receive(
        **intake(backdate_reason=" Hồ sơ gửi qua bưu điện, đến muộn ")
    )
    [event] = dossier.events.all()
    assert (event.kind, event.note) == (EventKind.RECEIVED, "Hồ sơ gửi qua bưu điện, đến muộn")
    entry = AuditEntry.objects.get(action=EventKind.RECEIVED, object_id=str(dossier.pk))
    assert entry.changes["backdate_reason"] == [None, "Hồ sơ gửi qua bưu điện, đến muộn"]


def test_it_needs_no_reason_for_a_time_of_today():
    received_at = timezone.now() - dt.timedelta(minutes=5)
    dossier = dossier_services.dossier_receive(**intake(received_at=received_at))
    assert dossier.events.get().note == ""


def test_it_reads_the_limit_from_the_setting(settings):
    settings.INTAKE_BACKDATE_WORKING_DAYS = 30
    received_at = timezone.now() - dt.timedelta(days=20)  # at most 20 working days back
    assert (
        dossier_services.dossier_receive(**intake(received_at=received_at)).events.get().note == ""
    )
    settings.INTAKE_BACKDATE_WORKING_DAYS = 3
    with pytest.raises(ValidationError, match="more than 3 working days ago"):
        dossier_services.dossier_receive(**intake(received_at=received_at, desk=UnitFactory()))


def test_it_refuses_a_received_time_in_the_future():
    with pytest.raises(ValidationError) as refused:
        dossier_services.dossier_receive(
            **intake(received_at=timezone.now() + dt.timedelta(hours=1))
        )
    assert refused.value.message_dict == {
        "received_at": ["The received time cannot be in the future."]
    }
    assert_nothing_received()


# Units in force ------------------------------------------------------------------------------


@pytest.fixture
def ended_commune():
    """Xã Chư Gu ended on 30/06/2025; Xã Ia Rsai took its work over."""
    successor = UnitFactory(
        code="X24112", name="Xã Ia Rsai", valid_from=dt.date(2025, 7, 1), level=UnitLevel.COMMUNE
    )
    return UnitFactory(
        code="001.37.H21",
        name="Xã Chư Gu",
        valid_to=dt.date(2025, 6, 30),
        level=UnitLevel.COMMUNE,
        successor=successor,
    )


def test_it_refuses_an_intake_at_an_ended_desk_naming_the_successor(ended_commune):
    with pytest.raises(ValidationError) as refused:
        dossier_services.dossier_receive(
            **intake(desk=ended_commune, received_at=local("2025-07-01 08:00"), backdate_reason="x")
        )
    assert refused.value.code == "unit_not_in_force"
    assert refused.value.messages == [
        "Xã Chư Gu ended on 30/06/2025; its work passed to Xã Ia Rsai. No dossier can be "
        "received at its desk on 01/07/2025: receive it at the desk of Xã Ia Rsai."
    ]
    assert_nothing_received()


def test_it_receives_at_the_ended_desk_on_a_day_it_was_in_force(ended_commune):
    dossier = dossier_services.dossier_receive(
        **intake(desk=ended_commune, backdate_reason="Nhập lại")
    )
    assert dossier.receiving_unit == ended_commune


def test_it_refuses_an_intake_before_the_desk_existed(ended_commune):
    successor = ended_commune.successors.get()
    with pytest.raises(ValidationError, match="Xã Ia Rsai only exists from 01/07/2025"):
        dossier_services.dossier_refuse(**intake(desk=successor, reason="Thiếu tờ khai"))
    assert not Dossier.objects.exists()


def test_it_refuses_a_hand_over_to_a_unit_not_in_force_on_the_step_day(ended_commune):
    dossier = received_dossier(received_at=local("2025-06-30 09:00"))
    with pytest.raises(ValidationError) as refused:
        dossier_services.dossier_transfer(
            dossier=dossier, to_unit=ended_commune, by=None, at=local("2025-07-01 09:00")
        )
    assert refused.value.message_dict["to_unit"] == [
        "Xã Chư Gu ended on 30/06/2025; its work passed to Xã Ia Rsai. Hand the dossier over "
        "to a unit in force on 01/07/2025."
    ]
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.handling_unit_id, fresh.version, fresh.events.count()) == (
        dossier.receiving_unit_id,
        dossier.version,
        1,
    )


def test_it_hands_over_to_the_unit_on_a_day_it_was_in_force(ended_commune):
    dossier = received_dossier(received_at=local("2025-06-30 09:00"))
    moved = dossier_services.dossier_transfer(
        dossier=dossier, to_unit=ended_commune, by=None, at=local("2025-06-30 10:00")
    )
    assert moved.handling_unit == ended_commune


# Competence ----------------------------------------------------------------------------------


def test_it_refuses_a_procedure_outside_the_desks_competence_naming_both():
    commune = UnitFactory(name="Xã Phú Túc", level=UnitLevel.COMMUNE)
    district_only = published_procedure(
        code="2.000635", name="Cấp bản sao trích lục hộ tịch", levels=("district",)
    )
    for service, extra in (
        (dossier_services.dossier_receive, {"backdate_reason": "x"}),
        (dossier_services.dossier_refuse, {"reason": "x"}),
    ):
        with pytest.raises(ValidationError) as refused:
            service(**intake(desk=commune, procedure_version=district_only, **extra))
        assert refused.value.error_dict["procedure_version"][0].code == "competence"
        assert refused.value.message_dict["procedure_version"] == [
            "Xã Phú Túc may not receive procedure 2.000635 “Cấp bản sao trích lục hộ tịch” on "
            "02/03/2021: it is handled at another level or by other units. Direct the "
            "applicant to the competent desk, or choose a procedure this desk receives."
        ]
    assert_nothing_received()


def test_it_receives_a_procedure_its_unit_is_listed_for_whatever_the_level():
    district = UnitFactory(level=UnitLevel.DISTRICT)
    version = published_procedure(code="1.000002", levels=("province",))
    version.implementing_units.add(district)
    dossier = dossier_services.dossier_receive(
        **intake(desk=district, procedure_version=version, backdate_reason="Nhập lại")
    )
    assert dossier.procedure_version == version
