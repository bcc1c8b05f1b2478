"""Messages to the applicant when their dossier is received, needs a supplement, is delayed
with an apology, or has its result ready.

How it runs: every service announces ``dossier_changed`` after its transaction commits, with the
``event_kind`` of the step. :func:`applicant_notify_enqueue` (connected in ``apps.ready``)
enqueues the Celery task :func:`dossiers.tasks.applicant_notify` for the kinds in
:data:`NOTIFIED_KINDS`; a broker outage is logged and swallowed, never breaking the intake that
triggered it. The task calls :func:`applicant_notify_send`, which renders
``templates/dossiers/email/<event_kind>.txt`` in the portal's language (first line: subject;
the rest: body), e-mails it when the applicant gave an address, then hands the same message to
every hook in ``settings.DOSSIER_NOTIFIERS``.

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
address. A hook that raises is logged and skipped; the others still run and the task is not
retried for it (a retry would e-mail the applicant twice), so a hook that needs retries should
enqueue its own task. A hook must not write to the dossier: messages follow its state, they do
not change it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string

from .models import Apology, Dossier, EventKind, SupplementRequest

logger = logging.getLogger(__name__)

NOTIFIED_KINDS = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.SUPPLEMENT_REQUESTED,
        EventKind.APOLOGY_ISSUED,
        EventKind.FINISHED,
    }
)

# How long a sent e-mail is remembered, so that a re-run of the task (a retry, a redelivery
# after a worker died) does not mail the applicant twice for the same step.
SENT_MARKER_SECONDS = 7 * 24 * 3600


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


def applicant_notify_send(*, dossier_id: int, event_kind: str) -> int:
    """E-mail the applicant about ``event_kind`` and call the hooks; the number of e-mails sent.

    SMTP errors propagate (the task retries them); a hook's error is logged and skipped.
    """
    if event_kind not in NOTIFIED_KINDS:
        return 0
    dossier = (
        Dossier.objects.select_related("procedure_version", "receiving_unit")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        return 0
    message = applicant_message(dossier=dossier, event_kind=event_kind)
    sent = 0
    if dossier.applicant_email:
        marker = _sent_marker(dossier=dossier, event_kind=event_kind)
        if cache.get(marker) is None:
            sent = send_mail(
                message.subject, message.body, None, [dossier.applicant_email], fail_silently=False
            )
            cache.set(marker, True, timeout=SENT_MARKER_SECONDS)
    for notify in notifiers():
        try:
            notify(dossier, event_kind, message)
        except Exception:
            logger.exception(
                "Notifier %r failed for dossier %s (%s)", notify, dossier.code, event_kind
            )
    return sent


def applicant_notify_enqueue(sender, *, dossier_id: int, event_kind: str = "", **kwargs) -> None:
    """Receiver of ``dossier_changed``: queue the applicant's message for the notified kinds."""
    if event_kind not in NOTIFIED_KINDS:
        return
    from .tasks import applicant_notify

    try:
        applicant_notify.delay(dossier_id, str(event_kind))
    except Exception:
        # The broker is down (kombu raises after ~0.7 s) or, with eager tasks, the mail failed:
        # the dossier is saved either way; the applicant still has the receipt and the lookup.
        logger.warning(
            "Could not queue the applicant notification for dossier %s (%s)",
            dossier_id,
            event_kind,
            exc_info=True,
        )


def _latest_supplement(dossier: Dossier) -> SupplementRequest | None:
    # The latest, even if the citizen completed it before the worker got to the message.
    return (
        SupplementRequest.objects.filter(dossier=dossier).order_by("-requested_at", "-id").first()
    )


def _sent_marker(*, dossier: Dossier, event_kind: str) -> str:
    # The step's own event: a second supplement request is a new message, a re-run is not.
    event_id = (
        dossier.events.filter(kind=event_kind).order_by("-id").values_list("id", flat=True).first()
    )
    return f"dossiers:applicant-mail:{dossier.pk}:{event_kind}:{event_id}"
