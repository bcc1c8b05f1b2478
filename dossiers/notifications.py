"""Messages to the applicant when their dossier is received, needs a supplement, is delayed
with an apology, or has its result ready.

How it runs: every service announces ``dossier_changed`` inside the step's transaction, with the
``event_kind`` of the step. :func:`applicant_notify_enqueue` (connected in ``apps.ready``)
writes an :class:`~dossiers.models.ApplicantNotice` for the kinds in :data:`NOTIFIED_KINDS` in
that same transaction (a committed step always has its notice) and, once the step has
committed, enqueues the Celery task :func:`dossiers.tasks.applicant_notify`; a broker outage is
logged and swallowed, never breaking the intake that triggered it. The task calls
:func:`applicant_notice_send`, which renders ``templates/dossiers/email/<event_kind>.txt`` in
the portal's language (first line: subject; the rest: body), e-mails it when the applicant gave
an address, hands the same message to every hook in ``settings.DOSSIER_NOTIFIERS`` and marks the
notice sent. A notice sent is never sent again (a retry, a redelivery, the catch-up).

Notices the broker never took (Redis down when the step committed) or the mail server kept
refusing are sent by :func:`applicant_notices_catch_up`, a beat job: every notice still owed
after :data:`CATCH_UP_AFTER` is tried again until :data:`CATCH_UP_WITHIN`, then given up with a
log line (a message about a step days old would mislead more than help).

Writing a hook (SMS, Zalo OA, …) — a plain function, listed by dotted path::

    # sms_gateway/notifiers.py
    def notify(dossier, event_kind, message):
        '''dossier: dossiers.models.Dossier; event_kind: an EventKind value (str);
        message: dossiers.notifications.ApplicantMessage (subject, body, lookup_url).'''
        if dossier.applicant_phone:
            gateway_send(dossier.applicant_phone, f"{message.subject}. {message.lookup_url}")

    # settings / environment
    DOSSIER_NOTIFIERS=sms_gateway.notifiers.notify

Hooks run inside the Celery worker, after the e-mail, whether or not there was an e-mail
address, once per notice. A hook that raises is logged and skipped; the others still run and the
notice is not sent again for it (that would e-mail the applicant twice), so a hook that needs
retries should enqueue its own task. A hook must not write to the dossier: messages follow its
state, they do not change it.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from .models import Apology, ApplicantNotice, Dossier, Event, EventKind, SupplementRequest

logger = logging.getLogger(__name__)

NOTIFIED_KINDS = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.SUPPLEMENT_REQUESTED,
        EventKind.APOLOGY_ISSUED,
        EventKind.FINISHED,
    }
)

# The catch-up leaves a fresh notice to the task its step enqueued, and gives up on a notice
# still owed after a few days.
CATCH_UP_AFTER = dt.timedelta(minutes=1)
CATCH_UP_WITHIN = dt.timedelta(days=3)
# Notices tried per run of the catch-up (the next run, minutes later, goes on).
CATCH_UP_BATCH = 500
# Mail server errors that concern the server, not one message: the catch-up stops its run.
SERVER_DOWN_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError)


@dataclass(frozen=True)
class ApplicantMessage:
    subject: str
    body: str
    # The public lookup page for this dossier, absolute (settings.PORTAL_BASE_URL).
    lookup_url: str


Notifier = Callable[[Dossier, str, ApplicantMessage], object]


def lookup_url(dossier: Dossier) -> str:
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return f"{base}{reverse('lookup:search')}?{urlencode({'code': dossier.code})}"


def applicant_message(*, dossier: Dossier, event_kind: str) -> ApplicantMessage:
    """The message for ``event_kind``, in the portal's default language."""
    context = {
        "dossier": dossier,
        "procedure_name": dossier.procedure_version.name,
        "desk_name": dossier.receiving_unit.name,
        "appointment": dossier.rescheduled_due_at or dossier.due_at,
        "lookup_url": lookup_url(dossier),
        "supplement": _latest_supplement(dossier),
        "apology": Apology.objects.filter(dossier=dossier).first(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"dossiers/email/{event_kind}.txt", context)
    subject, _, body = text.strip().partition("\n")
    return ApplicantMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        lookup_url=context["lookup_url"],
    )


