"""The dossier lifecycle services (DESIGN §1 "Lifecycle", §3 "Supplement" and "Apology"):
each allowed step, a refused one per service (nothing changed), the optimistic check and the
after-commit signal."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from dossiers import services as dossier_services
from dossiers.models import (
    Apology,
    Dossier,
    DossierCodeCounter,
    DossierStatus,
    EventKind,
    Regime,
    SupplementRequest,
)
from dossiers.signals import dossier_changed
from tests.conftest import skip_unless_available
from tests.factories import UnitFactory, UserFactory, local, published_procedure, received_dossier
from tests.steps import apology_issued, supplement_requested


@pytest.fixture(autouse=True)
def _english():
    """Assertions below read the English source messages; the Vietnamese ones are checked
    by the translation catalogue having no untranslated entry."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def reloaded(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def assert_unchanged(dossier: Dossier, *, status: str, events: int, version: int) -> None:
    fresh = reloaded(dossier)
    assert fresh.status == status
    assert fresh.version == version
    assert fresh.events.count() == events


def paused_dossier(at: dt.datetime):
    """A fresh dossier waiting since ``at`` for a supplement ("Thiếu", nothing listed)."""
    return dossier_services.supplement_request(
        dossier=received_dossier(), reason="Thiếu", missing_documents="", by=None, at=at
    )


def processing_dossier(**overrides) -> Dossier:
    dossier = received_dossier(**overrides)
    return dossier_services.dossier_transfer(
        dossier=dossier, to_unit=UnitFactory(), by=None, at=local("2021-03-02 10:00")
    )


# Receive / refuse ---------------------------------------------------------------------------


def test_it_receives_with_code_due_date_and_regime():
    desk, officer = UnitFactory(code="H30"), UserFactory()
    version = published_procedure()  # 3 working days
    dossier = dossier_services.dossier_receive(
        desk=desk,
        procedure_version=version,
        channel="direct",
        applicant={"name": "Trần Thị B", "phone": "0912345678"},
        received_at=local("2021-03-02 09:00"),  # Tuesday
        by=officer,
        backdate_reason="Nhập lại hồ sơ năm 2021",
    )
    fresh = reloaded(dossier)
    assert fresh.code == "H30-210302-0001"
    assert fresh.due_at == local("2021-03-05 09:00")  # Friday, same hour
    assert fresh.original_due_at == fresh.due_at
    assert fresh.regime == Regime.DECREE_61_2018
    assert fresh.status == DossierStatus.RECEIVED
    assert fresh.handling_unit == desk and fresh.receiving_unit == desk
    assert fresh.applicant_name == "Trần Thị B"
    [event] = fresh.events.all()
    assert (event.kind, event.by, event.to_unit, event.at) == (
        EventKind.RECEIVED,
        officer,
        desk,
        local("2021-03-02 09:00"),
    )


def test_it_numbers_the_next_dossier_of_the_day():
    desk = UnitFactory(code="H30")
    version = published_procedure()
    received_dossier(desk=desk, procedure_version=version)
    second = received_dossier(desk=desk, procedure_version=version)
    assert second.code == "H30-210302-0002"


def test_it_follows_the_2025_regime_from_1_july_2025():
    dossier = received_dossier(received_at=local("2025-07-01 08:00"))
    assert reloaded(dossier).regime == Regime.DECREE_118_2025


def test_it_refuses_a_version_not_in_force_on_the_received_day():
    version = published_procedure(valid_from=dt.date(2022, 1, 1))
    with pytest.raises(ValidationError, match="not in force on 2021-03-02"):
        received_dossier(procedure_version=version)
    assert not Dossier.objects.exists()
    assert not DossierCodeCounter.objects.exists()


def test_it_refuses_a_dossier_at_intake_with_the_reason():
    desk = UnitFactory(code="H30")
    dossier = dossier_services.dossier_refuse(
        desk=desk,
        procedure_version=published_procedure(),
        channel="direct",
        applicant={"name": "Lê Văn C"},
        received_at=local("2021-03-02 10:00"),
        reason="Thiếu giấy tờ tùy thân",
        by=None,
    )
    fresh = reloaded(dossier)
    assert fresh.status == DossierStatus.REFUSED
    assert fresh.due_at == fresh.original_due_at == local("2021-03-02 10:00")
    assert fresh.finished_at is None
    [event] = fresh.events.all()
    assert (event.kind, event.note, event.from_unit) == (
        EventKind.REFUSED,
        "Thiếu giấy tờ tùy thân",
        desk,
    )


