"""The counters as one SQL aggregate (DESIGN §3): real dossiers written through the services
and checked against hand-computed figures, then proven equal to the pure classification on
random dossiers and periods."""

import datetime as dt
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers.imports import dossiers_import
from dossiers.models import Dossier, DossierStatus, SupplementRequest
from dossiers.services import (
    dossier_finish,
    dossier_refuse,
    dossier_return,
    dossier_stop,
    dossier_withdraw,
    supplement_complete,
    supplement_request,
)
from reports.aggregate import counters_query, counters_total
from reports.classification import DossierFacts, dossier_counters
from reports.counters import COUNTERS, counters_add, zero_counters
from reports.periods import PeriodKind, Scheme, period_make
from tests.factories import VN, UnitFactory, local, published_procedure, received_dossier
from tests.steps import apology_issued, refused_at_intake, supplement_requested

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat

Q1 = period_make(kind="quarter", year=2021, index=1)
Q2 = period_make(kind="quarter", year=2021, index=2)
CUTOFF_Q1 = period_make(kind="quarter", year=2021, index=1, scheme="cutoff")
CUTOFF_Q2 = period_make(kind="quarter", year=2021, index=2, scheme="cutoff")


def received(at: str, **overrides) -> Dossier:
    """A dossier of the 3-working-day procedure received at the local time ``at``."""
    return received_dossier(received_at=local(at), **overrides)


def only(*names: str) -> dict[str, int]:
    return {name: int(name in names) for name in COUNTERS}


def total(dossiers, period) -> dict[str, int]:
    pks = [dossier.pk for dossier in dossiers]
    counters = counters_total(Dossier.objects.filter(pk__in=pks), period)
    assert counters["received_total"] == (
        counters["resolved"] + counters["in_progress"] + counters["withdrawn"]
    )
    return counters


NEW_DIRECT = ("received_direct", "received_in_period", "received_total")
CARRIED = ("carried_over", "received_total")


# Derived dates --------------------------------------------------------------------------------


def test_it_stores_the_local_due_and_finished_dates():
    # Tue 2 Mar 09:00 + 3 working days of 8 office hours = Fri 5 Mar 09:00.
    dossier = received("2021-03-02 09:00")
    assert (dossier.due_date, dossier.finished_date) == (D("2021-03-05"), None)
    # 00:30 local on 4 March is 3 March in UTC: the stored date is the local one.
    dossier = dossier_finish(dossier=dossier, by=None, at=local("2021-03-04 00:30"))
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.due_date, fresh.finished_date) == (D("2021-03-05"), D("2021-03-04"))
    dossier_return(dossier=fresh, by=None, at=local("2021-03-06 09:00"))
    assert Dossier.objects.get(pk=dossier.pk).finished_date == D("2021-03-04")


def test_it_stores_the_withdrawal_date_and_nothing_for_a_refusal():
    withdrawn = dossier_withdraw(
        dossier=received("2021-03-02 09:00"), by=None, at=local("2021-03-03 10:00"), reason="x"
    )
    assert Dossier.objects.get(pk=withdrawn.pk).finished_date == D("2021-03-03")
    refused = refused_at_intake(
        UnitFactory(), published_procedure(code="1.000002"), local("2021-03-02 09:00")
    )
    assert Dossier.objects.get(pk=refused.pk).finished_date is None


def test_it_moves_the_due_date_after_a_supplement():
    dossier = received("2021-03-01 09:00")  # due Thu 4 Mar 09:00
    supplement_request(
        dossier=dossier, reason="x", missing_documents="", by=None, at=local("2021-03-03 10:00")
    )
    supplement_complete(dossier=dossier, by=None, at=local("2021-03-05 10:00"))
    # Two working days paused (16 office hours): Thu 4 Mar 09:00 → Mon 8 Mar 09:00.
    assert Dossier.objects.get(pk=dossier.pk).due_date == D("2021-03-08")


# Hand-computed scenarios, the same as the pure classification's ------------------------------


def test_it_counts_a_dossier_received_on_the_last_afternoon_in_progress_then_carried_over():
    dossier = received("2021-03-31 16:00")  # due Mon 5 Apr 16:00
    dossier_finish(dossier=dossier, by=None, at=local("2021-04-01 10:00"))
    assert total([dossier], Q1) == only(*NEW_DIRECT, "in_progress", "in_progress_within")
    assert total([dossier], Q2) == only(*CARRIED, "resolved", "resolved_early")


