"""The 06a classification of one dossier in one period (DESIGN §3), hand-computed cases."""

import datetime as dt

import pytest

from reports.classification import DossierFacts, dossier_counters
from reports.counters import COUNTERS
from reports.periods import period_make
from tests.factories import local

Q1 = period_make(kind="quarter", year=2021, index=1)  # 1 Jan – 31 Mar 2021
Q2 = period_make(kind="quarter", year=2021, index=2)  # 1 Apr – 30 Jun 2021
CUTOFF_Q1 = period_make(kind="quarter", year=2021, index=1, scheme="cutoff")  # 15 Dec – 14 Mar
CUTOFF_Q2 = period_make(kind="quarter", year=2021, index=2, scheme="cutoff")  # 15 Mar – 14 Jun


def facts(
    *,
    received: str,
    due: str,
    status: str = "received",
    finished: str | None = None,
    returned: str | None = None,
    channel: str = "direct",
    digitised: bool = False,
    pauses: tuple = (),
) -> DossierFacts:
    return DossierFacts(
        channel=channel,
        status=status,
        received_at=local(received),
        due_at=local(due),
        finished_at=local(finished) if finished else None,
        returned_at=local(returned) if returned else None,
        digitised=digitised,
        pauses=tuple(
            (local(requested), local(completed) if completed else None)
            for requested, completed in pauses
        ),
    )


def only(*names: str) -> dict[str, int]:
    """Every counter 0 except ``names`` (1 each)."""
    return {name: int(name in names) for name in COUNTERS}


def counted(dossier: DossierFacts, period) -> dict[str, int]:
    counters = dossier_counters(dossier, period)
    assert set(counters) == set(COUNTERS)
    assert counters["received_total"] == (
        counters["resolved"] + counters["in_progress"] + counters["withdrawn"]
    )
    return counters


NEW_DIRECT = ("received_direct", "received_in_period", "received_total")
CARRIED = ("carried_over", "received_total")


# Quarter boundaries -------------------------------------------------------------------------------


def test_it_counts_a_dossier_received_on_the_last_afternoon_in_progress_then_carried_over():
    dossier = facts(
        received="2021-03-31 16:00", due="2021-04-05 16:00", status="finished",
        finished="2021-04-01 10:00",
    )  # fmt: skip
    assert counted(dossier, Q1) == only(*NEW_DIRECT, "in_progress", "in_progress_within")
    assert counted(dossier, Q2) == only(*CARRIED, "resolved", "resolved_early")


def test_it_compares_local_dates_not_utc_ones():
    # 00:30 on 1 April in Hà Nội is still 31 March in UTC: the dossier is a Q2 one.
    dossier = facts(received="2021-04-01 00:30", due="2021-04-06 16:00")
    assert counted(dossier, Q1) == only()
    assert counted(dossier, Q2) == only(*NEW_DIRECT, "in_progress", "in_progress_overdue")


def test_it_leaves_out_a_dossier_finished_on_the_eve_of_the_period():
    dossier = facts(
        received="2020-12-20 09:00", due="2020-12-25 16:00", status="finished",
        finished="2020-12-31 23:59",
    )  # fmt: skip
    assert counted(dossier, Q1) == only()


def test_it_carries_over_a_dossier_finished_on_the_first_day_of_the_period():
    dossier = facts(
        received="2020-12-20 09:00", due="2020-12-25 16:00", status="finished",
        finished="2021-01-01 08:00", digitised=True,
    )  # fmt: skip
    assert counted(dossier, Q1) == only(*CARRIED, "digitised", "resolved", "resolved_late")


def test_it_carries_over_a_dossier_open_for_several_periods():
    dossier = facts(received="2020-11-02 09:00", due="2020-11-20 16:00", channel="online")
    assert counted(dossier, Q1) == only(*CARRIED, "in_progress", "in_progress_overdue")
    assert counted(dossier, Q2) == only(*CARRIED, "in_progress", "in_progress_overdue")


