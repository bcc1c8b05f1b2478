"""The dossier import against the rules every write obeys (DESIGN §3 "Today and the past"):
a return-only row (finished = returned), frozen periods, units in force on the step's day."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dossiers import imports
from dossiers.guards import dates_refusals
from dossiers.imports import dossiers_import
from dossiers.models import Dossier, DossierStatus, EventKind
from reports.aggregate import counters_total
from reports.models import PeriodFreeze
from reports.periods import period_make
from reports.services import period_freeze
from tests.dossiers import test_import
from tests.dossiers.test_import import DESK, counts, local, numbered, row, write_csv
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

Q1_2021 = period_make(kind="quarter", year=2021, index=1)
FROZEN_MARCH_15 = (
    "The figures of Quarter 1/2021 (01/01/2021–31/03/2021) are frozen: they were reported and "
    "can no longer change, so nothing dated 15/03/2021 can be recorded. Record it with a date "
    "after 31/03/2021, or ask the administrator."
)


# The commune desk, the district office and the 3-working-day procedure of test_import.
world = test_import.world


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def returned_only(applicant_name: str, returned_at: str, **values) -> dict:
    """A resolved row as iGate exports it: the return time, no result-ready time."""
    return row(applicant_name=applicant_name, outcome="resolved", returned_at=returned_at, **values)


def counters(dossiers, *, kind: str, year: int, index: int) -> dict[str, int]:
    return counters_total(dossiers, period_make(kind=kind, year=year, index=index))


# A resolved row with returned_at and no finished_at ----------------------------------------------


def test_it_accepts_a_return_only_row_as_finished_when_returned(world):
    # Received Mon 1 March 2021 08:00, 3 working days: due Thu 4 March 08:00.
    result = dossiers_import(rows=numbered([returned_only("Ksor H'Mai", "2021-03-03T10:00")]))
    assert result.errors.lines() == []
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.RETURNED
    assert dossier.finished_at == dossier.returned_at == local("2021-03-03 10:00")
    assert dossier.finished_date == dt.date(2021, 3, 3)
    assert [(e.kind, e.at) for e in dossier.events.exclude(kind=EventKind.IMPORTED)] == [
        (EventKind.RECEIVED, local("2021-03-01 08:00")),
        (EventKind.FINISHED, local("2021-03-03 10:00")),
        (EventKind.RETURNED, local("2021-03-03 10:00")),
    ]


def test_it_judges_return_only_rows_early_on_time_or_late_on_the_return_date(world):
    rows = [
        returned_only("Sớm", "2021-03-03T10:00"),  # 3 March < due 4 March: early
        returned_only("Đúng Hạn", "2021-03-04T16:00"),  # the due date itself: on time
        returned_only("Trễ", "2021-03-05T09:00"),  # the day after: late
    ]
    assert dossiers_import(rows=numbered(rows)).ok
    assert set(Dossier.objects.values_list("due_date", flat=True)) == {dt.date(2021, 3, 4)}
    march = counters(Dossier.objects.all(), kind="month", year=2021, index=3)
    assert (
        march["resolved"],
        march["resolved_early"],
        march["resolved_on_time"],
        march["resolved_late"],
        march["in_progress"],
    ) == (3, 1, 1, 1, 0)


def test_it_counts_a_return_only_row_as_resolved_in_the_month_it_was_returned(world):
    # Received Wed 31 March 08:00: due Mon 5 April 08:00; returned Fri 2 April.
    rows = [returned_only("Siu Thị Hoa", "2021-04-02T15:00", received_at="2021-03-31T08:00")]
    assert dossiers_import(rows=numbered(rows)).ok
    dossiers = Dossier.objects.all()
    assert dossiers.get().due_date == dt.date(2021, 4, 5)
    march = counters(dossiers, kind="month", year=2021, index=3)
    april = counters(dossiers, kind="month", year=2021, index=4)
    assert (march["received_in_period"], march["resolved"], march["in_progress"]) == (1, 0, 1)
    assert (april["carried_over"], april["resolved"], april["resolved_early"]) == (1, 1, 1)


def test_reimporting_return_only_rows_changes_nothing(world):
    rows = [returned_only("Rơ Châm Blếch", "2021-03-03T10:00")]
    assert dossiers_import(rows=numbered(rows)).created == 1
    before = counts()
    again = dossiers_import(rows=numbered(rows))
    assert (again.errors.lines(), again.created, again.unchanged) == ([], 0, 1)
    assert counts() == before


def test_a_return_only_row_returned_before_its_hand_over_is_an_error(world):
    _desk, office, _version = world
    rows = [
        returned_only(
            "Nay Bông",
            "2021-03-02T09:00",
            handling_unit_code=office.code,
            transferred_at="2021-03-02T10:00",
        )
    ]
    result = dossiers_import(rows=numbered(rows))
    assert result.errors.lines() == ["row 2: returned_at: is before transferred_at"]
    assert not Dossier.objects.exists()


# Frozen periods ---------------------------------------------------------------------------------


def test_a_new_row_received_in_a_frozen_quarter_is_refused_naming_it(world):
    period_freeze(period=Q1_2021, by=None)
    rows = [
        row(applicant_name="Ở Quý Đã Chốt", received_at="2021-03-15T08:00"),
        row(applicant_name="Quý Sau", received_at="2021-04-15T08:00"),  # fine on its own
    ]
    before = counts()
    result = dossiers_import(rows=numbered(rows))
    assert result.errors.lines() == [f"row 2: received_at: {FROZEN_MARCH_15}"]
    assert (result.created, result.unchanged) == (0, 0)
    assert counts() == before


def test_a_new_row_with_any_step_in_a_frozen_quarter_is_refused_on_that_step(world):
    period_freeze(period=Q1_2021, by=None)
    rows = [
        # Received in Q4 2020 (not frozen), its result ready in Q1 2021.
        row(
            applicant_name="Qua Năm",
            received_at="2020-12-30T08:00",
            finished_at="2021-03-15T09:00",
            outcome="resolved",
        ),
        # A return-only row returned in Q1 2021: refused on the return it carries.
        returned_only("Chỉ Ngày Trả", "2021-03-15T10:00", received_at="2020-12-31T08:00"),
    ]
    result = dossiers_import(rows=numbered(rows))
    assert result.errors.lines() == [
        f"row 2: finished_at: {FROZEN_MARCH_15}",
        f"row 3: returned_at: {FROZEN_MARCH_15}",
    ]
    assert not Dossier.objects.exists()


def test_reimporting_an_unchanged_file_after_its_quarter_was_frozen_changes_nothing(world):
    rows = [
        row(code=f"{DESK}-210315-0001", applicant_name="Có Mã", received_at="2021-03-15T08:00"),
        row(applicant_name="Không Mã", received_at="2021-03-15T09:00"),
        returned_only("Đã Trả", "2021-03-17T10:00", received_at="2021-03-15T10:00"),
    ]
    assert dossiers_import(rows=numbered(rows)).created == 3
    period_freeze(period=Q1_2021, by=None)
    before = counts()
    again = dossiers_import(rows=numbered(rows))
    assert (again.errors.lines(), again.created, again.unchanged) == ([], 0, 3)
    assert counts() == before
    # A new row of an open quarter goes in beside them.
    later = [*rows, row(applicant_name="Quý Hai", received_at="2021-04-15T08:00")]
    result = dossiers_import(rows=numbered(later))
    assert (result.errors.lines(), result.created, result.unchanged) == ([], 1, 3)


def test_it_reads_the_frozen_periods_once_for_a_file_after_them(world, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_SIZE", 2)
    period_freeze(period=Q1_2021, by=None)
    rows = [
        row(applicant_name=f"Người {n}", received_at=f"2021-{month:02d}-15T08:00")
        for n, month in enumerate((4, 5, 6, 7, 8, 9, 10))
    ]
    table = PeriodFreeze._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        result = dossiers_import(rows=numbered(rows))
    assert (result.errors.lines(), result.created) == ([], 7)
    # Once for the file's rows, once for the stale-rollup marks written with the import.
    assert sum(table in query["sql"] for query in queries.captured_queries) == 2


# Units in force on the step's day ----------------------------------------------------------------


@pytest.fixture
def reform():
    """A commune that ended on 30 June 2025 and the new commune that took over on 1 July."""
    new = UnitFactory(code="X24076", name="Xã Phú Túc", valid_from=dt.date(2025, 7, 1))
    old = UnitFactory(
        code="001.37.H21",
        name="UBND xã Ia Rsai",
        valid_to=dt.date(2025, 6, 30),
        successors=[new],
    )
    return old, new


def test_a_row_at_an_ended_unit_is_refused_naming_its_successor(world, reform):
    old, new = reform
    rows = [
        row(unit_code=old.code, received_at="2025-07-15T08:00"),
        row(unit_code=new.code, applicant_name="Đúng Nơi", received_at="2025-07-15T08:00"),
    ]
    before = counts()
    result = dossiers_import(rows=numbered(rows))
    assert result.errors.lines() == [
        "row 2: unit_code: UBND xã Ia Rsai ended on 30/06/2025; its work passed to Xã Phú Túc. "
        "It cannot receive a dossier on 15/07/2025: give the unit in force that day."
    ]
    assert counts() == before
    # At the successor, the same row goes in.
    assert dossiers_import(rows=numbered(rows[1:])).created == 1


def test_a_row_at_a_unit_before_it_existed_is_refused(world, reform):
    _old, new = reform
    result = dossiers_import(
        rows=numbered([row(unit_code=new.code, received_at="2025-06-20T08:00")])
    )
    assert result.errors.lines() == [
        "row 2: unit_code: Xã Phú Túc only exists from 01/07/2025. It cannot receive a dossier "
        "on 20/06/2025: give the unit in force that day."
    ]


def test_a_hand_over_to_a_unit_ended_that_day_is_refused_naming_its_successor(world, reform):
    old, _new = reform
    rows = [
        # Handed over on 1 July 2025, the day after the unit ended.
        row(
            applicant_name="Sau Ngày",
            received_at="2025-06-30T08:00",
            handling_unit_code=old.code,
            transferred_at="2025-07-01T08:00",
        ),
        # Handed over on its last day: in force.
        row(
            applicant_name="Ngày Cuối",
            received_at="2025-06-30T08:00",
            handling_unit_code=old.code,
            transferred_at="2025-06-30T09:00",
        ),
    ]
    result = dossiers_import(rows=numbered(rows))
    assert result.errors.lines() == [
        "row 2: handling_unit_code: UBND xã Ia Rsai ended on 30/06/2025; its work passed to Xã "
        "Phú Túc. Nothing can be handed over to it on 01/07/2025: give the unit in force that day."
    ]
    assert dossiers_import(rows=numbered(rows[1:])).created == 1


def test_dates_refusals_finds_every_frozen_day_among_many_with_its_period(world):
    period_freeze(period=Q1_2021, by=None)
    days = [dt.date(2020, 12, 31) + dt.timedelta(days=n) for n in range(120)]  # to 29 April
    refused = dates_refusals([*days, None])
    assert sorted(refused) == [day for day in days if Q1_2021.start <= day <= Q1_2021.end]
    assert refused[dt.date(2021, 3, 15)].messages == [FROZEN_MARCH_15]
    assert refused[dt.date(2021, 3, 15)].code == "frozen_period"
    assert dates_refusals(days[91:]) == {}


def test_the_command_refuses_a_file_dated_in_a_frozen_quarter_with_exit_status_1(world, tmp_path):
    period_freeze(period=Q1_2021, by=None)
    path = write_csv(tmp_path / "igate.csv", [row(received_at="2021-03-15T08:00")])
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_dossiers", str(path), stderr=err)
    assert raised.value.returncode == 1
    assert err.getvalue().splitlines() == [f"row 2: received_at: {FROZEN_MARCH_15}"]
    assert not Dossier.objects.exists()