def test_it_requires_a_reason_to_refuse():
    with pytest.raises(ValidationError, match="reason is required"):
        dossier_services.dossier_refuse(
            desk=UnitFactory(),
            procedure_version=published_procedure(),
            channel="direct",
            applicant={"name": "Lê Văn C"},
            received_at=local("2021-03-02 10:00"),
            reason="  ",
            by=None,
        )
    assert not Dossier.objects.exists()


# Transfer -------------------------------------------------------------------------------------


def test_it_transfers_and_logs_the_hand_over():
    desk, office = UnitFactory(), UnitFactory()
    dossier = received_dossier(desk=desk)
    moved = dossier_services.dossier_transfer(
        dossier=dossier,
        to_unit=office,
        by=None,
        note="Chuyển phòng Tư pháp",
        step_due_at=local("2021-03-04 17:00"),
    )
    fresh = reloaded(moved)
    assert fresh.status == DossierStatus.PROCESSING
    assert fresh.handling_unit == office
    assert fresh.version == dossier.version + 1
    event = fresh.events.last()
    assert (event.kind, event.from_unit, event.to_unit, event.note, event.step_due_at) == (
        EventKind.TRANSFERRED,
        desk,
        office,
        "Chuyển phòng Tư pháp",
        local("2021-03-04 17:00"),
    )


def test_it_transfers_onwards_from_processing():
    dossier = processing_dossier()
    third = UnitFactory()
    assert (
        dossier_services.dossier_transfer(dossier=dossier, to_unit=third, by=None).handling_unit
        == third
    )


def test_it_does_not_transfer_a_finished_dossier():
    dossier = dossier_services.dossier_finish(
        dossier=received_dossier(), by=None, at=local("2021-03-03 10:00")
    )
    with pytest.raises(dossier_services.TransitionError, match="can be transferred"):
        dossier_services.dossier_transfer(dossier=dossier, to_unit=UnitFactory(), by=None)
    assert_unchanged(dossier, status=DossierStatus.FINISHED, events=2, version=dossier.version)


# Supplement -----------------------------------------------------------------------------------


def test_it_requests_a_supplement():
    dossier = processing_dossier()
    paused = supplement_requested(
        dossier, local("2021-03-03 10:00"), reason="Thiếu bản sao", missing="Giấy chứng sinh"
    )
    assert reloaded(paused).status == DossierStatus.SUPPLEMENT_REQUESTED
    [request] = SupplementRequest.objects.filter(dossier=dossier)
    assert request.is_open and request.requested_at == local("2021-03-03 10:00")
    assert paused.events.last().kind == EventKind.SUPPLEMENT_REQUESTED


def test_it_does_not_request_a_second_supplement_while_one_is_open():
    dossier = received_dossier()
    paused = dossier_services.supplement_request(
        dossier=dossier, reason="Thiếu", missing_documents="", by=None, at=local("2021-03-03 10:00")
    )
    with pytest.raises(dossier_services.TransitionError):
        supplement_requested(paused, local("2021-03-03 11:00"), reason="Lại thiếu")
    assert_unchanged(
        dossier, status=DossierStatus.SUPPLEMENT_REQUESTED, events=2, version=paused.version
    )
    assert SupplementRequest.objects.count() == 1


def test_it_shifts_the_due_date_by_the_office_time_paused_over_a_weekend():
    dossier = received_dossier()  # due Fri 2021-03-05 09:00
    dossier_services.supplement_request(
        dossier=dossier, reason="Thiếu", missing_documents="", by=None, at=local("2021-03-04 16:00")
    )
    resumed = dossier_services.supplement_complete(
        dossier=dossier, by=None, at=local("2021-03-08 08:00")
    )
    # Paused Thu 16:00–17:00 (1 h) + Fri (8 h) + Mon 07:00–08:00 (1 h) = 10 h of office time;
    # Fri 09:00 + 10 h = Fri 6 h to 17:00, then Mon 07:00 + 4 h.
    fresh = reloaded(resumed)
    assert fresh.due_at == local("2021-03-08 11:00")
    assert fresh.original_due_at == local("2021-03-05 09:00")
    assert fresh.status == DossierStatus.PROCESSING
    assert SupplementRequest.objects.get(dossier=dossier).completed_at == local("2021-03-08 08:00")
    assert fresh.events.last().kind == EventKind.SUPPLEMENT_COMPLETED