def notifiers() -> list[Notifier]:
    return [import_string(path) for path in settings.DOSSIER_NOTIFIERS]


def applicant_notice_record(
    *, dossier_id: int | None, event_kind: str, event_id: int | None = None
) -> ApplicantNotice | None:
    """The notice owed for the step just recorded (``event_id``, else the dossier's latest event
    of ``event_kind``), written in the caller's transaction; None when there is nothing to send
    (a kind not notified, no e-mail address and no hook). Recording it twice keeps one notice.
    """
    if event_kind not in NOTIFIED_KINDS or dossier_id is None:
        return None
    email = Dossier.objects.filter(pk=dossier_id).values_list("applicant_email", flat=True).first()
    if not email and not settings.DOSSIER_NOTIFIERS:
        return None
    if event_id is None:  # a message queued before the services passed the step's event
        event_id = (
            Event.objects.filter(dossier_id=dossier_id, kind=event_kind)
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
        )
        if event_id is None:
            return None
    notice, _created = ApplicantNotice.objects.get_or_create(
        event_id=event_id, defaults={"dossier_id": dossier_id, "kind": str(event_kind)}
    )
    return notice


def applicant_notice_send(*, notice_id: int) -> int:
    """Send the notice if it is still owed: e-mail the applicant, call the hooks, mark it sent;
    the number of e-mails sent (0 or 1).

    The notice is locked while it is sent and skipped by anyone else meanwhile (a redelivery,
    the catch-up), so one step is mailed once. A mail server error is kept on the notice
    (``attempts``, ``last_error``) and raised (the task retries it, the catch-up later);
    addresses the server refuses for good give the notice up instead. A hook's error is logged
    and skipped.
    """
    failure: Exception | None = None
    with transaction.atomic():
        notice = (
            ApplicantNotice.objects.select_for_update(skip_locked=True)
            .filter(pk=notice_id, sent_at__isnull=True, given_up_at__isnull=True)
            .first()
        )
        if notice is None:
            return 0
        dossier = Dossier.objects.select_related("procedure_version", "receiving_unit").get(
            pk=notice.dossier_id
        )
        message = applicant_message(dossier=dossier, event_kind=notice.kind)
        sent, failure = _notice_mail(notice, dossier, message)
        if failure is not None:
            _notice_failed(notice, dossier, failure)
        else:
            _notifiers_call(dossier, notice.kind, message)
            notice.sent_at = timezone.now()
            notice.save(update_fields=["attempts", "sent_at"])
    if failure is not None and notice.given_up_at is None:
        raise failure
    return sent


def _notice_mail(
    notice: ApplicantNotice, dossier: Dossier, message
) -> tuple[int, Exception | None]:
    """E-mail the applicant if there is an address: (e-mails sent, the mail server's error)."""
    if not dossier.applicant_email:
        return 0, None
    notice.attempts += 1
    try:
        sent = send_mail(
            message.subject, message.body, None, [dossier.applicant_email], fail_silently=False
        )
    except Exception as error:
        return 0, error
    return sent, None


def _notice_failed(notice: ApplicantNotice, dossier: Dossier, failure: Exception) -> None:
    """Keep the mail server's error on the notice; give it up if the address is refused."""
    notice.last_error = f"{type(failure).__name__}: {failure}"[:2000]
    if _refused_for_good(failure):
        notice.given_up_at = timezone.now()
        logger.warning(
            "Applicant notice %s (dossier %s, %s) given up: %s",
            notice.pk,
            dossier.code,
            notice.kind,
            notice.last_error,
        )
    notice.save(update_fields=["attempts", "last_error", "given_up_at"])


