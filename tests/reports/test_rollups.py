"""The statistics rollups (reports.services / reports.selectors): refresh, rebuild, freeze, the
periods a change touches, the grouped reads and the two commands.

The dossiers, by hand (3 working days each; office hours 07:00–11:30, 13:30–17:00):

=====  ====  ====  =======  ===================  ======================  ===================
name   unit  proc  channel  received             due                     then
=====  ====  ====  =======  ===================  ======================  ===================
d1     A     P1    direct   Tue 2021-03-02 09:00 Fri 2021-03-05 09:00    finished 03-04: early
d2     A     P2    online   Tue 2021-03-02 09:00 Fri 2021-03-05 09:00    finished 03-08: late
d3     B     P1    postal   Mon 2021-03-29 09:00 Thu 2021-04-01 09:00    open; digitised
d4     B     P2    direct   Wed 2020-12-30 09:00 Tue 2021-01-05 09:00    finished 01-05: on time
r5     A     P1    direct   Mon 2021-02-01 09:00 (refused at intake)
=====  ====  ====  =======  ===================  ======================  ===================

(d3: Mon 6 h + Tue 8 h + Wed 8 h + Thu 2 h = 24 h; d4: Wed 6 h + Thu 8 h, Fri 1 Jan is a
holiday, Mon 8 h + Tue 2 h.)
"""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEntry
from dossiers.models import Dossier, DossierStatus
from dossiers.services import dossier_finish
from org.models import UnitLevel
from reports.aggregate import counters_query
from reports.counters import COUNTERS
from reports.models import PeriodFreeze, Rollup, RollupRun
from reports.periods import period_make
from reports.selectors import period_counters, units_never_computed
from reports.services import (
    ROLLUP_GROUP_BY,
    _CountersStatement,
    period_freeze,
    periods_affected,
    rollups_compute_missing,
    rollups_rebuild,
    rollups_refresh,
)
from tests.conftest import skip_unless_available
from tests.factories import (
    MembershipFactory,
    UnitFactory,
    UserFactory,
    local,
    published_procedure,
    received_dossier,
)
from tests.steps import refused_at_intake

pytestmark = pytest.mark.django_db

Q1 = period_make(kind="quarter", year=2021, index=1)
CUTOFF_Q1 = period_make(kind="quarter", year=2021, index=1, scheme="cutoff")
CUTOFF_Q2 = period_make(kind="quarter", year=2021, index=2, scheme="cutoff")


def nonzero(counters) -> dict:
    """The non-zero counters of a Rollup row or a counters dict."""
    get = counters.get if isinstance(counters, dict) else lambda name: getattr(counters, name)
    return {name: get(name) for name in COUNTERS if get(name)}


def cells(period) -> dict:
    """{(unit code, procedure code): non-zero counters} of the stored rows of ``period``."""
    rows = Rollup.objects.filter(period_key=period.key).select_related("unit", "procedure")
    return {(row.unit.code, row.procedure.code): nonzero(row) for row in rows}


def zeros() -> dict:
    return dict.fromkeys(COUNTERS, 0)


# Expected cells of calendar Q1 2021 (1 Jan – 31 Mar).
A_P1 = {
    "received_direct": 1,
    "received_in_period": 1,
    "received_total": 1,
    "resolved": 1,
    "resolved_early": 1,
    "refused": 1,
}
A_P2 = {
    "received_online": 1,
    "received_in_period": 1,
    "received_total": 1,
    "resolved": 1,
    "resolved_late": 1,
}
B_P1 = {
    "received_postal": 1,
    "received_in_period": 1,
    "received_total": 1,
    "in_progress": 1,
    "in_progress_within": 1,
    "digitised": 1,
}
B_P2 = {"carried_over": 1, "received_total": 1, "resolved": 1, "resolved_on_time": 1}
Q1_CELLS = {("A", "1.000001"): A_P1, ("A", "1.000002"): A_P2, ("B", "1.000001"): B_P1}
Q1_CELLS[("B", "1.000002")] = B_P2


