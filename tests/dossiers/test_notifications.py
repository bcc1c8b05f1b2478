"""Applicant notifications: one e-mail per notified step after commit, the pluggable hooks,
re-runs that do not mail twice (the step's notice is marked sent), and a broker outage that does
not break intake (the notice stays owed for the catch-up, tests/dossiers/test_notice_catch_up)."""

import logging
import smtplib

import pytest
from django.core import mail
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from dossiers import notifications, services
from dossiers.models import ApplicantNotice, Dossier
from dossiers.tasks import applicant_notify
from org.models import Role
from tests.factories import (
    MembershipFactory,
    UnitFactory,
    local,
    published_procedure,
    received_dossier,
)
from tests.steps import apology_issued

pytestmark = pytest.mark.django_db

APPLICANT = {"name": "Trần Thị Bình", "phone": "0912345678", "email": "binh@example.vn"}

# What the test hook received: (dossier code, event kind, subject).
HOOK_CALLS: list[tuple[str, str, str]] = []


def recording_notifier(dossier, event_kind, message):
    HOOK_CALLS.append((dossier.code, event_kind, message.subject))


def failing_notifier(dossier, event_kind, message):
    raise RuntimeError("SMS gateway down")


@pytest.fixture(autouse=True)
def _english_mails(settings):
    """Mails are written in LANGUAGE_CODE; the assertions read the English source."""
    settings.LANGUAGE_CODE = "en"
    settings.PORTAL_BASE_URL = "https://dichvucong.example.gov.vn/"
    HOOK_CALLS.clear()


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    def receive(**overrides) -> Dossier:
        with django_capture_on_commit_callbacks(execute=True):
            return received_dossier(
                desk=UnitFactory(code="H30", name="UBND xã An Bình"),
                procedure_version=published_procedure(code="1.000001", name="Đăng ký khai sinh"),
                **{"applicant": APPLICANT, **overrides},
            )

    return receive


def test_receipt_is_mailed_to_the_applicant(receive):
    dossier = receive()
    [message] = mail.outbox
    assert message.to == ["binh@example.vn"]
    assert message.subject == "Dossier H30-210302-0001 has been received"
    assert "Dear Trần Thị Bình," in message.body
    assert "Đăng ký khai sinh" in message.body
    assert "Received on: 09:00 02/03/2021" in message.body
    assert "Appointment for the result: 09:00 05/03/2021" in message.body
    assert "https://dichvucong.example.gov.vn/tra-cuu/?code=H30-210302-0001" in message.body
    assert "UBND xã An Bình" in message.body
    assert dossier.code == "H30-210302-0001"


def test_no_address_no_mail(receive):
    receive(applicant={"name": "Lê Văn C", "phone": "0900000000"})
    assert mail.outbox == []


def test_nothing_is_mailed_before_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dossier = received_dossier(applicant=APPLICANT)
    assert mail.outbox == []
    # The notice is written with the step; only its sending waits for the commit.
    notice = ApplicantNotice.objects.get(dossier=dossier)
    assert (notice.kind, notice.sent_at, notice.event.kind) == ("received", None, "received")
    queued = [
        c for c in callbacks if getattr(c, "func", None) is notifications._applicant_notify_delay
    ]
    assert [c.keywords for c in queued] == [{"notice_id": notice.pk}]


def _supplement(
    dossier,
    reason="Thiếu giấy tờ tùy thân",
    missing="Bản sao CCCD\nGiấy chứng sinh",
    at="2021-03-03 10:00",
):
    return services.supplement_request(
        dossier=dossier, reason=reason, missing_documents=missing, by=None, at=local(at)
    )


def _apology(dossier):
    return apology_issued(
        dossier, local("2021-03-03 10:00"), local("2021-03-12 16:00"), reason="Cần xác minh thêm"
    )


def _finish(dossier):
    return services.dossier_finish(dossier=dossier, by=None, at=local("2021-03-04 15:30"))


