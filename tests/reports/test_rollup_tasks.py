"""Freshness of the rollups through Celery (run eagerly here): the ``dossier_changed``
receiver, the drain of stale marks, the beat sweep, and a broker outage that must not break
intake.

Due dates by hand (3 working days = 24 office hours; 07:00–11:30, 13:30–17:00):
received Tue 2021-03-02 09:00 → due Fri 2021-03-05 09:00;
received Thu 2021-03-25 09:00 → Thu 6 h + Fri 8 h + Mon 8 h + Tue 2 h → due Tue 2021-03-30 09:00.
"""

import datetime as dt
import logging

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.utils import timezone
from kombu.exceptions import OperationalError

from dossiers.models import Dossier, Event, EventKind
from dossiers.services import dossier_finish
from reports import services
from reports.counters import COUNTERS
from reports.models import Rollup, RollupDirty
from reports.periods import period_make, periods_containing
from reports.receivers import REFRESH_SCHEDULED_KEY, rollups_dirty_on_change
from reports.selectors import units_never_computed
from reports.services import period_freeze, rollups_dirty_drain, rollups_dirty_mark
from reports.tasks import rollups_refresh_dirty, rollups_sweep
from tests.factories import UnitFactory, local, received_dossier

pytestmark = pytest.mark.django_db

Q1 = period_make(kind="quarter", year=2021, index=1)
Q2 = period_make(kind="quarter", year=2021, index=2)
MARCH = period_make(kind="month", year=2021, index=3)
CUTOFF_Q1 = period_make(kind="quarter", year=2021, index=1, scheme="cutoff")


def cell(period, unit) -> dict | None:
    """The non-zero counters of the one stored row of ``period`` and ``unit`` (None: no row)."""
    row = Rollup.objects.filter(period_key=period.key, unit=unit).first()
    return None if row is None else {n: getattr(row, n) for n in COUNTERS if getattr(row, n)}


@pytest.fixture
def desk():
    return UnitFactory(code="H30")