@pytest.fixture
def world():
    a = UnitFactory(code="A", level=UnitLevel.DISTRICT)
    b = UnitFactory(code="B", level=UnitLevel.COMMUNE, parent=a)
    c = UnitFactory(code="C", level=UnitLevel.COMMUNE, parent=a)
    # Received at the district desk A and the commune desks B and C.
    p1 = published_procedure(code="1.000001", levels=("district", "commune"))
    p2 = published_procedure(code="1.000002", levels=("district", "commune"))

    def receive(desk, version, channel, at, **more):
        return received_dossier(
            desk=desk, procedure_version=version, channel=channel, received_at=local(at), **more
        )

    d1 = receive(a, p1, "direct", "2021-03-02 09:00")
    dossier_finish(dossier=d1, by=None, at=local("2021-03-04 10:00"))
    d2 = receive(a, p2, "online", "2021-03-02 09:00")
    dossier_finish(dossier=d2, by=None, at=local("2021-03-08 10:00"))
    d3 = receive(b, p1, "postal", "2021-03-29 09:00", digitised=True)
    d4 = receive(b, p2, "direct", "2020-12-30 09:00")
    dossier_finish(dossier=d4, by=None, at=local("2021-01-05 10:00"))
    refused_at_intake(a, p1, local("2021-02-01 09:00"))
    return {"A": a, "B": b, "C": c, "P1": p1.procedure, "P2": p2.procedure, "d3": d3}


# The model ----------------------------------------------------------------------------------


def test_it_stores_one_column_per_official_counter():
    counter_columns = {
        field.name
        for field in Rollup._meta.get_fields()
        if isinstance(field, models.PositiveIntegerField)
    }
    # Plus one helper count that is not an official counter (longer periods from months).
    assert counter_columns == {*COUNTERS, "digitised_received"}


# Refresh ----------------------------------------------------------------------------------------


def test_it_writes_one_row_per_unit_and_procedure_with_the_counters(world):
    assert rollups_refresh(period=Q1) == 4
    assert cells(Q1) == Q1_CELLS
    row = Rollup.objects.get(period_key=Q1.key, unit=world["A"], procedure=world["P1"])
    assert (row.scheme, row.kind, row.year, row.index) == ("calendar", "quarter", 2021, 1)


def test_it_is_idempotent(world):
    rollups_refresh(period=Q1)
    first_ids = set(Rollup.objects.values_list("pk", flat=True))
    assert rollups_refresh(period=Q1) == 4
    assert Rollup.objects.count() == 4
    assert set(Rollup.objects.values_list("pk", flat=True)) == first_ids
    assert cells(Q1) == Q1_CELLS


def test_it_counts_a_period_not_over_as_of_today(world):
    # On Wed 3 March d1 and d2 are open and within their due date (5 March); d3, d4 as before
    # the quarter started: d4 finished 5 Jan, d3 not received yet.
    assert rollups_refresh(period=Q1, today=dt.date(2021, 3, 3)) == 3
    in_progress_within = {"in_progress": 1, "in_progress_within": 1}
    assert cells(Q1) == {
        ("A", "1.000001"): {
            "received_direct": 1,
            "received_in_period": 1,
            "received_total": 1,
            "refused": 1,
            **in_progress_within,
        },
        ("A", "1.000002"): {
            "received_online": 1,
            "received_in_period": 1,
            "received_total": 1,
            **in_progress_within,
        },
        ("B", "1.000002"): B_P2,
    }


def test_it_does_not_compute_a_period_that_has_not_started(world):
    assert rollups_refresh(period=Q1, today=dt.date(2020, 12, 31)) == 0
    assert not Rollup.objects.exists()
    assert units_never_computed(period=Q1, unit_ids=[world["A"].pk])