def test_it_keeps_the_due_date_when_the_pause_held_no_office_time():
    dossier = received_dossier()
    dossier_services.supplement_request(
        dossier=dossier, reason="Thiếu", missing_documents="", by=None, at=local("2021-03-06 09:00")
    )
    resumed = dossier_services.supplement_complete(
        dossier=dossier, by=None, at=local("2021-03-07 16:00")
    )
    assert reloaded(resumed).due_at == local("2021-03-05 09:00")


def test_it_does_not_complete_without_an_open_request():
    dossier = received_dossier()
    with pytest.raises(dossier_services.TransitionError, match="no open supplement request"):
        dossier_services.supplement_complete(dossier=dossier, by=None, at=local("2021-03-03 10:00"))
    assert_unchanged(dossier, status=DossierStatus.RECEIVED, events=1, version=dossier.version)


# Finish / return --------------------------------------------------------------------------------


def test_it_finishes_a_processing_dossier():
    dossier = processing_dossier()
    done = dossier_services.dossier_finish(
        dossier=dossier, by=None, at=local("2021-03-04 15:00"), note="Đã ký"
    )
    fresh = reloaded(done)
    assert (fresh.status, fresh.finished_at) == (DossierStatus.FINISHED, local("2021-03-04 15:00"))
    assert fresh.events.last().kind == EventKind.FINISHED


def test_it_does_not_finish_while_waiting_for_the_supplement():
    paused = paused_dossier(local("2021-03-03 10:00"))
    with pytest.raises(dossier_services.TransitionError, match="can be finished"):
        dossier_services.dossier_finish(dossier=paused, by=None, at=local("2021-03-04 10:00"))
    assert_unchanged(
        paused, status=DossierStatus.SUPPLEMENT_REQUESTED, events=2, version=paused.version
    )
    assert reloaded(paused).finished_at is None


def test_it_returns_a_finished_result():
    done = dossier_services.dossier_finish(
        dossier=received_dossier(), by=None, at=local("2021-03-04 15:00")
    )
    returned = dossier_services.dossier_return(dossier=done, by=None, at=local("2021-03-05 08:00"))
    fresh = reloaded(returned)
    assert (fresh.status, fresh.returned_at) == (DossierStatus.RETURNED, local("2021-03-05 08:00"))
    assert fresh.finished_at == local("2021-03-04 15:00")
    assert fresh.events.last().kind == EventKind.RETURNED


def test_it_does_not_return_an_unfinished_dossier():
    dossier = received_dossier()
    with pytest.raises(dossier_services.TransitionError, match="can be returned"):
        dossier_services.dossier_return(dossier=dossier, by=None, at=local("2021-03-05 08:00"))
    assert_unchanged(dossier, status=DossierStatus.RECEIVED, events=1, version=dossier.version)


# Withdraw / stop --------------------------------------------------------------------------------


def test_it_withdraws_a_dossier_waiting_for_supplement_and_ends_the_pause():
    paused = paused_dossier(local("2021-03-03 10:00"))
    gone = dossier_services.dossier_withdraw(
        dossier=paused, by=None, at=local("2021-03-04 09:00"), reason="Công dân xin rút"
    )
    fresh = reloaded(gone)
    assert (fresh.status, fresh.finished_at) == (DossierStatus.WITHDRAWN, local("2021-03-04 09:00"))
    assert not SupplementRequest.objects.filter(completed_at__isnull=True).exists()
    event = fresh.events.last()
    assert (event.kind, event.note) == (EventKind.WITHDRAWN, "Công dân xin rút")


def test_it_does_not_withdraw_a_finished_dossier():
    done = dossier_services.dossier_finish(
        dossier=received_dossier(), by=None, at=local("2021-03-04 15:00")
    )
    with pytest.raises(dossier_services.TransitionError, match="can be withdrawn"):
        dossier_services.dossier_withdraw(
            dossier=done, by=None, at=local("2021-03-05 09:00"), reason="Rút"
        )
    assert_unchanged(done, status=DossierStatus.FINISHED, events=2, version=done.version)