def test_intake_refreshes_the_rollups_of_the_current_periods(
    desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        received_dossier(desk=desk, received_at=timezone.now())

    today = timezone.localdate()
    current = periods_containing(today, scheme="calendar") + periods_containing(
        today, scheme="cutoff"
    )
    expected = {
        "received_direct": 1,
        "received_in_period": 1,
        "received_total": 1,
        "in_progress": 1,
        "in_progress_within": 1,  # due in 3 working days
    }
    assert {period.key: cell(period, desk) for period in current} == {
        period.key: expected for period in current
    }
    assert not RollupDirty.objects.exists()


def test_a_change_carries_forward_into_every_later_period(
    desk, today_is, django_capture_on_commit_callbacks
):
    today_is(dt.date(2021, 4, 10))
    with django_capture_on_commit_callbacks(execute=True):
        dossier = received_dossier(desk=desk, received_at=local("2021-03-02 09:00"))
    received = {"received_direct": 1, "received_in_period": 1, "received_total": 1}
    overdue = {"in_progress": 1, "in_progress_overdue": 1}  # due 5 March
    assert cell(Q1, desk) == {**received, **overdue}
    # Q2 so far (1–10 April): carried over from Q1, still open.
    assert cell(Q2, desk) == {"carried_over": 1, "received_total": 1, **overdue}
    assert RollupDirty.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        dossier_finish(dossier=dossier, by=None, at=local("2021-04-08 10:00"))
    assert cell(Q1, desk) == {**received, **overdue}  # still open on 31 March
    assert cell(Q2, desk) == {
        "carried_over": 1,
        "received_total": 1,
        "resolved": 1,
        "resolved_late": 1,
    }


def test_a_frozen_period_is_not_marked_nor_recomputed(
    desk, today_is, django_capture_on_commit_callbacks
):
    today_is(dt.date(2021, 4, 10))
    period_freeze(period=Q1, by=None)
    # A write dated in the frozen quarter is refused (DESIGN §3) and marks nothing.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        received_dossier(desk=desk, received_at=local("2021-03-02 09:00"))
    assert cell(Q1, desk) is None
    assert not RollupDirty.objects.exists()
    # 20 periods touched (see test_rollups), the frozen one left out.
    assert rollups_dirty_mark(dates={dt.date(2021, 3, 2)}, unit_ids={desk.pk}) == 19


def test_the_sweep_follows_the_clock_into_overdue(desk, today_is):
    # No signal (callbacks not run): only the sweep computes.
    received_dossier(desk=desk, received_at=local("2021-03-25 09:00"))
    received = {"received_direct": 1, "received_in_period": 1, "received_total": 1}

    today_is(dt.date(2021, 3, 29))
    rollups_sweep.delay().get()
    assert cell(MARCH, desk) == {**received, "in_progress": 1, "in_progress_within": 1}

    # 1 April: March is over and is counted once more as of 31 March, after the due date.
    today_is(dt.date(2021, 4, 1))
    RollupDirty.objects.create(period_key=CUTOFF_Q1.key, unit=desk, marked_at=timezone.now())
    rollups_sweep.delay().get()
    assert cell(MARCH, desk) == {**received, "in_progress": 1, "in_progress_overdue": 1}
    assert cell(Q1, desk) == {**received, "in_progress": 1, "in_progress_overdue": 1}
    assert cell(Q2, desk) == {
        "carried_over": 1,
        "received_total": 1,
        "in_progress": 1,
        "in_progress_overdue": 1,
    }
    # The leftover mark was drained too.
    assert not RollupDirty.objects.exists()
    assert not units_never_computed(period=CUTOFF_Q1, unit_ids=[desk.pk])


def test_a_broker_outage_does_not_break_intake(
    desk, today_is, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    today_is(dt.date(2021, 4, 10))

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(rollups_refresh_dirty, "apply_async", broker_down)
    with (
        caplog.at_level(logging.WARNING, logger="reports.receivers"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        dossier = received_dossier(desk=desk, received_at=local("2021-03-02 09:00"))

    assert Dossier.objects.get(pk=dossier.pk).code.startswith("H30-210302-")
    assert "Could not queue the rollup refresh" in caplog.text
    assert RollupDirty.objects.filter(unit=desk).count() == 20  # kept for the sweep
    assert not Rollup.objects.exists()

    monkeypatch.undo()
    today_is(dt.date(2021, 4, 10))
    rollups_sweep.delay().get()
    assert not RollupDirty.objects.exists()
    assert cell(Q1, desk) == {
        "received_direct": 1,
        "received_in_period": 1,
        "received_total": 1,
        "in_progress": 1,
        "in_progress_overdue": 1,
    }


def _marks_refused() -> None:
    """Make the database refuse every stale mark, as a full disk or a lost connection would."""
    table = RollupDirty._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_marks_refused() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'could not extend file'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER test_marks_refused BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION test_marks_refused()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER test_marks_refused BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'could not extend file'); END"
            )


def test_a_mark_that_cannot_be_written_rolls_the_change_back(
    desk, today_is, django_capture_on_commit_callbacks
):
    today_is(dt.date(2021, 4, 10))
    dossier = received_dossier(desk=desk, received_at=local("2021-03-02 09:00"))
    _marks_refused()
    # No committed change without its mark: the back-dated intake and the step fail whole.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(DatabaseError):
            received_dossier(desk=desk, received_at=local("2021-03-03 09:00"))
        with pytest.raises(DatabaseError):
            dossier_finish(dossier=dossier, by=None, at=local("2021-04-08 10:00"))
    assert callbacks == []
    assert list(Dossier.objects.values_list("code", flat=True)) == [dossier.code]
    assert list(Event.objects.values_list("kind", flat=True)) == [EventKind.RECEIVED]
    assert Dossier.objects.get().status == dossier.status


def test_the_sweep_marks_again_a_change_whose_mark_was_lost(desk, today_is):
    today_is(dt.date(2021, 4, 10))
    rollups_sweep.delay().get()  # everything computed: no cell, runs for every period
    dossier = received_dossier(desk=desk, received_at=local("2021-03-02 09:00"))
    # The mark is lost (e.g. a database restored from a copy taken between the two).
    RollupDirty.objects.all().delete()
    assert cell(Q1, desk) is None

    rollups_sweep.delay().get()
    received = {"received_direct": 1, "received_in_period": 1, "received_total": 1}
    overdue = {"in_progress": 1, "in_progress_overdue": 1}  # due 5 March
    assert cell(Q1, desk) == {**received, **overdue}
    assert cell(MARCH, desk) == {**received, **overdue}
    assert not RollupDirty.objects.exists()
    # Repaired once: the cells are newer than the change now, nothing more is marked.
    assert services.rollups_lost_marks_repair() == 0

    # A back-dated step whose mark is lost: the finish on 8 April counts from April on.
    dossier_finish(dossier=dossier, by=None, at=local("2021-04-08 10:00"))
    RollupDirty.objects.all().delete()
    assert services.rollups_lost_marks_repair() > 0
    marked = set(RollupDirty.objects.values_list("period_key", flat=True))
    assert Q2.key in marked and MARCH.key not in marked and Q1.key not in marked
    rollups_sweep.delay().get()
    assert cell(Q2, desk) == {
        "carried_over": 1,
        "received_total": 1,
        "resolved": 1,
        "resolved_late": 1,
    }


def test_a_change_older_than_the_repair_window_is_left_to_a_rebuild(desk, today_is, settings):
    today_is(dt.date(2021, 4, 10))
    rollups_sweep.delay().get()
    received_dossier(desk=desk, received_at=local("2021-03-02 09:00"))
    RollupDirty.objects.all().delete()
    assert services.rollups_lost_marks_repair(since=timezone.now() + dt.timedelta(seconds=1)) == 0
    settings.ROLLUPS_REPAIR_HOURS = 1
    assert services.rollups_lost_marks_repair() > 0


def test_a_burst_of_changes_schedules_one_refresh(
    desk, monkeypatch, django_capture_on_commit_callbacks
):
    rollups_refresh_dirty.app.conf.task_always_eager = False  # restored by tests/conftest.py
    calls = []
    monkeypatch.setattr(rollups_refresh_dirty, "apply_async", lambda **kw: calls.append(kw))
    change = {"unit_ids": frozenset({desk.pk}), "dates": frozenset({timezone.localdate()})}

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            rollups_dirty_on_change(sender=Dossier, dossier_id=1, event_kind="received", **change)
        # Marked at once, in the change's transaction; queued only once it commits.
        assert RollupDirty.objects.exists() and calls == []
    assert calls == [{"countdown": 6}]

    cache.delete(REFRESH_SCHEDULED_KEY)  # the 5-second window is over
    with django_capture_on_commit_callbacks(execute=True):
        rollups_dirty_on_change(sender=Dossier, dossier_id=1, event_kind="received", **change)
    assert len(calls) == 2


def test_a_failed_schedule_lets_the_next_change_try_again(
    desk, monkeypatch, django_capture_on_commit_callbacks
):
    rollups_refresh_dirty.app.conf.task_always_eager = False  # restored by tests/conftest.py
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("Connection refused.")

    monkeypatch.setattr(rollups_refresh_dirty, "apply_async", flaky)
    change = {"unit_ids": frozenset({desk.pk}), "dates": frozenset({timezone.localdate()})}
    with django_capture_on_commit_callbacks(execute=True):
        rollups_dirty_on_change(sender=Dossier, dossier_id=1, **change)
    with django_capture_on_commit_callbacks(execute=True):
        rollups_dirty_on_change(sender=Dossier, dossier_id=1, **change)
    assert len(calls) == 2


def test_a_mark_made_during_its_refresh_survives_the_drain(desk, today_is, monkeypatch):
    today_is(dt.date(2021, 4, 10))
    # Fri 9 April 09:00: Fri 6 h + Mon 8 h + Tue 8 h + Wed 2 h → due Wed 14 April 09:00.
    received_dossier(desk=desk, received_at=local("2021-04-09 09:00"))
    RollupDirty.objects.all().delete()  # the intake's own marks: this test makes its own
    rollups_dirty_mark(dates={dt.date(2021, 4, 10)}, unit_ids={desk.pk})
    assert RollupDirty.objects.count() == 14  # 7 periods of each scheme contain 10 April
    original = services.rollups_refresh_many

    def refresh_while_a_change_arrives(**kwargs):
        rollups_dirty_mark(dates={dt.date(2021, 4, 10)}, unit_ids={desk.pk})
        return original(**kwargs)

    monkeypatch.setattr(services, "rollups_refresh_many", refresh_while_a_change_arrives)
    assert rollups_dirty_drain() == 14  # one row per period
    # Every mark moved forward while its period was computed: all kept for the next run.
    assert RollupDirty.objects.count() == 14

    monkeypatch.undo()
    today_is(dt.date(2021, 4, 10))
    rollups_dirty_drain()
    assert not RollupDirty.objects.exists()
    assert cell(Q2, desk) == {
        "received_direct": 1,
        "received_in_period": 1,
        "received_total": 1,
        "in_progress": 1,
        "in_progress_within": 1,
    }