def test_an_edit_then_refresh_changes_only_that_units_rows(world):
    rollups_refresh(period=Q1)
    a_before = dict(Rollup.objects.filter(unit=world["A"]).values_list("pk", "computed_at"))
    dossier_finish(dossier=world["d3"], by=None, at=local("2021-03-31 16:00"))

    assert rollups_refresh(period=Q1, unit_ids=[world["B"].pk]) == 2
    assert cells(Q1)[("B", "1.000001")] == {
        "received_postal": 1,
        "received_in_period": 1,
        "received_total": 1,
        "resolved": 1,
        "resolved_early": 1,  # 31 March, before the due date 1 April
        "digitised": 1,
    }
    assert dict(Rollup.objects.filter(unit=world["A"]).values_list("pk", "computed_at")) == (
        a_before
    )


def test_it_deletes_the_rows_of_its_units_no_longer_produced(world):
    rollups_refresh(period=Q1)
    stray = {"period_key": Q1.key, "scheme": "calendar", "kind": "quarter", "year": 2021}
    stray.update(index=1, computed_at=timezone.now(), received_direct=7)
    Rollup.objects.create(unit=world["C"], procedure=world["P1"], **stray)
    Rollup.objects.filter(unit=world["A"], procedure=world["P2"]).delete()
    Rollup.objects.create(unit=world["A"], procedure=world["P2"], **{**stray, "received_online": 9})
    p3 = published_procedure(code="1.000003").procedure
    Rollup.objects.create(unit=world["A"], procedure=p3, **stray)

    rollups_refresh(period=Q1, unit_ids=[world["A"].pk])

    assert cells(Q1) == {**Q1_CELLS, ("C", "1.000001"): {"received_direct": 7}}


@pytest.fixture
def _postgresql():
    # Before ``world``: checked first, so that SQLite does not build the data for nothing.
    skip_unless_available(
        connection.vendor == "postgresql",
        "needs PostgreSQL for real concurrent transactions: set DATABASE_URL=postgres://…",
    )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_refreshes_leave_the_same_rows(_postgresql, world):
    Rollup.objects.all().delete()  # the eager tasks of the committed changes filled them
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def refresh() -> None:
        try:
            barrier.wait(timeout=30)
            rollups_refresh(period=Q1)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Rollup.objects.filter(period_key=Q1.key).count() == 4
    assert cells(Q1) == Q1_CELLS