def test_it_stops_processing_with_the_reason():
    stopped = dossier_services.dossier_stop(
        dossier=received_dossier(), by=None, at=local("2021-03-03 09:00"), reason="Đối tượng đã mất"
    )
    fresh = reloaded(stopped)
    assert (fresh.status, fresh.finished_at) == (DossierStatus.STOPPED, local("2021-03-03 09:00"))
    assert (fresh.events.last().kind, fresh.events.last().note) == (
        EventKind.STOPPED,
        "Đối tượng đã mất",
    )


def test_it_does_not_stop_a_withdrawn_dossier_nor_without_a_reason():
    gone = dossier_services.dossier_withdraw(
        dossier=received_dossier(), by=None, at=local("2021-03-03 09:00"), reason="Rút"
    )
    with pytest.raises(dossier_services.TransitionError, match="can be stopped"):
        dossier_services.dossier_stop(
            dossier=gone, by=None, at=local("2021-03-03 10:00"), reason="Dừng"
        )
    with pytest.raises(ValidationError, match="reason is required"):
        dossier_services.dossier_stop(
            dossier=received_dossier(), by=None, at=local("2021-03-03 10:00"), reason=""
        )
    assert_unchanged(gone, status=DossierStatus.WITHDRAWN, events=2, version=gone.version)


# Apology ----------------------------------------------------------------------------------------


def test_it_issues_an_apology_in_time_without_touching_the_due_date():
    dossier = received_dossier()  # due Fri 2021-03-05 09:00
    # Thu 09:00 → Fri 09:00 is exactly one working day of office time (2.5 + 3.5 + 2 h).
    apology = apology_issued(
        dossier, local("2021-03-04 09:00"), local("2021-03-09 09:00"), reason="Cần xác minh thêm"
    )
    assert apology.late is False
    fresh = reloaded(dossier)
    assert fresh.rescheduled_due_at == local("2021-03-09 09:00")
    assert fresh.due_at == local("2021-03-05 09:00")
    assert fresh.events.last().kind == EventKind.APOLOGY_ISSUED


def test_it_flags_an_apology_issued_less_than_a_working_day_before_due():
    dossier = received_dossier()
    # Thu 10:00 → Fri 09:00 holds 1.5 + 3.5 + 2 = 7 h of office time.
    apology = apology_issued(
        dossier, local("2021-03-04 10:00"), local("2021-03-09 09:00"), reason="Cần xác minh thêm"
    )
    assert apology.late is True


def test_it_allows_only_one_apology():
    dossier = received_dossier()
    apology_issued(dossier, local("2021-03-03 09:00"), local("2021-03-09 09:00"), reason="Lần 1")
    version = reloaded(dossier).version
    with pytest.raises(dossier_services.TransitionError, match="only one is allowed"):
        apology_issued(
            dossier, local("2021-03-08 09:00"), local("2021-03-12 09:00"), reason="Lần 2"
        )
    assert_unchanged(dossier, status=DossierStatus.RECEIVED, events=2, version=version)
    assert reloaded(dossier).rescheduled_due_at == local("2021-03-09 09:00")
    assert Apology.objects.count() == 1


def test_it_requires_the_new_due_date_after_the_current_one():
    dossier = received_dossier()
    with pytest.raises(dossier_services.TransitionError, match="after the current due date"):
        apology_issued(
            dossier, local("2021-03-03 09:00"), local("2021-03-05 09:00"), reason="Xin lỗi"
        )
    assert_unchanged(dossier, status=DossierStatus.RECEIVED, events=1, version=dossier.version)
    assert not Apology.objects.exists()


# Optimistic check and signal ----------------------------------------------------------------------


def test_it_rejects_a_change_based_on_a_stale_version():
    dossier = received_dossier()
    read_version = dossier.version
    dossier_services.dossier_transfer(
        dossier=dossier, to_unit=UnitFactory(), by=None, expected_version=read_version
    )
    with pytest.raises(
        dossier_services.DossierChangedMeanwhile, match="changed by someone else meanwhile"
    ):
        dossier_services.dossier_finish(
            dossier=dossier, by=None, at=local("2021-03-04 10:00"), expected_version=read_version
        )
    assert_unchanged(dossier, status=DossierStatus.PROCESSING, events=2, version=read_version + 1)