def test_it_puts_a_dossier_received_on_16_march_in_the_second_cutoff_quarter():
    dossier = received("2021-03-16 09:00", channel="online")  # due Fri 19 Mar 09:00
    new_online = ("received_online", "received_in_period", "received_total")
    assert total([dossier], CUTOFF_Q1) == only()
    assert total([dossier], CUTOFF_Q2) == only(*new_online, "in_progress", "in_progress_overdue")


def test_it_carries_over_a_dossier_finished_late_on_the_first_day():
    dossier = received("2020-12-21 09:00", digitised=True)  # due Thu 24 Dec 09:00
    dossier_finish(dossier=dossier, by=None, at=local("2021-01-01 08:00"))
    assert total([dossier], Q1) == only(*CARRIED, "digitised", "resolved", "resolved_late")


def test_it_leaves_out_a_dossier_finished_on_the_eve_of_the_period():
    dossier = received("2020-12-21 09:00")
    dossier_finish(dossier=dossier, by=None, at=local("2020-12-31 23:59"))
    assert total([dossier], Q1) == only()


@pytest.mark.parametrize(
    "finished, outcome",
    [
        ("2021-03-04 16:00", "resolved_early"),
        ("2021-03-05 17:00", "resolved_on_time"),  # due 09:00 that day: on time by date
        ("2021-03-08 08:00", "resolved_late"),
    ],
)
def test_it_judges_early_on_time_and_late_by_date(finished, outcome):
    dossier = received("2021-03-02 09:00")  # due Fri 5 Mar 09:00
    dossier_finish(dossier=dossier, by=None, at=local(finished))
    assert total([dossier], Q1) == only(*NEW_DIRECT, "resolved", outcome)


def test_it_judges_a_dossier_late_even_after_an_apology():
    dossier = received("2021-03-02 09:00")  # due Fri 5 Mar 09:00
    apology_issued(
        dossier, local("2021-03-03 09:00"), local("2021-03-12 16:00"), reason="Cần xác minh thêm"
    )
    dossier_finish(dossier=dossier, by=None, at=local("2021-03-09 10:00"))
    assert total([dossier], Q1) == only(*NEW_DIRECT, "resolved", "resolved_late")


def test_it_counts_a_returned_dossier_when_its_result_was_ready():
    dossier = received("2021-03-25 09:00")  # due Tue 30 Mar 09:00
    dossier_finish(dossier=dossier, by=None, at=local("2021-03-30 15:00"))
    dossier_return(dossier=dossier, by=None, at=local("2021-04-02 09:00"))
    assert total([dossier], Q1) == only(*NEW_DIRECT, "resolved", "resolved_on_time")
    assert total([dossier], Q2) == only()


def test_it_judges_pauses_straddling_the_period_end():
    # All received Mon 1 Mar 09:00, due Thu 4 Mar 09:00 until a pause is completed.
    before_due = received("2021-03-01 09:00")
    supplement_request(
        dossier=before_due, reason="x", missing_documents="", by=None, at=local("2021-03-03 10:00")
    )
    after_due = received("2021-03-01 09:00")
    supplement_request(
        dossier=after_due, reason="x", missing_documents="", by=None, at=local("2021-03-10 10:00")
    )
    completed_after_end = received("2021-03-01 09:00")
    supplement_requested(completed_after_end, local("2021-03-03 10:00"), reason="x")
    supplement_complete(dossier=completed_after_end, by=None, at=local("2021-04-02 09:00"))
    completed_in_period = received("2021-03-01 09:00")  # due moves to Mon 8 Mar
    supplement_requested(completed_in_period, local("2021-03-03 10:00"), reason="x")
    supplement_complete(dossier=completed_in_period, by=None, at=local("2021-03-05 10:00"))

    paused_within = ("in_progress", "in_progress_within", "paused")
    assert total([before_due], Q1) == only(*NEW_DIRECT, *paused_within)
    assert total([after_due], Q1) == only(
        *NEW_DIRECT, "in_progress", "in_progress_overdue", "paused"
    )
    assert total([completed_after_end], Q1) == only(*NEW_DIRECT, *paused_within)
    assert total([completed_in_period], Q1) == only(
        *NEW_DIRECT, "in_progress", "in_progress_overdue"
    )
    everything = [before_due, after_due, completed_after_end, completed_in_period]
    assert total(everything, Q1) == {
        **zero_counters(),
        "received_direct": 4,
        "received_in_period": 4,
        "received_total": 4,
        "in_progress": 4,
        "in_progress_within": 2,
        "in_progress_overdue": 2,
        "paused": 3,
    }


