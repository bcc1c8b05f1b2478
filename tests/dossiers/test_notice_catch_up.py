"""Applicant e-mails of steps taken while the job queue (Redis) is down are not lost: the step's
notice is written with the step, stays owed when its task cannot be queued, and the catch-up
job (beat) sends it once, exactly once, within three days."""

import datetime as dt
import importlib
import logging
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from dossiers import notifications
from dossiers.models import ApplicantNotice
from dossiers.services import dossier_finish
from dossiers.tasks import applicant_notices_catch_up
from tests.conftest import skip_unless_available
from tests.factories import VN, UnitFactory, received_dossier
from tests.reliability.conftest import CLOSED_BROKER_URL, celery_broker

pytestmark = pytest.mark.django_db

APPLICANT = {"name": "Trần Thị Bình", "phone": "0912345678", "email": "binh@example.vn"}
NO_EMAIL = {"name": "Lê Văn C", "phone": "0900000000"}

HOOK_CALLS: list[tuple[str, str]] = []


def recording_notifier(dossier, event_kind, message):
    HOOK_CALLS.append((dossier.code, event_kind))


@pytest.fixture(autouse=True)
def _english_mails(settings):
    settings.LANGUAGE_CODE = "en"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DOSSIER_NOTIFIERS = []
    HOOK_CALLS.clear()


@pytest.fixture
def outage(django_capture_on_commit_callbacks):
    """Steps taken with the broker closed (connection refused, as with a stopped Redis), their
    after-commit work run as in production."""

    def take(step, *args, **kwargs):
        with celery_broker(CLOSED_BROKER_URL), django_capture_on_commit_callbacks(execute=True):
            return step(*args, **kwargs)

    return take


def receive(**overrides):
    return received_dossier(desk=UnitFactory(code="H30"), **{"applicant": APPLICANT, **overrides})


def after(notice: ApplicantNotice, **delta) -> str:
    """The catch-up's ``now`` (ISO 8601, as beat would pass it) ``delta`` after the notice."""
    return (notice.created_at + dt.timedelta(**delta)).isoformat()


def test_a_step_taken_during_an_outage_is_mailed_once_by_the_catch_up(outage, caplog):
    with caplog.at_level(logging.WARNING, logger="dossiers.notifications"):
        dossier = outage(receive)
    assert "Could not queue the applicant notification" in caplog.text
    assert mail.outbox == []
    notice = ApplicantNotice.objects.get(dossier=dossier)
    assert (notice.kind, notice.sent_at, notice.attempts) == ("received", None, 0)

    # Too fresh: its own task may still be on its way.
    assert applicant_notices_catch_up(now=after(notice, seconds=30)) == 0
    assert applicant_notices_catch_up(now=after(notice, minutes=5)) == 1
    [message] = mail.outbox
    assert message.to == ["binh@example.vn"]
    assert message.subject == "Dossier H30-210302-0001 has been received"
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert notice.attempts == 1

    # The next runs, and a late delivery of the original task, send nothing more.
    assert applicant_notices_catch_up(now=after(notice, minutes=10)) == 0
    assert notifications.applicant_notice_send(notice_id=notice.pk) == 0
    assert len(mail.outbox) == 1


def test_each_step_of_the_outage_gets_its_own_mail(outage):
    dossier = outage(receive)
    outage(dossier_finish, dossier=dossier, by=None, at=dt.datetime(2021, 3, 3, 15, tzinfo=VN))
    first = ApplicantNotice.objects.earliest("id")
    assert applicant_notices_catch_up(now=after(first, minutes=5)) == 2
    assert [m.subject for m in mail.outbox] == [
        "Dossier H30-210302-0001 has been received",
        "Dossier H30-210302-0001: the result is ready",
    ]
    assert applicant_notices_catch_up(now=after(first, minutes=10)) == 0
    assert len(mail.outbox) == 2


def test_a_step_committed_without_its_after_commit_work_still_has_its_notice(
    django_capture_on_commit_callbacks,
):
    # The process died between the commit and the enqueue: the notice was committed with the
    # step all the same.
    with django_capture_on_commit_callbacks(execute=False):
        dossier = receive()
    notice = ApplicantNotice.objects.get(dossier=dossier)
    assert applicant_notices_catch_up(now=after(notice, minutes=2)) == 1
    assert len(mail.outbox) == 1


def test_a_step_rolled_back_leaves_no_notice():
    with pytest.raises(RuntimeError), transaction.atomic():
        receive()
        raise RuntimeError("the intake failed after its event")
    assert not ApplicantNotice.objects.exists()


def test_no_address_and_no_hook_no_notice(outage):
    outage(receive, applicant=NO_EMAIL)
    assert not ApplicantNotice.objects.exists()


