"""The overdue watch: each working morning, a unit leader gets one e-mail listing the dossiers of
their unit that are about to fall due, that fell overdue since the last run, and those due by the
next working day with no apology yet (Decree 61/2018 Art. 19 asks for the apology and the new
appointment at least one working day before the due date).

Scope: dossiers received or now handled by the unit or any unit below it, open and running (a
dossier paused for a supplement has its clock stopped, so it is never due soon nor overdue; the
same rule as the desk queues, ``dossiers.queues``).

"Newly overdue" means overdue now and due since the previous working day's run, at the same
wall-clock time: the job runs on working days only, so a dossier that fell due on Friday
afternoon is reported on Monday morning, once; afterwards it is only counted as still overdue.

A digest is sent when any of its four parts is non-zero, still-overdue included: a chronic
backlog is worth a daily reminder. Each unit gets at most one e-mail per local date, addressed to
all of its active leaders with an e-mail address (a re-run, a retry or a second beat the same
day sends nothing).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from org.calendar_source import working_calendar

from .models import Dossier, local_date
from .selectors import WatchDigest, watch_digest, watch_recipients

# Long enough to outlive the day it guards, short enough to expire on its own.
SENT_MARKER_SECONDS = 2 * 24 * 3600


def dossier_url(dossier: Dossier) -> str:
    """The dossier's page on the desk, absolute (settings.PORTAL_BASE_URL)."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return f"{base}{reverse('dossiers:detail', args=[dossier.code])}"


def watch_message(digest: WatchDigest) -> tuple[str, str]:
    """The digest e-mail (subject, body) in the portal's default language."""

    def rows(dossiers: list[Dossier]) -> list[dict]:
        return [{"dossier": dossier, "url": dossier_url(dossier)} for dossier in dossiers]

    base = settings.PORTAL_BASE_URL.rstrip("/")
    context = {
        "digest": digest,
        "unit_name": digest.unit.name,
        "day": local_date(digest.now),
        "due_soon": rows(digest.due_soon),
        "newly_overdue": rows(digest.newly_overdue),
        "apology_suggested": rows(digest.apology_suggested),
        "overdue_queue_url": f"{base}{reverse('dossiers:queue')}?queue=overdue",
        "due_soon_queue_url": f"{base}{reverse('dossiers:queue')}?queue=due_soon",
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("dossiers/email/watch_digest.txt", context)
    subject, _, body = text.strip().partition("\n")
    return " ".join(subject.split()), body.strip() + "\n"


def overdue_watch_send(*, now: dt.datetime) -> int:
    """E-mail each led unit its digest, once per local date; the number of e-mails sent.

    Nothing is sent on a non-working day; the next working day's digest covers it.
    """
    calendar = working_calendar()
    day = local_date(now)
    if not calendar.is_working_day(day):
        return 0
    sent = 0
    for unit, emails in watch_recipients().items():
        digest = watch_digest(unit=unit, now=now, calendar=calendar)
        if digest.is_empty:
            continue
        marker = f"dossiers:watch:{unit.pk}:{day.isoformat()}"
        if not cache.add(marker, 1, timeout=SENT_MARKER_SECONDS):
            continue
        subject, body = watch_message(digest)
        try:
            sent += send_mail(subject, body, None, emails, fail_silently=False)
        except Exception:
            # Not sent: let the next run (or the task's retry) try again today.
            cache.delete(marker)
            raise
    return sent