def test_it_counts_withdrawn_and_stopped_dossiers_when_they_ended():
    withdrawn = dossier_withdraw(
        dossier=received("2021-02-01 09:00"), by=None, at=local("2021-02-10 10:00"), reason="x"
    )
    stopped = dossier_stop(
        dossier=received("2021-02-01 09:00", digitised=True),
        by=None,
        at=local("2021-04-10 10:00"),
        reason="x",
    )
    assert total([withdrawn], Q1) == only(*NEW_DIRECT, "withdrawn")
    assert total([stopped], Q1) == only(
        *NEW_DIRECT, "digitised", "in_progress", "in_progress_overdue"
    )
    assert total([stopped], Q2) == only(*CARRIED, "digitised", "withdrawn")


def test_it_counts_a_refused_dossier_only_as_refused():
    refused = dossier_refuse(
        desk=UnitFactory(),
        procedure_version=published_procedure(),
        channel="online",
        applicant={"name": "Lê Văn C"},
        received_at=local("2021-02-01 09:00"),
        reason="Không thuộc thẩm quyền",
        by=None,
    )
    assert total([refused], Q1) == only("refused")
    assert total([refused], Q2) == only()


def test_it_gives_zeros_when_there_is_nothing_to_count():
    received("2021-04-02 09:00")  # Q2 only
    assert counters_total(Dossier.objects.none(), Q1) == zero_counters()
    assert counters_total(Dossier.objects.all(), Q1) == zero_counters()
    assert list(counters_query(Dossier.objects.all(), Q1)) == [zero_counters()]
    assert list(counters_query(Dossier.objects.all(), Q1, ("receiving_unit_id",))) == []


def test_it_gives_one_row_without_grouping(django_assert_num_queries):
    desk = UnitFactory()
    for _number in range(3):
        received("2021-03-02 09:00", desk=desk)
    with django_assert_num_queries(1):
        rows = list(counters_query(Dossier.objects.all(), Q1))
    assert rows == [
        {
            **zero_counters(),
            "received_direct": 3,
            "received_in_period": 3,
            "received_total": 3,
            "in_progress": 3,
            "in_progress_overdue": 3,
        }
    ]


def test_it_groups_by_unit_and_procedure_in_one_query(django_assert_num_queries):
    district, commune = UnitFactory(), UnitFactory()
    birth = published_procedure(code="1.000001")
    marriage = published_procedure(code="1.000002")
    for desk, version, finished in [
        (district, birth, "2021-03-04 10:00"),
        (district, birth, None),
        (district, marriage, "2021-03-10 10:00"),
        (commune, birth, "2021-03-05 10:00"),
    ]:
        dossier = received("2021-03-02 09:00", desk=desk, procedure_version=version)
        if finished:
            dossier_finish(dossier=dossier, by=None, at=local(finished))
    received("2021-04-02 09:00", desk=commune, procedure_version=marriage)  # Q2 only

    with django_assert_num_queries(1):
        rows = list(
            counters_query(
                Dossier.objects.all(), Q1, ("receiving_unit_id", "procedure_version__procedure_id")
            )
        )
    by_key = {
        (row["receiving_unit_id"], row["procedure_version__procedure_id"]): row for row in rows
    }
    assert set(by_key) == {
        (district.pk, birth.procedure_id),
        (district.pk, marriage.procedure_id),
        (commune.pk, birth.procedure_id),
    }
    district_birth = by_key[(district.pk, birth.procedure_id)]
    assert {name: district_birth[name] for name in COUNTERS} == {
        **zero_counters(),
        "received_direct": 2,
        "received_in_period": 2,
        "received_total": 2,
        "resolved": 1,
        "resolved_early": 1,
        "in_progress": 1,
        "in_progress_overdue": 1,
    }
    assert by_key[(district.pk, marriage.procedure_id)]["resolved_late"] == 1
    assert by_key[(commune.pk, birth.procedure_id)]["resolved_on_time"] == 1


def test_it_counts_a_period_not_over_yet_up_to_today():
    dossier = received("2021-04-05 09:00")  # due Thu 8 Apr 09:00
    assert total([dossier], Q2.as_of(D("2021-04-08"))) == only(
        *NEW_DIRECT, "in_progress", "in_progress_within"
    )
    assert total([dossier], Q2.as_of(D("2021-04-09"))) == only(
        *NEW_DIRECT, "in_progress", "in_progress_overdue"
    )