@pytest.mark.parametrize(
    "step, subject, lines",
    [
        pytest.param(
            _supplement,
            "documents needed",
            ["Reason: Thiếu giấy tờ tùy thân", "Bản sao CCCD\nGiấy chứng sinh"],
            id="supplement-request-with-reason-and-documents",
        ),
        pytest.param(
            _apology,
            "new appointment",
            ["Reason: Cần xác minh thêm", "New appointment for the result: 16:00 12/03/2021"],
            id="apology-with-the-new-date",
        ),
        pytest.param(
            _finish,
            "the result is ready",
            ["Result ready on: 15:30 04/03/2021", "Please collect it at UBND xã An Bình"],
            id="ready-result",
        ),
    ],
)
def test_a_notified_step_is_mailed(
    receive, django_capture_on_commit_callbacks, step, subject, lines
):
    dossier = receive()
    with django_capture_on_commit_callbacks(execute=True):
        step(dossier)
    message = mail.outbox[-1]
    assert message.subject == f"Dossier H30-210302-0001: {subject}"
    for line in lines:
        assert line in message.body


def test_other_steps_are_not_mailed(receive, django_capture_on_commit_callbacks):
    dossier = receive()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.dossier_transfer(
            dossier=dossier, to_unit=UnitFactory(), by=None, at=local("2021-03-02 10:00")
        )
        dossier = _supplement(dossier, reason="Thiếu", missing="", at="2021-03-02 11:00")
        dossier = services.supplement_complete(
            dossier=dossier, by=None, at=local("2021-03-03 08:00")
        )
        dossier = services.dossier_finish(dossier=dossier, by=None, at=local("2021-03-03 09:00"))
        services.dossier_return(dossier=dossier, by=None, at=local("2021-03-03 10:00"))
    assert [m.subject.split(": ")[-1] for m in mail.outbox] == [
        "Dossier H30-210302-0001 has been received",
        "documents needed",
        "the result is ready",
    ]


def test_the_hooks_in_settings_are_called_for_each_notified_step(receive, settings):
    settings.DOSSIER_NOTIFIERS = [
        "tests.dossiers.test_notifications.failing_notifier",
        "tests.dossiers.test_notifications.recording_notifier",
    ]
    receive(applicant={"name": "Lê Văn C", "phone": "0900000000"})  # no e-mail: hooks still run
    assert HOOK_CALLS == [
        ("H30-210302-0001", "received", "Dossier H30-210302-0001 has been received")
    ]
    assert mail.outbox == []


def test_a_rerun_of_the_task_does_not_mail_twice(receive, settings):
    settings.DOSSIER_NOTIFIERS = ["tests.dossiers.test_notifications.recording_notifier"]
    dossier = receive()
    notice = ApplicantNotice.objects.get(dossier=dossier)
    assert notice.sent_at is not None
    assert applicant_notify.delay(notice.pk).get() == 0
    assert len(mail.outbox) == 1
    assert len(HOOK_CALLS) == 1  # a notice sent is not sent again, hooks included


def test_a_second_supplement_request_is_a_new_notice(receive, django_capture_on_commit_callbacks):
    dossier = receive()
    for day in (3, 5):
        with django_capture_on_commit_callbacks(execute=True):
            dossier = _supplement(dossier, reason="Thiếu", missing="", at=f"2021-03-0{day} 10:00")
        with django_capture_on_commit_callbacks(execute=True):
            dossier = services.supplement_complete(
                dossier=dossier, by=None, at=local(f"2021-03-0{day} 15:00")
            )
    assert [m.subject.split(": ")[-1] for m in mail.outbox] == [
        "Dossier H30-210302-0001 has been received",
        "documents needed",
        "documents needed",
    ]
    kinds = ApplicantNotice.objects.filter(dossier=dossier, sent_at__isnull=False)
    assert sorted(kinds.values_list("kind", flat=True)) == [
        "received",
        "supplement_requested",
        "supplement_requested",
    ]


