"""The desk's work queues and search (dossiers/queues.py, their reads in dossiers/selectors.py):
which dossier sits in which queue at a given moment, "due soon" counted in working days across
a weekend and Tết, and the counts."""

import datetime as dt

import pytest

from dossiers import services
from dossiers.models import Dossier
from dossiers.queues import QUEUES, due_soon_cutoff, due_state, queue_filter
from dossiers.selectors import dossier_search, queue_counts, queue_dossiers
from org.calendar_source import working_calendar
from tests.factories import UnitFactory, local, published_procedure, received_dossier
from tests.steps import refused_at_intake, supplement_requested

pytestmark = pytest.mark.django_db


def codes_in(name: str, now: dt.datetime) -> list[str]:
    return list(
        queue_dossiers(Dossier.objects.all(), name, now, working_calendar()).values_list(
            "code", flat=True
        )
    )


@pytest.fixture
def desk():
    return UnitFactory(code="000.12.34.H30", name="UBND xã Lạc Đạo")


@pytest.fixture
def statuses(desk):
    """One dossier in each state, all received at ``desk`` (3 working days each)."""
    other = UnitFactory(name="Phòng Tư pháp")
    received = received_dossier(desk=desk, received_at=local("2021-03-01 08:00"))
    processing = services.dossier_transfer(
        dossier=received_dossier(desk=desk, received_at=local("2021-03-01 09:00")),
        to_unit=other,
        by=None,
        at=local("2021-03-01 10:00"),
    )
    paused = supplement_requested(
        received_dossier(desk=desk, received_at=local("2021-03-01 10:00")),
        local("2021-03-01 11:00"),
        reason="Thiếu giấy tờ",
        missing="Bản sao CCCD",
    )
    finished = services.dossier_finish(
        dossier=received_dossier(desk=desk, received_at=local("2021-03-01 14:00")),
        by=None,
        at=local("2021-03-02 14:00"),
    )
    returned = services.dossier_return(
        dossier=services.dossier_finish(
            dossier=received_dossier(desk=desk, received_at=local("2021-03-01 15:00")),
            by=None,
            at=local("2021-03-02 15:00"),
        ),
        by=None,
        at=local("2021-03-02 16:00"),
    )
    withdrawn = services.dossier_withdraw(
        dossier=received_dossier(desk=desk, received_at=local("2021-03-01 16:00")),
        by=None,
        at=local("2021-03-02 08:00"),
        reason="Công dân rút",
    )
    refused = refused_at_intake(
        desk, received.procedure_version, local("2021-03-01 16:30"), reason="Không thuộc thẩm quyền"
    )
    return {
        "received": received.code,
        "processing": processing.code,
        "paused": paused.code,
        "finished": finished.code,
        "returned": returned.code,
        "withdrawn": withdrawn.code,
        "refused": refused.code,
    }


# Status queues ------------------------------------------------------------------------------


def test_it_puts_each_state_in_its_queue(statuses) -> None:
    now = local("2021-03-01 17:00")  # nothing is due yet
    assert codes_in("new", now) == [statuses["received"]]
    assert codes_in("processing", now) == [statuses["processing"]]
    assert codes_in("supplement", now) == [statuses["paused"]]
    assert codes_in("ready", now) == [statuses["finished"]]
    assert set(codes_in("all", now)) == set(statuses.values())


def test_it_finds_overdue_only_among_running_dossiers(statuses) -> None:
    # Received Mon 01/03 08:00–10:00 with 3 working days: due Thu 04/03 08:00–10:00. The paused
    # one's clock is stopped, finished/returned/withdrawn/refused ones are closed.
    now = local("2021-03-05 08:00")
    assert codes_in("overdue", now) == [statuses["received"], statuses["processing"]]
    assert codes_in("due_soon", now) == []


def test_it_orders_open_queues_by_due_date_and_others_by_receipt(desk) -> None:
    later = received_dossier(desk=desk, received_at=local("2021-03-03 09:00"))
    earlier = received_dossier(desk=desk, received_at=local("2021-03-02 09:00"))
    now = local("2021-03-02 10:00")
    assert codes_in("new", now) == [earlier.code, later.code]
    assert codes_in("all", now) == [later.code, earlier.code]