def test_the_statement_compiled_once_counts_like_the_aggregate(world):
    statement = _CountersStatement(Dossier.objects.all())
    for period in (Q1, CUTOFF_Q1, CUTOFF_Q2, period_make(kind="month", year=2021, index=3)):
        expected = counters_query(
            Dossier.objects.all(),
            period,
            group_by=ROLLUP_GROUP_BY,
            extra=("digitised_received",),
        )
        sql, params = statement.sql(period)
        # The statement the ORM compiles for this period, with the same parameters: only the
        # placeholders of the period's dates are in parentheses (an expression's).
        compiled, compiled_params = expected.query.get_compiler(connection=connection).as_sql()
        assert params == list(compiled_params)
        assert sql.replace("(%s)", "%s") == compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            columns = [column[0] for column in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        assert rows
        assert sorted(rows, key=str) == sorted(expected, key=str)


# Freeze ---------------------------------------------------------------------------------------


def test_a_frozen_period_keeps_its_figures_after_an_edit(world):
    freeze = period_freeze(period=Q1, by=None, note="Báo cáo số 12/BC-UBND")
    assert freeze.period_key == "calendar:quarter:2021:1"
    assert cells(Q1) == Q1_CELLS  # refreshed one last time by the freeze

    with pytest.raises(ValidationError):  # a step dated in the frozen quarter is refused
        dossier_finish(dossier=world["d3"], by=None, at=local("2021-03-31 16:00"))
    # Even an edit made around the services (a correction in the database) changes nothing.
    Dossier.objects.filter(pk=world["d3"].pk).update(
        status=DossierStatus.FINISHED,
        finished_at=local("2021-03-31 16:00"),
        finished_date=dt.date(2021, 3, 31),
    )
    assert rollups_refresh(period=Q1) == 0
    # Calendar Q1 is skipped; cut-off Q1 (15 Dec – 14 Mar) is not frozen: 3 rows.
    assert (
        rollups_rebuild(first=dt.date(2021, 3, 1), last=dt.date(2021, 3, 1), kinds=["quarter"]) == 3
    )
    assert cells(Q1) == Q1_CELLS


def test_a_period_is_frozen_only_once_and_only_when_over(world):
    period_freeze(period=Q1, by=None)
    with translation.override("en"):
        with pytest.raises(ValidationError, match="already frozen"):
            period_freeze(period=Q1, by=None)
        with pytest.raises(ValidationError, match="Only a period that is over"):
            period_freeze(period=Q1, by=None, today=dt.date(2021, 3, 31))
    assert PeriodFreeze.objects.count() == 1


# Rebuild ----------------------------------------------------------------------------------------


def test_it_rebuilds_every_period_overlapping_a_range(world):
    seen = []

    # March 2021 overlaps calendar Q1, and cut-off Q1 (15 Dec – 14 Mar) and Q2 (15 Mar – 14 Jun).
    written = rollups_rebuild(
        first=dt.date(2021, 3, 1),
        last=dt.date(2021, 3, 31),
        kinds=["quarter"],
        progress=lambda period, rows: seen.append((period.key, rows)),
    )

    assert seen == [
        ("calendar:quarter:2021:1", 4),
        ("cutoff:quarter:2021:1", 3),
        ("cutoff:quarter:2021:2", 1),
    ]
    assert written == 8
    assert cells(Q1) == Q1_CELLS
    # Cut-off Q1: d4 (30 Dec) is received in the period, d3 (29 Mar) not yet.
    assert cells(CUTOFF_Q1) == {
        ("A", "1.000001"): A_P1,
        ("A", "1.000002"): A_P2,
        ("B", "1.000002"): {
            "received_direct": 1,
            "received_in_period": 1,
            "received_total": 1,
            "resolved": 1,
            "resolved_on_time": 1,
        },
    }
    # Cut-off Q2 ends 14 June: d3 is still open, its due date (1 April) long past.
    assert cells(CUTOFF_Q2) == {
        ("B", "1.000001"): {
            "received_postal": 1,
            "received_in_period": 1,
            "received_total": 1,
            "in_progress": 1,
            "in_progress_overdue": 1,
            "digitised": 1,
        }
    }


def test_it_rebuilds_only_the_units_asked_and_skips_frozen_periods(world):
    period_freeze(period=CUTOFF_Q1, by=None)
    Rollup.objects.all().delete()
    seen = []
    written = rollups_rebuild(
        first=dt.date(2021, 3, 1),
        last=dt.date(2021, 3, 1),
        kinds=["quarter"],
        unit_ids=[world["A"].pk],
        progress=lambda period, rows: seen.append((period.key, rows)),
    )
    assert seen == [("calendar:quarter:2021:1", 2), ("cutoff:quarter:2021:1", None)]
    assert written == 2
    assert cells(Q1) == {("A", "1.000001"): A_P1, ("A", "1.000002"): A_P2}


# Which periods a change touches ---------------------------------------------------------------


def keys(periods) -> set[str]:
    return {period.key for period in periods}


def test_a_change_touches_every_period_from_its_date_to_today():
    affected = periods_affected({dt.date(2021, 3, 2), dt.date(2021, 3, 20)}, dt.date(2021, 4, 10))
    year_2021 = {"quarter:2021:1", "quarter:2021:2", "half:2021:1", "year:2021:1"}
    year_2021 |= {"ytd:2021:1", "ytd:2021:2", "ytd:2021:3", "ytd:2021:4"}
    assert keys(affected) == {
        # Calendar: March and April (today), Q1 and Q2, H1, the year, every year-to-date.
        *(f"calendar:{key}" for key in {"month:2021:3", "month:2021:4", *year_2021}),
        # Cut-off: month 3 = 15 Feb – 14 Mar holds 2 March, month 4 = 15 Mar – 14 Apr.
        *(f"cutoff:{key}" for key in {"month:2021:3", "month:2021:4", *year_2021}),
    }
    assert len(affected) == 20


def test_a_change_in_december_carries_into_the_next_cutoff_year():
    affected = periods_affected({dt.date(2020, 12, 20)}, dt.date(2021, 1, 5))
    assert keys(affected) == {
        "calendar:month:2020:12",
        "calendar:month:2021:1",
        "calendar:quarter:2020:4",
        "calendar:quarter:2021:1",
        "calendar:half:2020:2",
        "calendar:half:2021:1",
        "calendar:year:2020:1",
        "calendar:year:2021:1",
        "calendar:ytd:2020:4",  # Jan – Dec 2020; ytd 1–3 of 2020 ended before 20 December
        "calendar:ytd:2021:1",
        "calendar:ytd:2021:2",
        "calendar:ytd:2021:3",
        "calendar:ytd:2021:4",
        # The cut-off year 2021 starts on 15 Dec 2020; every cut-off 2020 period ended 14 Dec.
        "cutoff:month:2021:1",
        "cutoff:quarter:2021:1",
        "cutoff:half:2021:1",
        "cutoff:year:2021:1",
        "cutoff:ytd:2021:1",
        "cutoff:ytd:2021:2",
        "cutoff:ytd:2021:3",
        "cutoff:ytd:2021:4",
    }


def test_no_date_touches_no_period():
    assert periods_affected(set(), dt.date(2021, 1, 5)) == []


# Q1 2021 of the world above, by hand: A received d1 (direct, early), d2 (online,
# late) and refused r5; B received d3 (postal, open, digitised) and carried d4 over (on time).
A_Q1 = {
    "received_online": 1,
    "received_direct": 1,
    "received_in_period": 2,
    "received_total": 2,
    "resolved": 2,
    "resolved_early": 1,
    "resolved_late": 1,
    "refused": 1,
}
B_Q1 = {
    "received_postal": 1,
    "received_in_period": 1,
    "carried_over": 1,
    "received_total": 2,
    "resolved": 1,
    "resolved_on_time": 1,
    "in_progress": 1,
    "in_progress_within": 1,
    "digitised": 1,
}


# Reads ------------------------------------------------------------------------------------------


def test_it_sums_the_counters_of_the_units(world):
    rollups_refresh(period=Q1)
    units = [world[code].pk for code in "ABC"]
    assert period_counters(period=Q1, unit_ids=units) == {
        **zeros(),
        "received_online": 1,
        "received_direct": 1,
        "received_postal": 1,
        "received_in_period": 3,
        "carried_over": 1,
        "received_total": 4,
        "resolved": 3,
        "resolved_early": 1,
        "resolved_on_time": 1,
        "resolved_late": 1,
        "in_progress": 1,
        "in_progress_within": 1,
        "refused": 1,
        "digitised": 1,
    }
    assert period_counters(period=Q1, unit_ids=[world["C"].pk]) == zeros()
    assert period_counters(period=CUTOFF_Q2, unit_ids=units) == zeros()


def test_it_groups_by_unit_level_and_procedure(world):
    rollups_refresh(period=Q1)
    a, b, c = (world[code].pk for code in "ABC")

    by_unit = period_counters(period=Q1, unit_ids=[a, b, c], group_by="unit")
    assert {unit_id: nonzero(counters) for unit_id, counters in by_unit.items()} == {
        a: A_Q1,
        b: B_Q1,
    }  # C received nothing: absent
    assert by_unit[a] == {**zeros(), **nonzero(by_unit[a])}  # every counter, zeros included

    by_level = period_counters(period=Q1, unit_ids=[a, b, c], group_by="level")
    assert by_level == {"district": by_unit[a], "commune": by_unit[b]}
    assert period_counters(period=Q1, unit_ids=[c], group_by="level") == {}

    by_procedure = period_counters(period=Q1, unit_ids=[a, b], group_by="procedure")
    assert {key: nonzero(value) for key, value in by_procedure.items()} == {
        world["P1"].pk: {
            "received_direct": 1,
            "received_postal": 1,
            "received_in_period": 2,
            "received_total": 2,
            "resolved": 1,
            "resolved_early": 1,
            "in_progress": 1,
            "in_progress_within": 1,
            "refused": 1,
            "digitised": 1,
        },
        world["P2"].pk: {
            "received_online": 1,
            "received_in_period": 1,
            "carried_over": 1,
            "received_total": 2,
            "resolved": 2,
            "resolved_on_time": 1,
            "resolved_late": 1,
        },
    }
    with pytest.raises(ValueError, match="group_by"):
        period_counters(period=Q1, unit_ids=[a], group_by="sector")


def test_it_tells_never_computed_from_computed_and_zero(world):
    c = world["C"].pk
    assert units_never_computed(period=Q1, unit_ids=[c]) == {c}
    rollups_refresh(period=Q1, unit_ids=[world["A"].pk])
    assert units_never_computed(period=Q1, unit_ids=[c]) == {c}
    assert not units_never_computed(period=Q1, unit_ids=[world["A"].pk])
    rollups_refresh(period=Q1)
    assert not units_never_computed(period=Q1, unit_ids=[c])  # computed, all zero
    assert RollupRun.objects.filter(period_key=Q1.key).count() == 3
    assert units_never_computed(period=Q1, unit_ids=[c, UnitFactory().pk])


def test_it_computes_missing_rollups_before_reading_them(world):
    b = world["B"].pk
    assert period_counters(period=Q1, unit_ids=[b], group_by="procedure") == {}  # reads only
    assert not Rollup.objects.exists()
    assert rollups_compute_missing(periods=[Q1], unit_ids=[b]) == 2
    assert rollups_compute_missing(periods=[Q1], unit_ids=[b]) == 0  # computed: left as is
    counters = period_counters(period=Q1, unit_ids=[b], group_by="procedure")
    assert {key: nonzero(value) for key, value in counters.items()} == {
        world["P1"].pk: B_P1,
        world["P2"].pk: B_P2,
    }
    assert set(Rollup.objects.values_list("unit_id", flat=True)) == {b}
    assert not units_never_computed(period=Q1, unit_ids=[b])


# Commands ---------------------------------------------------------------------------------------


def command(name: str, *args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(name, *args, stdout=out)
    return out.getvalue()


def test_the_rebuild_command_prints_periods_rows_and_time(world):
    output = command(
        "rollups_rebuild", "--from", "2021-03-01", "--to", "2021-03-31", "--kind", "quarter"
    )
    lines = output.splitlines()
    assert lines[:3] == [
        "calendar:quarter:2021:1  Quarter 1/2021: 4 rows",
        "cutoff:quarter:2021:1  Quarter 1/2021: 3 rows",
        "cutoff:quarter:2021:2  Quarter 2/2021: 1 row",
    ]
    assert lines[3].startswith("3 periods, 8 rows written in ")
    assert lines[3].endswith(" s.")
    assert cells(Q1) == Q1_CELLS


def test_the_rebuild_command_takes_a_scheme_kinds_and_a_subtree(world):
    period_freeze(period=period_make(kind="month", year=2021, index=3), by=None)
    Rollup.objects.all().delete()
    output = command(
        "rollups_rebuild",
        "--from=2021-03-01",
        "--to=2021-03-31",
        "--scheme=calendar",
        "--kind",
        "quarter",
        "month",
        "--unit=B",
    )
    assert output.splitlines()[:2] == [
        "calendar:quarter:2021:1  Quarter 1/2021: 2 rows",
        "calendar:month:2021:3  Month 3/2021: frozen, skipped",
    ]
    assert cells(Q1) == {("B", "1.000001"): B_P1, ("B", "1.000002"): B_P2}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2021-13-01", "--to", "2021-03-31"], "2021-13-01 is not a date"),
        (["--from", "2021-04-01", "--to", "2021-03-31"], "--from 2021-04-01 is after --to"),
        (["--from", "2021-03-01", "--to", "2021-03-31", "--unit", "NOPE"], "No unit has the code"),
    ],
)
def test_the_rebuild_command_refuses_bad_input(world, args, message):
    with translation.override("en"), pytest.raises(CommandError, match=message) as error:
        call_command("rollups_rebuild", *args, stdout=StringIO())
    assert error.value.returncode == 1
    assert not Rollup.objects.exists()