def test_a_message_queued_before_the_notices_is_still_sent_once(settings):
    dossier = received_dossier(applicant=APPLICANT)  # its callbacks never run
    assert applicant_notify.delay(dossier.pk, "received").get() == 1
    assert applicant_notify.delay(dossier.pk, "received").get() == 0
    assert len(mail.outbox) == 1
    assert ApplicantNotice.objects.get(dossier=dossier).sent_at is not None


def smtp_failing(monkeypatch, times: int) -> list[int]:
    """Make the first ``times`` sends fail as a dropped SMTP connection; returns the attempts."""
    attempts = []
    real_send_mail = notifications.send_mail

    def send_mail(*args, **kwargs):
        attempts.append(1)
        if len(attempts) <= times:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send_mail(*args, **kwargs)

    monkeypatch.setattr(notifications, "send_mail", send_mail)
    return attempts


@pytest.fixture
def errors_kept_in_results():
    """Celery re-runs a retried eager task only when eager tasks do not propagate errors (a
    worker always keeps them in the result)."""
    from cchc_portal.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


def test_an_smtp_error_is_retried(monkeypatch, errors_kept_in_results):
    dossier = received_dossier(applicant=APPLICANT)
    notice = ApplicantNotice.objects.get(dossier=dossier)
    attempts = smtp_failing(monkeypatch, times=2)
    result = applicant_notify.apply(args=(notice.pk,))
    assert result.get() == 1
    assert len(attempts) == 3
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert notice.attempts == 3
    assert notice.sent_at is not None
    assert notice.last_error == "SMTPServerDisconnected: connection lost"


def test_it_gives_up_after_three_retries(monkeypatch, errors_kept_in_results):
    dossier = received_dossier(applicant=APPLICANT)
    notice = ApplicantNotice.objects.get(dossier=dossier)
    attempts = smtp_failing(monkeypatch, times=10)
    result = applicant_notify.apply(args=(notice.pk,))
    assert result.failed()
    assert len(attempts) == 4
    assert mail.outbox == []
    # Still owed: the catch-up tries again later.
    notice.refresh_from_db()
    assert (notice.attempts, notice.sent_at, notice.given_up_at) == (4, None, None)


def test_a_broker_outage_does_not_break_intake(receive, monkeypatch, caplog):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(applicant_notify, "delay", broker_down)
    with caplog.at_level(logging.WARNING, logger="dossiers.notifications"):
        dossier = receive()
    assert Dossier.objects.filter(pk=dossier.pk).exists()
    assert mail.outbox == []
    assert "Could not queue the applicant notification" in caplog.text
    assert ApplicantNotice.objects.get(dossier=dossier).sent_at is None  # owed


def test_a_broker_outage_does_not_break_intake_over_the_api(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(applicant_notify, "delay", broker_down)
    desk = MembershipFactory(role=Role.DESK_OFFICER, unit=UnitFactory(code="H35"))
    published_procedure(code="1.000001")
    client = APIClient()
    client.force_login(desk.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/dossiers/",
            {
                "procedure_code": "1.000001",
                "channel": "direct",
                "applicant": APPLICANT,
                "received_at": "2021-03-02T09:00:00+07:00",
                "backdate_reason": "Nhập lại hồ sơ năm 2021",
            },
            format="json",
        )
    assert response.status_code == 201
    notice = ApplicantNotice.objects.get(dossier__code="H35-210302-0001")
    assert (notice.kind, notice.sent_at) == ("received", None)


def test_the_change_signal_names_the_step(django_capture_on_commit_callbacks):
    from dossiers.signals import dossier_changed

    kinds = []

    def receiver(sender, event_kind, **kwargs):
        kinds.append(event_kind)

    dossier_changed.connect(receiver, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            dossier = received_dossier()
        with django_capture_on_commit_callbacks(execute=True):
            services.dossier_finish(dossier=dossier, by=None, at=local("2021-03-03 09:00"))
    finally:
        dossier_changed.disconnect(receiver)
    assert kinds == ["received", "finished"]