def test_it_counts_imported_dossiers_whose_dates_were_written_in_bulk():
    """The import bypasses Dossier.save() (raw INSERT on SQLite, COPY on PostgreSQL)."""
    desk = UnitFactory(code="001.99.H99")
    published_procedure(code="1.000001")
    rows = [
        # Resolved early and returned; due Fri 19 Feb 16:30 (Tết 10–16 Feb skipped).
        {"code": "001.99.H99-210209-0001", "received_at": "2021-02-09T16:30",
         "finished_at": "2021-02-18T10:00", "returned_at": "2021-02-19T09:00",
         "outcome": "resolved", "digitised": "1"},
        # Withdrawn the next morning, by post.
        {"code": "001.99.H99-210302-0001", "received_at": "2021-03-02T10:00", "channel": "postal",
         "finished_at": "2021-03-03T09:00", "outcome": "withdrawn"},
        # Refused at intake.
        {"code": "001.99.H99-210302-0002", "received_at": "2021-03-02T11:00",
         "outcome": "refused"},
        # Still paused at the end; requested before the due date (Thu 4 Mar 07:30).
        {"code": "001.99.H99-210301-0001", "received_at": "2021-03-01T07:30",
         "supplement_requested_at": "2021-03-01T15:00"},
        # Finished 00:30 local on 27 March (26 March in UTC), due 26 March: late.
        {"code": "001.99.H99-210325-0001", "received_at": "2021-03-25T09:00",
         "due_at": "2021-03-26T17:00", "finished_at": "2021-03-27T00:30", "outcome": "resolved"},
    ]  # fmt: skip
    base = {"procedure_code": "1.000001", "unit_code": desk.code, "channel": "direct",
            "applicant_name": "Nguyễn Văn An"}  # fmt: skip
    result = dossiers_import(
        rows=[(number, {**base, **r}) for number, r in enumerate(rows, start=2)]
    )
    assert result.errors.lines() == []
    dates = dict(Dossier.objects.values_list("code", "due_date").order_by())
    assert dates == {
        "001.99.H99-210209-0001": D("2021-02-19"),
        "001.99.H99-210302-0001": D("2021-03-05"),
        "001.99.H99-210302-0002": D("2021-03-02"),
        "001.99.H99-210301-0001": D("2021-03-04"),
        "001.99.H99-210325-0001": D("2021-03-26"),
    }
    finished = dict(Dossier.objects.values_list("code", "finished_date").order_by())
    assert finished == {
        "001.99.H99-210209-0001": D("2021-02-18"),
        "001.99.H99-210302-0001": D("2021-03-03"),
        "001.99.H99-210302-0002": None,
        "001.99.H99-210301-0001": None,
        "001.99.H99-210325-0001": D("2021-03-27"),
    }
    assert counters_total(Dossier.objects.all(), Q1) == {
        **zero_counters(),
        "received_direct": 3,
        "received_postal": 1,
        "received_in_period": 4,
        "received_total": 4,
        "resolved": 2,
        "resolved_early": 1,
        "resolved_late": 1,
        "in_progress": 1,
        "in_progress_within": 1,
        "paused": 1,
        "withdrawn": 1,
        "refused": 1,
        "digitised": 1,
    }


# SQL == pure, on random dossiers and periods ----------------------------------------------------

DAY = dt.timedelta(days=1)
ENDED = {
    DossierStatus.FINISHED,
    DossierStatus.RETURNED,
    DossierStatus.WITHDRAWN,
    DossierStatus.STOPPED,
}
OPEN = {DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.SUPPLEMENT_REQUESTED}
# Local times of day (minutes) around the boundaries that matter: local midnight (17:00 UTC of
# the day before), UTC midnight (07:00 local), the end of office hours.
TIMES = st.one_of(
    st.sampled_from([0, 1, 7 * 60 - 1, 7 * 60, 17 * 60, 24 * 60 - 1]),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)


@st.composite
def periods(draw):
    kind = draw(st.sampled_from(list(PeriodKind)))
    highest = {"month": 12, "quarter": 4, "half": 2, "year": 1, "ytd": 4}[kind]
    period = period_make(
        kind=kind,
        scheme=draw(st.sampled_from(list(Scheme))),
        year=draw(st.sampled_from([2020, 2021])),
        index=draw(st.integers(min_value=1, max_value=highest)),
    )
    if draw(st.booleans()):
        days = (period.end - period.start).days
        period = period.as_of(period.start + dt.timedelta(days=draw(st.integers(0, days))))
    return period


