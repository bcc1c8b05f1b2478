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
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from org.calendar_source import working_calendar
from org.models import Membership, Role, Unit
from org.selectors import unit_lineage_ids
from org.workdays import WorkingCalendar

from .models import Dossier, local_date
from .queues import due_soon_cutoff, queue_filter

# Long enough to outlive the day it guards, short enough to expire on its own.
SENT_MARKER_SECONDS = 2 * 24 * 3600
# At most this many dossiers are listed per part of the e-mail; the counts are always complete.
LISTED_MAX = 50


@dataclass(frozen=True)
class WatchDigest:
    unit: Unit
    now: dt.datetime
    # Overdue dossiers are judged against ``due_at`` at ``now``; "newly" since this moment.
    since: dt.datetime
    # The end of "due soon" (dossiers.queues.due_soon_cutoff): two working days on.
    due_soon_until: dt.datetime
    due_soon: list[Dossier]
    due_soon_count: int
    newly_overdue: list[Dossier]
    newly_overdue_count: int
    still_overdue_count: int
    # Due by the next working day and no apology issued: suggest issuing one.
    apology_suggested: list[Dossier]
    apology_suggested_count: int

    @property
    def is_empty(self) -> bool:
        return not (
            self.due_soon_count
            or self.newly_overdue_count
            or self.still_overdue_count
            or self.apology_suggested_count
        )


def previous_run_at(now: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """The same wall-clock time on the working day before ``now``'s local date."""
    calendar = calendar or working_calendar()
    local_now = now.astimezone(calendar.tz)
    day = local_now.date() - dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, local_now.time(), tzinfo=calendar.tz)


def watched_dossiers(unit: Unit) -> QuerySet[Dossier]:
    """Dossiers received or now handled by ``unit``, a unit below it, or a unit it succeeded
    (a dossier an ended commune never handed over is its successor's to watch)."""
    units = list(unit_lineage_ids(unit))
    return Dossier.objects.filter(Q(receiving_unit__in=units) | Q(handling_unit__in=units))


def watch_digest(
    *,
    unit: Unit,
    now: dt.datetime,
    since: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
) -> WatchDigest:
    """What the leader of ``unit`` should look at this morning (see the module docstring)."""
    calendar = calendar or working_calendar()
    since = since or previous_run_at(now, calendar)
    dossiers = watched_dossiers(unit)
    overdue = queue_filter("overdue", now, calendar)
    due_soon = dossiers.filter(queue_filter("due_soon", now, calendar))
    newly = dossiers.filter(overdue, due_at__gte=since)
    apology = due_soon.filter(due_at__lte=calendar.add_working_days(now, 1), apology__isnull=True)
    return WatchDigest(
        unit=unit,
        now=now,
        since=since,
        due_soon_until=due_soon_cutoff(now, calendar),
        due_soon=_listed(due_soon),
        due_soon_count=due_soon.count(),
        newly_overdue=_listed(newly),
        newly_overdue_count=newly.count(),
        still_overdue_count=dossiers.filter(overdue, due_at__lt=since).count(),
        apology_suggested=_listed(apology),
        apology_suggested_count=apology.count(),
    )


def _listed(qs: QuerySet[Dossier]) -> list[Dossier]:
    return list(
        qs.select_related("procedure_version", "handling_unit").order_by("due_at", "id")[
            :LISTED_MAX
        ]
    )


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


def watch_recipients() -> dict[Unit, list[str]]:
    """Each unit with an active leader who has an e-mail address, and those addresses."""
    memberships = (
        Membership.objects.filter(role=Role.UNIT_LEADER, is_active=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("unit", "user")
        .order_by("unit_id", "user_id")
    )
    recipients: dict[Unit, list[str]] = defaultdict(list)
    for membership in memberships:
        if membership.user.email not in recipients[membership.unit]:
            recipients[membership.unit].append(membership.user.email)
    return dict(recipients)


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