def _notifiers_call(dossier: Dossier, kind: str, message) -> None:
    """Call every hook; one's error is logged and skipped."""
    for notify in notifiers():
        try:
            # A savepoint each: a hook's database error does not undo the notice.
            with transaction.atomic():
                notify(dossier, kind, message)
        except Exception:
            logger.exception("Notifier %r failed for dossier %s (%s)", notify, dossier.code, kind)


def applicant_notices_catch_up(*, now: dt.datetime | None = None) -> int:
    """Send the notices still owed after :data:`CATCH_UP_AFTER` (their task was never queued,
    or ran out of retries), oldest first, at most :data:`CATCH_UP_BATCH`; give up those older
    than :data:`CATCH_UP_WITHIN` with a log line. The number of e-mails sent.

    A mail server that cannot be reached ends the run: the next one tries again.
    """
    now = now or timezone.now()
    owed = ApplicantNotice.objects.filter(sent_at__isnull=True, given_up_at__isnull=True)
    expired = list(
        owed.filter(created_at__lt=now - CATCH_UP_WITHIN).values_list(
            "pk", "dossier_id", "kind", "created_at", "attempts", "last_error"
        )
    )
    for pk, dossier_id, kind, created_at, attempts, last_error in expired:
        logger.warning(
            "Applicant notice %s (dossier %s, %s) given up: still unsent since %s after %s "
            "attempt(s)%s",
            pk,
            dossier_id,
            kind,
            created_at.isoformat(),
            attempts,
            f"; last error: {last_error}" if last_error else "",
        )
    owed.filter(pk__in=[row[0] for row in expired]).update(given_up_at=now)
    due = list(
        owed.filter(created_at__lt=now - CATCH_UP_AFTER, created_at__gte=now - CATCH_UP_WITHIN)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:CATCH_UP_BATCH]
    )
    sent = 0
    for notice_id in due:
        try:
            sent += applicant_notice_send(notice_id=notice_id)
        except SERVER_DOWN_ERRORS as error:
            logger.warning("Applicant notices catch-up stopped, the mail server fails: %s", error)
            break
        except Exception:
            # Kept on the notice; the others still go.
            logger.warning("Applicant notice %s not sent", notice_id, exc_info=True)
    return sent


def applicant_notify_enqueue(
    sender, *, dossier_id: int | None, event_kind: str = "", **kwargs
) -> None:
    """Receiver of ``dossier_changed``: record the applicant's notice for the notified kinds in
    the step's transaction, and queue its sending once the step has committed.

    ``on_commit(robust=True)``: the broker is reached only after the commit, and its failure is
    logged, never raised to the request; the catch-up sends the notice later.
    """
    notice = applicant_notice_record(
        dossier_id=dossier_id, event_kind=event_kind, event_id=kwargs.get("event_id")
    )
    if notice is None or notice.sent_at is not None:
        return
    transaction.on_commit(partial(_applicant_notify_delay, notice_id=notice.pk), robust=True)


def _applicant_notify_delay(*, notice_id: int) -> None:
    from .tasks import applicant_notify

    try:
        applicant_notify.delay(notice_id)
    except Exception:
        # The broker is down or, with eager tasks, the mail failed: the notice stays owed and
        # the catch-up sends it; the applicant still has the receipt and the lookup.
        logger.warning(
            "Could not queue the applicant notification %s; the catch-up will send it",
            notice_id,
            exc_info=True,
        )


def _latest_supplement(dossier: Dossier) -> SupplementRequest | None:
    # The latest, even if the citizen completed it before the worker got to the message.
    return (
        SupplementRequest.objects.filter(dossier=dossier).order_by("-requested_at", "-id").first()
    )


def _refused_for_good(error: Exception) -> bool:
    # Every recipient refused with a permanent (5xx) code: another try gets the same answer.
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return False