@st.composite
def moments(draw, period, *near: dt.date) -> dt.datetime:
    """A local moment, often one that matters: the period's bounds to the microsecond, a time
    on a day either side of them or on one of ``near`` (e.g. the due date, for a pause
    requested on it), or any day around the period."""
    boundaries = [period.start_at, period.end_at]
    exact = st.sampled_from(
        [*boundaries, *(moment - dt.timedelta(microseconds=1) for moment in boundaries)]
    )
    days = st.one_of(
        st.sampled_from([period.start - DAY, period.start, period.end, period.end + DAY, *near]),
        st.integers(min_value=-60, max_value=(period.end - period.start).days + 60).map(
            lambda offset: period.start + dt.timedelta(days=offset)
        ),
    )
    if draw(st.integers(min_value=0, max_value=3)) == 0:
        return draw(exact)
    minutes = draw(TIMES)
    return dt.datetime.combine(draw(days), dt.time(minutes // 60, minutes % 60), tzinfo=VN)


@st.composite
def dossier_specs(draw, period) -> dict:
    status = draw(st.sampled_from(list(DossierStatus)))
    received_at = draw(moments(period))
    due_at = max(received_at, draw(moments(period, received_at.date())))
    spec = {
        "channel": draw(st.sampled_from(["direct", "online", "postal"])),
        "status": status,
        "received_at": received_at,
        "due_at": received_at if status == DossierStatus.REFUSED else due_at,
        "finished_at": None,
        "returned_at": None,
        "digitised": draw(st.booleans()),
        "pauses": (),
    }
    if status == DossierStatus.REFUSED:
        return spec
    if status in ENDED:
        spec["finished_at"] = max(received_at, draw(moments(period, due_at.date())))
    if status == DossierStatus.RETURNED:
        # Usually after the result was ready; sometimes (imported history) before it.
        spec["returned_at"] = max(received_at, draw(moments(period, due_at.date())))
    pauses, earliest = [], received_at
    for number in range(draw(st.integers(min_value=0, max_value=2))):
        requested = max(earliest, draw(moments(period, due_at.date())))
        completed = None
        still_open = number == 1 or draw(st.booleans())
        if not (still_open and status in OPEN and draw(st.booleans())):
            completed = max(requested, draw(moments(period)))
        pauses.append((requested, completed))
        if completed is None:
            break
        earliest = completed
    spec["pauses"] = tuple(pauses)
    return spec


@pytest.fixture
def desks_and_version():
    return (UnitFactory(), UnitFactory()), published_procedure(valid_from=dt.date(2019, 1, 1))


_codes = itertools.count()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), period=periods())
def test_the_sql_aggregate_agrees_with_the_pure_classification(desks_and_version, data, period):
    desks, version = desks_and_version
    specs = data.draw(st.lists(dossier_specs(period), max_size=12), label="dossiers")
    with transaction.atomic():
        expected = zero_counters()
        expected_by_desk = {desk.pk: zero_counters() for desk in desks}
        for number, spec in enumerate(specs):
            desk = desks[number % 2]
            fields = {name: value for name, value in spec.items() if name != "pauses"}
            dossier = Dossier(
                code=f"H-{next(_codes)}",
                procedure_version=version,
                receiving_unit=desk,
                handling_unit=desk,
                applicant_name="Nguyễn Văn A",
                original_due_at=spec["due_at"],
                **fields,
            )
            dossier.save()
            SupplementRequest.objects.bulk_create(
                SupplementRequest(dossier=dossier, requested_at=start, completed_at=end, reason="x")
                for start, end in spec["pauses"]
            )
            one = dossier_counters(DossierFacts(**spec), period)
            expected = counters_add(expected, one)
            expected_by_desk[desk.pk] = counters_add(expected_by_desk[desk.pk], one)

        assert counters_total(Dossier.objects.all(), period) == expected
        assert expected["received_total"] == (
            expected["resolved"] + expected["in_progress"] + expected["withdrawn"]
        )
        assert expected["received_total"] == (
            expected["received_in_period"] + expected["carried_over"]
        )
        rows = list(counters_query(Dossier.objects.all(), period, ("receiving_unit_id",)))
        counted_desks = {pk for pk, counters in expected_by_desk.items() if any(counters.values())}
        assert counted_desks <= {row["receiving_unit_id"] for row in rows}
        for row in rows:
            assert {name: row[name] for name in COUNTERS} == expected_by_desk[
                row["receiving_unit_id"]
            ]
        transaction.set_rollback(True)
