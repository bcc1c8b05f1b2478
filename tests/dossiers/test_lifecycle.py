"""The lifecycle core (dossiers/lifecycle.py): statuses from steps, the steps a dossier's times
state, derived fields, due dates, and the memo of one import run giving the calendar's answers."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from dossiers.deadlines import due_at_compute, supplement_due_at_shift
from dossiers.lifecycle import (
    OUTCOME_OPEN,
    OUTCOME_REFUSED,
    OUTCOME_RESOLVED,
    OUTCOME_WITHDRAWN,
    DossierStatus,
    EventKind,
    ProcessingTimes,
    RememberingCalendar,
    Step,
    derived_fields,
    due_after_pause,
    intake_due_dates,
    pause_end,
    status_after,
    status_of,
    steps_of,
)
from dossiers.models import Dossier
from org.workdays import WorkingCalendar
from tests.factories import local, received_dossier

DESK, HANDLER = 1, 2
RECEIVED = local("2021-03-02 09:00")
REQUESTED = local("2021-03-03 09:00")
COMPLETED = local("2021-03-05 10:00")
FINISHED = local("2021-03-08 15:00")
RETURNED = local("2021-03-09 08:00")


@pytest.mark.parametrize(
    ("outcome", "times", "handler", "status"),
    [
        (OUTCOME_OPEN, {}, DESK, DossierStatus.RECEIVED),
        (OUTCOME_OPEN, {}, HANDLER, DossierStatus.PROCESSING),
        (OUTCOME_OPEN, {"supplement_requested_at": REQUESTED}, DESK, "supplement_requested"),
        (OUTCOME_OPEN, {"supplement_requested_at": REQUESTED}, HANDLER, "supplement_requested"),
        (
            OUTCOME_OPEN,
            {"supplement_requested_at": REQUESTED, "supplement_completed_at": COMPLETED},
            DESK,
            DossierStatus.PROCESSING,
        ),
        (OUTCOME_RESOLVED, {"finished_at": FINISHED}, DESK, DossierStatus.FINISHED),
        (
            OUTCOME_RESOLVED,
            {"finished_at": FINISHED, "returned_at": RETURNED},
            HANDLER,
            DossierStatus.RETURNED,
        ),
        (
            OUTCOME_WITHDRAWN,
            {"supplement_requested_at": REQUESTED, "finished_at": FINISHED},
            DESK,
            DossierStatus.WITHDRAWN,
        ),
        (OUTCOME_REFUSED, {}, DESK, DossierStatus.REFUSED),
    ],
)
def test_the_status_follows_from_the_steps_the_times_state(outcome, times, handler, status):
    steps = steps_of(
        outcome=outcome, times={"received_at": RECEIVED, **times}, desk=DESK, handler=handler
    )
    assert status_of(steps) == status


def test_the_steps_come_in_order_with_their_units_and_note():
    times = {
        "received_at": RECEIVED,
        "transferred_at": RECEIVED + dt.timedelta(minutes=10),
        "supplement_requested_at": REQUESTED,
        "supplement_completed_at": COMPLETED,
        "finished_at": FINISHED,
        "returned_at": RETURNED,
    }
    steps = steps_of(
        outcome=OUTCOME_RESOLVED, times=times, desk=DESK, handler=HANDLER, note="kết quả"
    )
    assert steps == [
        Step(EventKind.RECEIVED, RECEIVED, None, DESK),
        Step(EventKind.TRANSFERRED, times["transferred_at"], DESK, HANDLER),
        Step(EventKind.SUPPLEMENT_REQUESTED, REQUESTED, HANDLER),
        Step(EventKind.SUPPLEMENT_COMPLETED, COMPLETED, None, HANDLER),
        Step(EventKind.FINISHED, FINISHED, HANDLER, None, "kết quả"),
        Step(EventKind.RETURNED, RETURNED, HANDLER),
    ]
    refused = steps_of(
        outcome=OUTCOME_REFUSED, times={"received_at": RECEIVED}, desk=DESK, handler=DESK, note="x"
    )
    assert refused == [Step(EventKind.REFUSED, RECEIVED, DESK, None, "x")]


def test_a_hand_over_starts_processing_but_a_waiting_dossier_keeps_waiting():
    assert status_after(DossierStatus.RECEIVED, EventKind.TRANSFERRED) == "processing"
    assert status_after("supplement_requested", EventKind.TRANSFERRED) == "supplement_requested"
    assert status_after(DossierStatus.PROCESSING, EventKind.APOLOGY_ISSUED) == "processing"
    assert status_after(DossierStatus.FINISHED, EventKind.IMPORTED) == "finished"


def test_a_withdrawal_ends_an_open_pause():
    times = {"received_at": RECEIVED, "supplement_requested_at": REQUESTED}
    assert pause_end(outcome=OUTCOME_OPEN, times=times) is None
    assert pause_end(outcome=OUTCOME_WITHDRAWN, times={**times, "finished_at": FINISHED}) == (
        FINISHED
    )
    assert pause_end(outcome=OUTCOME_OPEN, times={"received_at": RECEIVED}) is None


def test_the_derived_fields_are_local_dates_and_the_earlier_end():
    late_evening = local("2021-03-02 23:30")  # 16:30 UTC: the local date is the one that counts
    derived = derived_fields(
        received_at=late_evening,
        due_at=late_evening,
        status=DossierStatus.RETURNED,
        finished_at=local("2021-03-10 09:00"),
        returned_at=local("2021-03-09 09:00"),
    )
    assert derived.received_date == derived.due_date == dt.date(2021, 3, 2)
    assert derived.finished_date == dt.date(2021, 3, 9)
    assert derived.regime == "2018"
    after_reform = derived_fields(
        received_at=local("2025-07-01 08:00"),
        due_at=None,
        status=DossierStatus.REFUSED,
        finished_at=None,
        returned_at=None,
    )
    assert (after_reform.due_date, after_reform.finished_date, after_reform.regime) == (
        None,
        None,
        "2025",
    )


@pytest.mark.django_db
def test_save_stores_the_derived_fields():
    dossier = received_dossier(received_at=local("2021-03-02 23:30"))
    dossier.finished_at = local("2021-03-04 10:00")
    dossier.status = DossierStatus.FINISHED
    dossier.save(update_fields=["finished_at", "status"])
    stored = Dossier.objects.get(pk=dossier.pk)
    expected = derived_fields(
        received_at=stored.received_at,
        due_at=stored.due_at,
        status=stored.status,
        finished_at=stored.finished_at,
        returned_at=stored.returned_at,
    )
    assert (stored.received_date, stored.due_date, stored.finished_date, stored.regime) == (
        expected
    )
    assert stored.finished_date == dt.date(2021, 3, 4)


class _Version:
    """A version as ``due_at_compute`` reads it, counting how often it was asked."""

    pk = 7

    def __init__(self, value: str, unit: str = "working_days") -> None:
        self.time = (Decimal(value), unit)
        self.asked = 0

    def processing_time_for(self, channel: str) -> tuple:
        self.asked += 1
        return self.time


def test_intake_due_dates_and_the_pause():
    version, calendar = _Version("3"), WorkingCalendar()
    due = intake_due_dates(
        version=version, channel="direct", received_at=RECEIVED, calendar=calendar
    )
    assert due.due_at == due.original_due_at == local("2021-03-05 09:00")
    refused = intake_due_dates(
        version=version, channel="direct", received_at=RECEIVED, refused=True, calendar=calendar
    )
    assert refused == (RECEIVED, RECEIVED)
    open_pause = due_after_pause(
        due_at=due.due_at, requested_at=REQUESTED, completed_at=None, calendar=calendar
    )
    assert open_pause == due.due_at
    moved = due_after_pause(
        due_at=due.due_at, requested_at=REQUESTED, completed_at=COMPLETED, calendar=calendar
    )
    assert moved == supplement_due_at_shift(
        due_at=due.due_at, paused_from=REQUESTED, resumed_at=COMPLETED, calendar=calendar
    )
    assert moved > due.due_at


def test_processing_times_are_asked_once_per_version_and_channel():
    version, times = _Version("5"), ProcessingTimes()
    for _ in range(3):
        assert times.of(version, "direct").processing_time_for("direct") == version.time
    times.of(version, "online")
    assert version.asked == 2


@pytest.mark.parametrize("unit", ["working_days", "working_hours", "calendar_days"])
def test_the_remembering_calendar_answers_as_the_calendar(unit):
    calendar = WorkingCalendar(extra_days_off=frozenset({dt.date(2021, 3, 3)}))
    remembering = RememberingCalendar.of(calendar)
    rng = random.Random(5)
    for _ in range(300):
        start = local("2021-01-04 00:00") + dt.timedelta(minutes=rng.randrange(400 * 24 * 60))
        version = _Version(str(rng.choice([1, 2, 3, 7, 15])), unit)
        end = start + dt.timedelta(minutes=rng.randrange(20 * 24 * 60))
        for cal in (calendar, remembering):
            # Twice each: the second answer of the remembering calendar comes from its memo.
            assert due_at_compute(
                version=version, channel="direct", received_at=start, calendar=remembering
            ) == due_at_compute(version=version, channel="direct", received_at=start, calendar=cal)
        assert remembering.office_time_between(start, end) == calendar.office_time_between(
            start, end
        )
    assert remembering.answers.working  # it did remember