def test_no_address_but_a_hook_the_catch_up_calls_it_once(outage, settings):
    settings.DOSSIER_NOTIFIERS = ["tests.dossiers.test_notice_catch_up.recording_notifier"]
    outage(receive, applicant=NO_EMAIL)
    notice = ApplicantNotice.objects.get()
    assert applicant_notices_catch_up(now=after(notice, minutes=5)) == 0  # no e-mail
    assert applicant_notices_catch_up(now=after(notice, minutes=10)) == 0
    assert HOOK_CALLS == [("H30-210302-0001", "received")]
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert mail.outbox == []


def test_a_notice_owed_too_long_is_given_up_with_a_log_line(outage, caplog):
    dossier = outage(receive)
    notice = ApplicantNotice.objects.get(dossier=dossier)
    with caplog.at_level(logging.WARNING, logger="dossiers.notifications"):
        assert applicant_notices_catch_up(now=after(notice, days=3, seconds=1)) == 0
    assert f"Applicant notice {notice.pk} (dossier {dossier.pk}, received) given up" in caplog.text
    notice.refresh_from_db()
    assert notice.sent_at is None
    assert notice.given_up_at is not None
    assert mail.outbox == []
    # Given up once: the next run neither sends it nor logs it again.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="dossiers.notifications"):
        assert applicant_notices_catch_up(now=after(notice, days=3, minutes=5)) == 0
    assert "given up" not in caplog.text


def test_a_notice_just_inside_the_limit_is_still_sent(outage):
    notice = ApplicantNotice.objects.get(dossier=outage(receive))
    assert applicant_notices_catch_up(now=after(notice, days=3, seconds=-1)) == 1


def test_a_mail_server_down_ends_the_run_and_the_next_run_sends_all(outage, monkeypatch):
    for code in ("H31", "H32", "H33"):
        outage(received_dossier, desk=UnitFactory(code=code), applicant=APPLICANT)
    first = ApplicantNotice.objects.earliest("id")
    real_send_mail = notifications.send_mail
    calls = []

    def server_down(*args, **kwargs):
        calls.append(1)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(notifications, "send_mail", server_down)
    assert applicant_notices_catch_up(now=after(first, minutes=5)) == 0
    assert len(calls) == 1  # one try, not one timeout per notice
    first.refresh_from_db()
    assert first.attempts == 1
    assert first.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"

    monkeypatch.setattr(notifications, "send_mail", real_send_mail)
    assert applicant_notices_catch_up(now=after(first, minutes=10)) == 3
    assert sorted(m.subject[8:23] for m in mail.outbox) == [
        "H31-210302-0001",
        "H32-210302-0001",
        "H33-210302-0001",
    ]
    assert not ApplicantNotice.objects.filter(sent_at__isnull=True).exists()


def test_an_address_refused_for_good_is_given_up_at_once(outage, monkeypatch):
    notice = ApplicantNotice.objects.get(dossier=outage(receive))

    def refused(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"binh@example.vn": (550, b"No such user")})

    monkeypatch.setattr(notifications, "send_mail", refused)
    assert applicant_notices_catch_up(now=after(notice, minutes=5)) == 0
    notice.refresh_from_db()
    assert notice.given_up_at is not None
    assert notice.attempts == 1
    assert "No such user" in notice.last_error
    monkeypatch.undo()
    assert applicant_notices_catch_up(now=after(notice, minutes=10)) == 0
    assert mail.outbox == []


def test_a_notice_must_name_a_dossier():
    # The reference is made by hand (a plain foreign key, or triggers when partitioned).
    skip_unless_available(connection.vendor == "postgresql", "needs PostgreSQL")
    dossier = receive()
    event = dossier.events.get()
    ApplicantNotice.objects.filter(event=event).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicantNotice.objects.create(dossier_id=10**9, event=event, kind="received")
        connection.check_constraints()


@pytest.mark.parametrize("how", ["converted", "migrated"])
def test_on_a_partitioned_database_a_notice_must_name_a_dossier(how):
    """The conversion turns the notices' foreign key into triggers; on a database already
    partitioned, the migration makes the same triggers itself."""
    skip_unless_available(connection.vendor == "postgresql", "needs PostgreSQL")
    dossier = receive()
    event = dossier.events.get()
    call_command("dossiers_partition", "--apply", stdout=StringIO())
    if how == "migrated":
        migration = importlib.import_module("dossiers.migrations.0010_applicant_notices")
        with connection.cursor() as cursor:
            for table in ("dossiers_applicantnotice", "dossiers_dossier"):
                cursor.execute(f'DROP TRIGGER "{migration.CONSTRAINT}" ON {table}')
        with connection.schema_editor(atomic=False) as editor:
            migration.reference_create(None, editor)

    with (
        pytest.raises(IntegrityError, match=r"dossiers_applicantnotice\.dossier_id = \d+: no such"),
        transaction.atomic(),
    ):
        ApplicantNotice.objects.filter(event=event).update(dossier_id=10**9)
        connection.check_constraints()
    # The other half: the dossiers may not lose a dossier a notice names.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = %s "
            "AND tgrelid = 'dossiers_dossier'::regclass",
            ["dossiers_applicantnotice_dossier_id_fk"],
        )
        assert cursor.fetchone() == (1,)
