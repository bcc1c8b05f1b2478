"""The overdue watch (dossiers/watch.py) and its daily e-mail (dossiers.tasks.overdue_watch_daily):
what a unit leader is told at a given moment, across a weekend, and that each unit gets one
e-mail a day at most.

Dossiers are received through the service, then given the due date each case needs: the office
works 07:00–11:30 and 13:30–17:00, Monday to Friday; March 2021 has no holiday."""

import pytest
from django.core import mail

from dossiers.models import Dossier
from dossiers.selectors import previous_run_at, watch_digest
from dossiers.services import dossier_finish
from dossiers.tasks import overdue_watch_daily
from org.models import Role, UnitLevel
from tests.factories import (
    MembershipFactory,
    UnitFactory,
    UserFactory,
    local,
    published_procedure,
    received_dossier,
)
from tests.steps import apology_issued, supplement_requested

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _procedure():
    # Received at district and commune desks alike (competence at intake).
    published_procedure(code="1.000001", levels=("district", "commune"))


@pytest.fixture
def district():
    return UnitFactory(code="000.00.12.H30", name="UBND huyện Krông Pa", level=UnitLevel.DISTRICT)


@pytest.fixture
def commune(district):
    return UnitFactory(code="000.12.30.H30", name="UBND xã Ia Mlah", parent=district)


@pytest.fixture
def elsewhere():
    return UnitFactory(code="000.00.13.H30", name="UBND huyện Ia Pa", level=UnitLevel.DISTRICT)


def due(desk, due_at: str) -> Dossier:
    """An open dossier received at ``desk`` on Mon 2021-03-01 08:00, due at ``due_at``."""
    dossier = received_dossier(desk=desk, received_at=local("2021-03-01 08:00"))
    Dossier.objects.filter(pk=dossier.pk).update(due_at=local(due_at))
    dossier.refresh_from_db()
    return dossier


def codes(dossiers) -> list[str]:
    return [dossier.code for dossier in dossiers]


def leader(unit, email: str):
    user = UserFactory(username=email.split("@")[0], email=email)
    return MembershipFactory(user=user, unit=unit, role=Role.UNIT_LEADER)


# The digest ---------------------------------------------------------------------------------


def test_it_sees_monday_morning_as_due_soon_on_friday_afternoon(district):
    monday = due(district, "2021-03-08 08:00")
    tuesday = due(district, "2021-03-09 14:00")
    wednesday = due(district, "2021-03-10 09:00")

    digest = watch_digest(unit=district, now=local("2021-03-05 15:00"))

    # Two working days from Fri 15:00 is Tue 15:00: the weekend does not count.
    assert digest.due_soon_until == local("2021-03-09 15:00")
    assert codes(digest.due_soon) == [monday.code, tuesday.code]
    assert digest.due_soon_count == 2
    assert wednesday.code not in codes(digest.due_soon)
    # One working day from Fri 15:00 is Mon 15:00: only Monday's dossier needs an apology now.
    assert codes(digest.apology_suggested) == [monday.code]
    assert digest.newly_overdue == [] and digest.still_overdue_count == 0
    assert not digest.is_empty


def test_it_covers_the_subtree_and_only_it(district, commune, elsewhere):
    own = due(district, "2021-03-08 08:00")
    below = due(commune, "2021-03-08 09:00")
    due(elsewhere, "2021-03-08 08:00")

    assert codes(watch_digest(unit=district, now=local("2021-03-05 15:00")).due_soon) == [
        own.code,
        below.code,
    ]
    assert codes(watch_digest(unit=commune, now=local("2021-03-05 15:00")).due_soon) == [below.code]


def test_it_follows_a_dossier_handed_to_the_unit(district, elsewhere):
    from dossiers.services import dossier_transfer

    dossier = due(elsewhere, "2021-03-08 08:00")
    dossier_transfer(dossier=dossier, to_unit=district, by=None, at=local("2021-03-01 09:00"))

    digest = watch_digest(unit=district, now=local("2021-03-05 15:00"))

    assert codes(digest.due_soon) == [dossier.code]


def test_newly_overdue_is_since_the_previous_working_morning(district):
    friday = due(district, "2021-03-05 16:00")
    thursday = due(district, "2021-03-04 16:00")

    monday = watch_digest(unit=district, now=local("2021-03-08 07:00"))
    tuesday = watch_digest(unit=district, now=local("2021-03-09 07:00"))

    # Monday's run looks back to Friday 07:00, across the weekend.
    assert monday.since == local("2021-03-05 07:00")
    assert codes(monday.newly_overdue) == [friday.code]
    assert monday.still_overdue_count == 1  # Thursday's
    assert tuesday.newly_overdue == []
    assert tuesday.still_overdue_count == 2
    assert thursday.code not in codes(monday.newly_overdue)


@pytest.mark.parametrize(
    "now, previous",
    [
        ("2021-03-09 07:00", "2021-03-08 07:00"),  # Tuesday: Monday
        ("2021-03-08 07:00", "2021-03-05 07:00"),  # Monday: Friday
        ("2021-02-17 07:00", "2021-02-09 07:00"),  # after Tết (10–16 Feb 2021): the 9th
    ],
)
def test_it_looks_back_to_the_previous_working_day(now, previous):
    assert previous_run_at(local(now)) == local(previous)


def test_paused_and_finished_dossiers_are_left_out(district):
    paused = due(district, "2021-03-08 08:00")
    supplement_requested(
        paused, local("2021-03-02 09:00"), reason="Thiếu giấy tờ", missing="Bản sao CCCD"
    )
    paused_overdue = due(district, "2021-03-05 08:00")
    supplement_requested(
        paused_overdue, local("2021-03-02 10:00"), reason="Thiếu giấy tờ", missing="Bản sao CCCD"
    )
    finished = due(district, "2021-03-05 09:00")
    dossier_finish(dossier=finished, by=None, at=local("2021-03-08 08:00"))

    digest = watch_digest(unit=district, now=local("2021-03-08 10:00"))

    assert digest.is_empty