def test_the_freeze_command_freezes_a_closed_period(world):
    output = command("rollups_freeze", "--period", "calendar:quarter:2021:1", "--note", "BC 12")
    assert output.startswith("calendar:quarter:2021:1  Quarter 1/2021 frozen at ")
    freeze = PeriodFreeze.objects.get()
    assert (freeze.period_key, freeze.note, freeze.frozen_by) == (Q1.key, "BC 12", None)
    assert cells(Q1) == Q1_CELLS


@pytest.mark.parametrize(
    "key, message",
    [
        ("calendar:quarter:2021:5", "Unknown period calendar:quarter:2021:5"),
        ("2021-Q1", "Unknown period 2021-Q1"),
        ("calendar:quarter:2021:1", "already frozen"),
        ("calendar:year:2999:1", "Only a period that is over can be frozen"),
    ],
)
def test_the_freeze_command_refuses_bad_input(key, message):
    PeriodFreeze.objects.create(period_key=Q1.key, frozen_at=timezone.now())
    with translation.override("en"), pytest.raises(CommandError, match=message) as error:
        call_command("rollups_freeze", "--period", key, stdout=StringIO())
    assert error.value.returncode == 1
    assert PeriodFreeze.objects.count() == 1


# Admin ------------------------------------------------------------------------------------------