def test_it_does_not_count_a_dossier_received_after_the_period():
    dossier = facts(received="2021-04-02 09:00", due="2021-04-07 16:00")
    assert counted(dossier, Q1) == only()


# Schemes ------------------------------------------------------------------------------------------


def test_it_puts_a_dossier_received_on_16_march_in_the_second_cutoff_quarter():
    dossier = facts(received="2021-03-16 09:00", due="2021-03-19 16:00", channel="online")
    new_online = ("received_online", "received_in_period", "received_total")
    assert counted(dossier, CUTOFF_Q1) == only()
    assert counted(dossier, CUTOFF_Q2) == only(*new_online, "in_progress", "in_progress_overdue")
    assert counted(dossier, Q1) == only(*new_online, "in_progress", "in_progress_overdue")


def test_it_carries_over_into_the_cutoff_quarter_that_starts_on_15_march():
    dossier = facts(
        received="2021-03-14 09:00", due="2021-03-17 16:00", status="finished",
        finished="2021-03-15 10:00", channel="postal",
    )  # fmt: skip
    new_postal = ("received_postal", "received_in_period", "received_total")
    assert counted(dossier, CUTOFF_Q1) == only(*new_postal, "in_progress", "in_progress_within")
    assert counted(dossier, CUTOFF_Q2) == only(*CARRIED, "resolved", "resolved_early")


# Early / on time / late by date -----------------------------------------------------------------


@pytest.mark.parametrize(
    "finished, outcome",
    [
        ("2021-03-09 23:00", "resolved_early"),
        ("2021-03-10 01:00", "resolved_on_time"),  # before the due hour, same date
        ("2021-03-10 17:00", "resolved_on_time"),  # after the due hour, same date
        ("2021-03-11 07:30", "resolved_late"),
    ],
)
def test_it_judges_early_on_time_and_late_by_date(finished, outcome):
    dossier = facts(
        received="2021-03-05 09:00", due="2021-03-10 08:00", status="finished", finished=finished
    )
    assert counted(dossier, Q1) == only(*NEW_DIRECT, "resolved", outcome)


@pytest.mark.parametrize(
    "received, due, finished, returned, outcome",
    [
        # The apology promised 15 March; statistics judge the legal due date (10 March).
        pytest.param(
            "2021-03-05 09:00", "2021-03-10 16:00", "2021-03-12 10:00", "2021-03-15 09:00",
            "resolved_late", id="late-even-after-an-apology",
        ),
        # A returned dossier counts as finished when the result was ready.
        pytest.param(
            "2021-03-25 09:00", "2021-03-30 16:00", "2021-03-30 15:00", "2021-04-02 09:00",
            "resolved_on_time", id="finished-when-the-result-was-ready",
        ),
        # Returned before the recorded "ready" time cannot happen through the services
        # (returned ≥ finished), but imported history may say so: the dossier ended when it
        # was returned, the earlier of the two.
        pytest.param(
            "2021-03-25 09:00", "2021-03-31 16:00", "2021-04-02 10:00", "2021-03-30 09:00",
            "resolved_early", id="the-earlier-of-ready-and-returned",
        ),
    ],
)  # fmt: skip
def test_it_judges_a_returned_dossier_by_when_it_ended(received, due, finished, returned, outcome):
    dossier = facts(
        received=received, due=due, status="returned", finished=finished, returned=returned
    )
    assert counted(dossier, Q1) == only(*NEW_DIRECT, "resolved", outcome)
    assert counted(dossier, Q2) == only()


# In progress at the end -------------------------------------------------------------------------


def test_it_counts_an_open_dossier_due_on_the_last_day_within():
    dossier = facts(received="2021-03-25 09:00", due="2021-03-31 08:00")
    assert counted(dossier, Q1) == only(*NEW_DIRECT, "in_progress", "in_progress_within")


def test_it_counts_an_open_dossier_due_the_day_before_the_end_overdue():
    dossier = facts(received="2021-03-25 09:00", due="2021-03-30 16:00")
    assert counted(dossier, Q1) == only(*NEW_DIRECT, "in_progress", "in_progress_overdue")