def test_it_rejects_an_unknown_queue() -> None:
    with pytest.raises(KeyError):
        queue_filter("archived", local("2021-03-01 08:00"), working_calendar())


# Due soon: two working days of office time ---------------------------------------------------


def test_due_soon_reaches_over_the_weekend(desk) -> None:
    now = local("2021-03-04 15:00")  # Thursday
    # 16 office hours on: Thu 2 h, Fri 8 h, Mon 7:00–11:30 and 13:30–15:00.
    assert due_soon_cutoff(now, working_calendar()) == local("2021-03-08 15:00")
    # Received Wed 03/03 14:00 → due Mon 08/03 14:00.
    monday = received_dossier(desk=desk, received_at=local("2021-03-03 14:00"))
    # Received Thu 04/03 09:00 → due Tue 09/03 09:00: beyond two working days.
    tuesday = received_dossier(desk=desk, received_at=local("2021-03-04 09:00"))
    # Received Mon 01/03 09:00 → due Thu 04/03 09:00: already overdue, not "due soon".
    late = received_dossier(desk=desk, received_at=local("2021-03-01 09:00"))
    assert monday.due_at == local("2021-03-08 14:00")
    assert tuesday.due_at == local("2021-03-09 09:00")

    assert codes_in("due_soon", now) == [monday.code]
    assert codes_in("overdue", now) == [late.code]


def test_due_soon_skips_tet(desk) -> None:
    now = local("2021-02-09 16:00")  # Tuesday before Tết (10–16 Feb 2021 off)
    # 16 office hours on: Tue 1 h, Wed 17/02 8 h, Thu 18/02 7:00–11:30 and 13:30–16:00.
    assert due_soon_cutoff(now, working_calendar()) == local("2021-02-18 16:00")
    # Received Mon 08/02 09:00 → due Thu 18/02 09:00: nine calendar days away, yet due soon.
    soon = received_dossier(desk=desk, received_at=local("2021-02-08 09:00"))
    # Received Tue 09/02 10:00 → due Fri 19/02 10:00.
    after = received_dossier(desk=desk, received_at=local("2021-02-09 10:00"))
    assert soon.due_at == local("2021-02-18 09:00")
    assert after.due_at == local("2021-02-19 10:00")

    assert codes_in("due_soon", now) == [soon.code]
    assert codes_in("overdue", now) == []


def test_a_paused_dossier_is_neither_due_soon_nor_overdue(desk) -> None:
    dossier = supplement_requested(
        received_dossier(desk=desk, received_at=local("2021-03-01 09:00")),
        local("2021-03-01 10:00"),
        reason="Thiếu giấy tờ",
    )
    for now in (local("2021-03-03 09:00"), local("2021-03-10 09:00")):
        assert codes_in("due_soon", now) == []
        assert codes_in("overdue", now) == []
        assert due_state(dossier, now, due_soon_cutoff(now)) == ""


def test_due_state_marks_rows(desk) -> None:
    dossier = received_dossier(desk=desk, received_at=local("2021-03-01 09:00"))  # due 04/03 09:00
    for now, expected in [
        (local("2021-03-01 10:00"), ""),
        (local("2021-03-02 10:00"), "due_soon"),
        (local("2021-03-04 09:00"), "due_soon"),
        (local("2021-03-04 09:01"), "overdue"),
    ]:
        assert due_state(dossier, now, due_soon_cutoff(now)) == expected, now


# Counts --------------------------------------------------------------------------------------


# What each queue holds of the ``statuses`` fixture on Fri 2021-03-05 08:00 (seven in all).
STATUSES_PER_QUEUE = {
    "new": 1,
    "processing": 1,
    "supplement": 1,
    "due_soon": 0,
    "overdue": 2,
    "ready": 1,
}


def test_it_counts_every_queue_in_one_query(statuses, django_assert_num_queries) -> None:
    now = local("2021-03-05 08:00")
    calendar = working_calendar()
    with django_assert_num_queries(1):
        counts = queue_counts(Dossier.objects.all(), now, calendar)
    assert counts == {**STATUSES_PER_QUEUE, "all": 7}
    assert set(counts) == {queue.name for queue in QUEUES}