def staff_client(role: str):
    user = UserFactory(username=f"staff-{role}", is_staff=True)
    MembershipFactory(user=user, role=role)
    client = Client()
    client.force_login(user)
    return client, user


def test_the_admin_freezes_a_period_through_the_service(world):
    client, user = staff_client("administrator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the page's messages in English
    add = reverse("admin:reports_periodfreeze_add")
    with translation.override("en"):
        response = client.post(add, {"period_key": Q1.key, "note": "BC 12"})
        assert response.status_code == 302
        freeze = PeriodFreeze.objects.get()
        assert (freeze.period_key, freeze.frozen_by, freeze.note) == (Q1.key, user, "BC 12")
        assert cells(Q1) == Q1_CELLS  # refreshed one last time
        freezing = AuditEntry.objects.get(action="freeze", object_id=str(freeze.pk))
        assert freezing.actor == user
        assert freezing.changes["period_key"] == [None, Q1.key]

        again = client.post(add, {"period_key": Q1.key, "note": ""})
        assert again.status_code == 200
        assert "already frozen" in again.content.decode()
        open_year = client.post(add, {"period_key": "calendar:year:2999:1"})
        assert "Only a period that is over can be frozen" in open_year.content.decode()
    assert PeriodFreeze.objects.count() == 1

    assert client.get(reverse("admin:reports_rollup_changelist")).status_code == 200
    assert client.get(reverse("admin:reports_rollup_add")).status_code == 403


def test_only_administrators_see_the_rollups_in_the_admin(world):
    client, _user = staff_client("desk_officer")
    assert client.get(reverse("admin:reports_rollup_changelist")).status_code == 403
    response = client.post(reverse("admin:reports_periodfreeze_add"), {"period_key": Q1.key})
    assert response.status_code == 403
    assert not PeriodFreeze.objects.exists()