@pytest.mark.parametrize(
    "requested, completed, expected",
    [
        # Paused before the due date and still waiting at the end: within.
        ("2021-03-18 10:00", None, ("in_progress_within", "paused")),
        # Paused on the due date itself: within.
        ("2021-03-20 15:00", None, ("in_progress_within", "paused")),
        # Paused after the due date had passed: overdue although paused.
        ("2021-03-25 10:00", None, ("in_progress_overdue", "paused")),
        # Completed after the end: still paused at the end.
        ("2021-03-18 10:00", "2021-04-02 09:00", ("in_progress_within", "paused")),
        # Completed on the last day: not paused at the end, due date passed.
        ("2021-03-18 10:00", "2021-03-31 16:00", ("in_progress_overdue",)),
        # Requested after the end: not paused at the end.
        ("2021-04-01 08:00", None, ("in_progress_overdue",)),
    ],
)
def test_it_judges_a_pause_straddling_the_period_end(requested, completed, expected):
    dossier = facts(
        received="2021-03-01 09:00",
        due="2021-03-20 16:00",
        status="supplement_requested" if completed is None else "processing",
        pauses=(("2021-03-05 09:00", "2021-03-06 09:00"), (requested, completed)),
    )
    assert counted(dossier, Q1) == only(*NEW_DIRECT, "in_progress", *expected)


def test_it_counts_a_period_not_over_yet_up_to_today():
    dossier = facts(received="2021-04-05 09:00", due="2021-05-12 16:00")
    assert counted(dossier, Q2.as_of(dt.date(2021, 5, 12))) == only(
        *NEW_DIRECT, "in_progress", "in_progress_within"
    )
    assert counted(dossier, Q2.as_of(dt.date(2021, 5, 13))) == only(
        *NEW_DIRECT, "in_progress", "in_progress_overdue"
    )


# Side exits -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["withdrawn", "stopped"])
def test_it_counts_withdrawn_and_stopped_dossiers_when_they_ended(status):
    dossier = facts(
        received="2021-02-01 09:00", due="2021-02-05 16:00", status=status,
        finished="2021-04-10 10:00", digitised=True,
    )  # fmt: skip
    assert counted(dossier, Q1) == only(
        *NEW_DIRECT, "digitised", "in_progress", "in_progress_overdue"
    )
    assert counted(dossier, Q2) == only(*CARRIED, "digitised", "withdrawn")
    assert counted(dossier, period_make(kind="quarter", year=2021, index=3)) == only()


def test_it_counts_a_refused_dossier_only_as_refused():
    dossier = facts(
        received="2021-02-01 09:00", due="2021-02-01 09:00", status="refused", digitised=True
    )
    assert counted(dossier, Q1) == only("refused")
    assert counted(dossier, Q2) == only()
    assert counted(dossier, period_make(kind="year", year=2021)) == only("refused")


def test_it_counts_digitised_dossiers_among_the_received_total():
    dossier = facts(
        received="2021-01-04 09:00", due="2021-01-07 16:00", status="finished",
        finished="2021-01-06 10:00", digitised=True,
    )  # fmt: skip
    assert counted(dossier, Q1) == only(*NEW_DIRECT, "digitised", "resolved", "resolved_early")
    assert counted(dossier, Q2) == only()


def test_it_counts_month_and_year_periods_the_same_way():
    dossier = facts(
        received="2021-01-30 09:00", due="2021-02-03 16:00", status="finished",
        finished="2021-02-04 10:00",
    )  # fmt: skip
    january = period_make(kind="month", year=2021, index=1)
    february = period_make(kind="month", year=2021, index=2)
    year = period_make(kind="year", year=2021)
    assert counted(dossier, january) == only(*NEW_DIRECT, "in_progress", "in_progress_within")
    assert counted(dossier, february) == only(*CARRIED, "resolved", "resolved_late")
    assert counted(dossier, year) == only(*NEW_DIRECT, "resolved", "resolved_late")
