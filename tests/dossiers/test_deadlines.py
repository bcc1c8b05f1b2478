"""Due dates: working days through Tết, after-hours intake, fractions, hours, calendar days,
per-channel times, calendar overrides and the supplement pause (DESIGN §3)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from dossiers.deadlines import due_at_compute, supplement_due_at_shift
from dossiers.models import Regime, regime_for
from org.models import CalendarOverride
from org.workdays import WorkingCalendar
from procedures.services import ChannelTimeSpec
from tests.factories import local, published_procedure

CALENDAR = WorkingCalendar()


@dataclass
class FixedTime:
    """Stands in for a ProcedureVersion: the same time for every channel."""

    value: str
    unit: str

    def processing_time_for(self, channel: str) -> tuple:
        return Decimal(self.value), self.unit


@pytest.mark.parametrize(
    "received, value, unit, due",
    [
        # Tết 10–16 Feb 2021 skipped; the half hour left on the 9th counts.
        ("2021-02-09 16:30", "3", "working_days", "2021-02-19 16:30"),
        # After hours on a Friday: the clock starts Monday 07:00.
        ("2021-03-05 17:30", "1", "working_days", "2021-03-08 17:00"),
        # On a Sunday: likewise.
        ("2021-03-07 10:00", "1", "working_days", "2021-03-08 17:00"),
        # At lunch: the clock starts at 13:30; 3.5 h that afternoon, 0.5 h the next morning.
        ("2021-03-08 12:00", "0.5", "working_days", "2021-03-09 07:30"),
        # Half a day = 4 office hours, across the lunch break.
        ("2021-03-08 10:00", "0.5", "working_days", "2021-03-08 16:00"),
        ("2021-03-08 07:00", "0.5", "working_days", "2021-03-08 11:00"),
        # Zero days: due the moment the clock starts.
        ("2021-03-08 08:00", "0", "working_days", "2021-03-08 08:00"),
        # Working hours run over into the next morning.
        ("2021-03-08 16:00", "4", "working_hours", "2021-03-09 10:00"),
        ("2021-03-08 07:00", "1.5", "working_hours", "2021-03-08 08:30"),
        # Calendar days on the wall clock, landing on a working day.
        ("2021-03-01 09:00", "3", "calendar_days", "2021-03-04 09:00"),
        # Landing on a Saturday: the next working day's closing time.
        ("2021-03-01 09:00", "5", "calendar_days", "2021-03-08 17:00"),
        # Landing inside Tết: after it, at closing time.
        ("2021-02-05 09:00", "7", "calendar_days", "2021-02-17 17:00"),
    ],
)
def test_it_computes_the_due_date(received, value, unit, due):
    version = FixedTime(value, unit)
    result = due_at_compute(
        version=version, channel="direct", received_at=local(received), calendar=CALENDAR
    )
    assert result == local(due)
    assert result.utcoffset() == dt.timedelta(hours=7)


def test_it_accepts_an_aware_utc_received_time():
    received = dt.datetime(2021, 2, 9, 9, 30, tzinfo=dt.UTC)  # 16:30 in Hà Nội
    result = due_at_compute(
        version=FixedTime("3", "working_days"),
        channel="direct",
        received_at=received,
        calendar=CALENDAR,
    )
    assert result == local("2021-02-19 16:30")


def test_it_refuses_fractional_calendar_days():
    with pytest.raises(ValueError, match="whole"):
        due_at_compute(
            version=FixedTime("1.5", "calendar_days"),
            channel="direct",
            received_at=local("2021-03-01 09:00"),
            calendar=CALENDAR,
        )


def test_it_refuses_an_unknown_time_unit():
    with pytest.raises(ValueError, match="Unknown unit"):
        due_at_compute(
            version=FixedTime("1", "fortnights"),
            channel="direct",
            received_at=local("2021-03-01 09:00"),
            calendar=CALENDAR,
        )


def test_it_skips_an_extra_day_off():
    calendar = WorkingCalendar(extra_days_off=frozenset({dt.date(2021, 3, 9)}))
    result = due_at_compute(
        version=FixedTime("2", "working_days"),
        channel="direct",
        received_at=local("2021-03-08 07:00"),
        calendar=calendar,
    )
    assert result == local("2021-03-10 17:00")


def test_it_counts_a_working_saturday():
    calendar = WorkingCalendar(extra_working_days=frozenset({dt.date(2021, 3, 6)}))
    result = due_at_compute(
        version=FixedTime("1", "working_days"),
        channel="direct",
        received_at=local("2021-03-05 17:30"),
        calendar=calendar,
    )
    assert result == local("2021-03-06 17:00")


@pytest.mark.django_db
def test_it_uses_the_per_channel_time_of_the_version():
    version = published_procedure(
        processing_time=Decimal("3"),
        channel_times=(ChannelTimeSpec("online", Decimal("1"), "working_days"),),
    )
    received = local("2021-03-08 07:00")
    online = due_at_compute(version=version, channel="online", received_at=received)
    direct = due_at_compute(version=version, channel="direct", received_at=received)
    assert online == local("2021-03-08 17:00")
    assert direct == local("2021-03-10 17:00")


@pytest.mark.django_db
def test_it_reads_the_calendar_overrides_by_default():
    version = published_procedure(processing_time=Decimal("2"))
    CalendarOverride.objects.create(
        date=dt.date(2021, 3, 9), kind=CalendarOverride.Kind.DAY_OFF, notice="TB 1/2021"
    )
    result = due_at_compute(
        version=version, channel="direct", received_at=local("2021-03-08 07:00")
    )
    assert result == local("2021-03-10 17:00")


@pytest.mark.parametrize(
    "due, paused_from, resumed_at, shifted",
    [
        # Fri 15:00 → Mon 09:00: 2 h on Friday + 2 h on Monday; the weekend does not count.
        ("2021-03-10 10:00", "2021-03-05 15:00", "2021-03-08 09:00", "2021-03-10 16:00"),
        # A pause over the weekend only holds no office time: nothing moves.
        ("2021-03-10 10:00", "2021-03-06 10:00", "2021-03-07 18:00", "2021-03-10 10:00"),
        # A pause of one full working day moves the due date one working day, over a weekend.
        ("2021-03-12 15:00", "2021-03-08 07:00", "2021-03-08 17:00", "2021-03-15 15:00"),
        # A pause over Tết counts only the hour before and the hour after it: 2 h, which
        # carry a Friday 16:30 due date over the weekend to Monday 08:30.
        ("2021-02-19 16:30", "2021-02-09 16:00", "2021-02-17 08:00", "2021-02-22 08:30"),
    ],
)
def test_it_moves_the_due_date_by_the_office_time_paused(due, paused_from, resumed_at, shifted):
    result = supplement_due_at_shift(
        due_at=local(due),
        paused_from=local(paused_from),
        resumed_at=local(resumed_at),
        calendar=CALENDAR,
    )
    assert result == local(shifted)


@pytest.mark.parametrize(
    "received, regime",
    [
        (local("2025-06-30 23:59"), Regime.DECREE_61_2018),
        (local("2025-07-01 00:00"), Regime.DECREE_118_2025),
        # 2025-06-30 17:30 UTC is already 1 July in Hà Nội.
        (dt.datetime(2025, 6, 30, 17, 30, tzinfo=dt.UTC), Regime.DECREE_118_2025),
        (local("2021-02-09 16:30"), Regime.DECREE_61_2018),
    ],
)
def test_it_picks_the_regime_by_local_received_date(received, regime):
    assert regime_for(received) == regime