def test_it_counts_each_queue_only_up_to_the_cap(statuses, django_assert_num_queries) -> None:
    now = local("2021-03-05 08:00")
    calendar = working_calendar()
    # Seven dossiers, cap 1: the first query finds more than one, the second counts each queue
    # up to two ("more than one").
    with django_assert_num_queries(2):
        counts = queue_counts(Dossier.objects.all(), now, calendar, cap=1)
    assert counts == {**STATUSES_PER_QUEUE, "all": 2}
    assert queue_counts(Dossier.objects.all(), now, calendar, cap=7)["all"] == 7
    assert queue_counts(Dossier.objects.all(), now, calendar, cap=6)["all"] == 7


# Search --------------------------------------------------------------------------------------


@pytest.fixture
def people(desk):
    version = published_procedure(code="1.000002", name="Chứng thực bản sao")
    an = received_dossier(
        desk=desk,
        procedure_version=version,
        applicant={"name": "Nguyễn Văn An", "phone": "0912345678", "id_number": "001099012345"},
        received_at=local("2021-03-01 09:00"),
    )
    binh = received_dossier(
        desk=desk,
        procedure_version=version,
        applicant={"name": "Trần Thị Bình", "phone": "0987654321"},
        received_at=local("2021-03-02 09:00"),
    )
    other_desk = received_dossier(
        desk=UnitFactory(code="000.99.99.H30"),
        procedure_version=version,
        applicant={"name": "Phạm Văn An", "phone": "0911111111"},
        received_at=local("2021-03-01 09:00"),
    )
    return an, binh, other_desk


def searched(q: str) -> set[str]:
    return set(dossier_search(Dossier.objects.all(), q).values_list("code", flat=True))


def test_it_searches_by_code(people) -> None:
    an, binh, _other = people
    assert an.code == "000.12.34.H30-210301-0001"
    assert searched("000.12.34.H30-210301-0001") == {an.code}
    assert searched("000.12.34.h30-2103") == {an.code, binh.code}
    assert searched("000.12.34.H30") == {an.code, binh.code}


def test_it_searches_by_applicant_name(people) -> None:
    an, binh, other = people
    assert searched("văn an") == {an.code, other.code}
    assert searched("Bình") == {binh.code}


def test_it_searches_by_phone_and_id_digits(people) -> None:
    an, binh, other = people
    assert searched("0912 345 678") == {an.code}
    assert searched("345678") == {an.code}
    assert searched("4321") == {binh.code}
    assert searched("001099012345") == {an.code}
    assert searched("1111") == {other.code}


def test_a_blank_search_keeps_everything_and_nonsense_finds_nothing(people) -> None:
    assert len(searched("  ")) == 3
    assert searched("không có ai") == set()


@pytest.mark.parametrize("queue", [queue.name for queue in QUEUES])
def test_it_lists_a_queue_page_in_queries_independent_of_its_rows(
    queue, desk, client, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from org.models import Membership
    from tests.factories import UserFactory

    officer = UserFactory()
    Membership.objects.create(user=officer, unit=desk, role="desk_officer")
    client.force_login(officer)
    other = UnitFactory(name="Phòng Tư pháp")
    second = published_procedure(code="1.000777")

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/ho-so/?queue={queue}")
        assert response.status_code == 200
        return len(captured)

    def add(count: int) -> None:
        for n in range(count):
            dossier = received_dossier(
                desk=desk,
                **({"procedure_version": second} if n % 2 else {}),
                received_at=local(f"2021-03-0{1 + n % 5} 09:00"),
            )
            if n % 3 == 1:
                services.dossier_transfer(
                    dossier=dossier, to_unit=other, by=None, at=local("2021-03-08 09:00")
                )
            elif n % 3 == 2:
                services.dossier_finish(dossier=dossier, by=None, at=local("2021-03-08 10:00"))

    add(3)
    few = page_queries()
    add(12)
    assert page_queries() == few
    with django_assert_max_num_queries(12):
        client.get(f"/ho-so/?queue={queue}&q=Trần")