@pytest.fixture
def changes():
    """The ``dossier_changed`` kwargs sent, each with ``in_transaction``: whether the service's
    own atomic block was still open (its savepoint above the test's transaction)."""
    calls = []
    outside = len(connection.savepoint_ids)

    def receiver(sender, **kwargs):
        calls.append({**kwargs, "in_transaction": len(connection.savepoint_ids) > outside})

    dossier_changed.connect(receiver, weak=False)
    yield calls
    dossier_changed.disconnect(receiver)


def test_it_announces_a_change_inside_its_transaction(changes):
    desk, office = UnitFactory(), UnitFactory()
    dossier = received_dossier(desk=desk)
    dossier_services.dossier_transfer(dossier=dossier, to_unit=office, by=None)
    received, transferred = changes
    # Receivers write with the change (the stale-rollup marks) and defer the rest to commit.
    assert received["in_transaction"] and transferred["in_transaction"]
    assert received["dossier_id"] == dossier.pk
    assert received["unit_ids"] == {desk.pk}
    assert received["dates"] == {dt.date(2021, 3, 2)}
    assert transferred["unit_ids"] == {desk.pk, office.pk}


def test_it_announces_nothing_when_a_transition_is_refused(
    changes, django_capture_on_commit_callbacks
):
    dossier = received_dossier()
    changes.clear()  # the intake's
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(dossier_services.TransitionError),
    ):
        dossier_services.dossier_return(dossier=dossier, by=None, at=local("2021-03-05 08:00"))
    assert changes == []


def dossier_in(status: str) -> Dossier:
    dossier = received_dossier()
    if status == DossierStatus.PROCESSING:
        dossier = processing_dossier()
    if status == DossierStatus.SUPPLEMENT_REQUESTED:
        dossier = supplement_requested(dossier, local("2021-03-02 11:00"))
    return dossier


@pytest.mark.parametrize(
    "status", [DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.SUPPLEMENT_REQUESTED]
)
@pytest.mark.parametrize(
    "end, ended",
    [
        (dossier_services.dossier_withdraw, DossierStatus.WITHDRAWN),
        (dossier_services.dossier_stop, DossierStatus.STOPPED),
    ],
)
def test_it_ends_a_dossier_from_any_open_status(status, end, ended):
    dossier = dossier_in(status)
    events = dossier.events.count()
    end(dossier=dossier, by=None, at=local("2021-03-03 09:00"), reason="Lý do")
    fresh = reloaded(dossier)
    assert (fresh.status, fresh.finished_at) == (ended, local("2021-03-03 09:00"))
    assert fresh.events.count() == events + 1


def test_it_does_not_transfer_to_the_unit_already_handling_it():
    desk = UnitFactory()
    dossier = received_dossier(desk=desk)
    with pytest.raises(dossier_services.TransitionError, match="already handled by"):
        dossier_services.dossier_transfer(dossier=dossier, to_unit=desk, by=None)
    assert_unchanged(dossier, status=DossierStatus.RECEIVED, events=1, version=dossier.version)


def test_it_rejects_an_unknown_applicant_detail():
    with pytest.raises(ValidationError, match="Unknown applicant detail: nickname"):
        received_dossier(applicant={"name": "Trần Thị B", "nickname": "Bé"})
    assert not Dossier.objects.exists()


def test_it_does_not_finish_before_receipt():
    dossier = received_dossier()
    with pytest.raises(dossier_services.TransitionError, match="before receipt"):
        dossier_services.dossier_finish(dossier=dossier, by=None, at=local("2021-03-01 09:00"))
    assert_unchanged(dossier, status=DossierStatus.RECEIVED, events=1, version=dossier.version)


@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_of_two_concurrent_desks_finish_the_same_read():
    skip_unless_available(
        connection.vendor == "postgresql",
        "needs PostgreSQL for real concurrent transactions: set DATABASE_URL=postgres://…",
    )
    dossier = received_dossier()
    read_version = dossier.version
    threads_count = 6
    barrier = threading.Barrier(threads_count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def finish() -> None:
        try:
            barrier.wait(timeout=30)
            dossier_services.dossier_finish(
                dossier=dossier,
                by=None,
                at=local("2021-03-04 10:00"),
                expected_version=read_version,
            )
            outcome = "finished"
        except dossier_services.DossierChangedMeanwhile:
            outcome = "changed meanwhile"
        except BaseException as error:  # reported by the main thread
            outcome = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=finish) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["changed meanwhile"] * (threads_count - 1) + ["finished"]
    assert_unchanged(dossier, status=DossierStatus.FINISHED, events=2, version=read_version + 1)