def test_no_apology_is_suggested_once_one_was_issued(district):
    apologised = due(district, "2021-03-08 08:00")
    apology_issued(
        apologised, local("2021-03-04 10:00"), local("2021-03-12 08:00"), reason="Chờ xác minh"
    )
    not_yet = due(district, "2021-03-08 09:00")

    digest = watch_digest(unit=district, now=local("2021-03-05 15:00"))

    assert codes(digest.apology_suggested) == [not_yet.code]
    # Still due soon: statistics and the watch judge against due_at, not the new appointment.
    assert codes(digest.due_soon) == [apologised.code, not_yet.code]


# The daily e-mail ---------------------------------------------------------------------------


def test_it_mails_each_leader_the_codes_of_their_unit(settings, district, elsewhere):
    settings.PORTAL_BASE_URL = "https://motcua.example.vn/"
    leader(district, "lanhdao.krongpa@example.vn")
    leader(elsewhere, "lanhdao.iapa@example.vn")
    soon = due(district, "2021-03-08 08:00")
    overdue = due(district, "2021-03-05 16:00")
    other = due(elsewhere, "2021-03-09 10:00")

    sent = overdue_watch_daily.delay(now="2021-03-08T07:00:00+07:00").get()

    assert sent == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 2
    krong_pa = by_recipient["lanhdao.krongpa@example.vn"]
    assert "UBND huyện Krông Pa" in krong_pa.subject
    assert "08/03/2021" in krong_pa.subject
    assert f"https://motcua.example.vn/ho-so/{soon.code}/" in krong_pa.body
    assert f"https://motcua.example.vn/ho-so/{overdue.code}/" in krong_pa.body
    assert other.code not in krong_pa.body
    ia_pa = by_recipient["lanhdao.iapa@example.vn"]
    assert f"https://motcua.example.vn/ho-so/{other.code}/" in ia_pa.body
    assert soon.code not in ia_pa.body


def test_it_writes_the_digest_in_the_portal_language(settings, district):
    settings.LANGUAGE_CODE = "en"
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"
    leader(district, "lanhdao@example.vn")
    soon = due(district, "2021-03-08 08:00")
    overdue = due(district, "2021-03-05 16:00")
    due(district, "2021-03-01 16:00")

    overdue_watch_daily.delay(now="2021-03-08T07:00:00+07:00").get()

    (message,) = mail.outbox
    assert message.subject == "Dossier deadlines of UBND huyện Krông Pa on 08/03/2021"
    assert "Newly overdue: 1 dossier\n" in message.body
    assert (
        f"- {overdue.code} – Đăng ký khai sinh – UBND huyện Krông Pa – Due: 16:00 05/03/2021\n"
        f"  http://127.0.0.1:8000/ho-so/{overdue.code}/\n"
    ) in message.body
    assert "Still overdue from earlier days: 1 dossier\n" in message.body
    assert "Due by the next working day with no apology issued: 1 dossier\n" in message.body
    assert "Due within two working days: 1 dossier\n" in message.body
    assert (
        f"- {soon.code} – Đăng ký khai sinh – UBND huyện Krông Pa – Due: 08:00 08/03/2021\n"
    ) in message.body
    assert "Overdue: http://127.0.0.1:8000/ho-so/?queue=overdue\n" in message.body


def assert_nobody_mailed(now: str) -> None:
    assert overdue_watch_daily.delay(now=now).get() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    "due_at, now",
    [
        pytest.param("2021-03-20 08:00", "2021-03-08T07:00:00+07:00", id="nothing-to-watch"),
        pytest.param("2021-03-05 16:00", "2021-03-06T07:00:00+07:00", id="on-a-day-off"),
    ],
)
def test_it_mails_nobody_when_nothing_is_due_or_on_a_day_off(district, due_at, now):
    leader(district, "lanhdao@example.vn")
    due(district, due_at)

    assert_nobody_mailed(now)


def test_it_sends_nothing_to_a_leader_without_email_or_an_ended_membership(district, commune):
    MembershipFactory(
        user=UserFactory(username="noemail", email=""), unit=district, role=Role.UNIT_LEADER
    )
    ended = leader(commune, "cu@example.vn")
    ended.is_active = False
    ended.save()
    MembershipFactory(
        user=UserFactory(username="motcua", email="motcua@example.vn"),
        unit=district,
        role=Role.DESK_OFFICER,
    )
    due(district, "2021-03-08 08:00")
    due(commune, "2021-03-08 08:00")

    assert_nobody_mailed("2021-03-05T07:00:00+07:00")


def test_it_does_not_mail_a_unit_twice_the_same_day(district):
    leader(district, "lanhdao@example.vn")
    due(district, "2021-03-08 08:00")

    first = overdue_watch_daily.delay(now="2021-03-05T07:00:00+07:00").get()
    again = overdue_watch_daily.delay(now="2021-03-05T15:00:00+07:00").get()
    next_day = overdue_watch_daily.delay(now="2021-03-08T07:00:00+07:00").get()

    assert (first, again, next_day) == (1, 0, 1)
    assert len(mail.outbox) == 2


def test_a_unit_with_two_leaders_gets_one_mail_to_both(district):
    leader(district, "chutich@example.vn")
    leader(district, "phochutich@example.vn")
    due(district, "2021-03-08 08:00")

    overdue_watch_daily.delay(now="2021-03-05T07:00:00+07:00").get()

    (message,) = mail.outbox
    assert sorted(message.to) == ["chutich@example.vn", "phochutich@example.vn"]
