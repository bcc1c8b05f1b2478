"""Celery tasks of the dossiers app. Tasks only call services (notifications, overdue watch)."""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task
from django.utils import timezone

from . import notifications
from .partitioning import partition_years_ensure
from .watch import overdue_watch_send


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    max_retries=3,
    retry_backoff=30,  # 30 s, 60 s, 120 s (with jitter): a mail server restart, not an outage
    retry_backoff_max=600,
    retry_jitter=True,
)
def applicant_notify(notice_id: int, event_kind: str | None = None) -> int:
    """Tell the applicant about a step of their dossier (e-mail + the configured hooks).

    Safe to run twice: a notice already sent is not sent again. A message queued before the
    notices existed names ``(dossier_id, event_kind)``: its notice is recorded first.
    """
    if event_kind is not None:
        notice = notifications.applicant_notice_record(dossier_id=notice_id, event_kind=event_kind)
        if notice is None:
            return 0
        notice_id = notice.pk
    return notifications.applicant_notice_send(notice_id=notice_id)


@shared_task
def applicant_notices_catch_up(now: str | None = None) -> int:
    """Every few minutes (beat): send the applicant notices a broker or mail server outage left
    unsent, give up those too old; the number of e-mails sent. ``now`` (ISO 8601) for replays.
    """
    moment = dt.datetime.fromisoformat(now) if now else timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return notifications.applicant_notices_catch_up(now=moment)


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    max_retries=3,
    retry_backoff=60,
    retry_jitter=True,
)
def overdue_watch_daily(now: str | None = None) -> int:
    """Each working morning (beat, 07:00): e-mail every unit leader the unit's overdue watch.

    ``now`` (ISO 8601, optional) replays a missed morning. Safe to run twice: a unit already
    mailed that day is not mailed again.
    """
    moment = dt.datetime.fromisoformat(now) if now else timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # local time, as everywhere in the portal
    return overdue_watch_send(now=moment)


@shared_task
def dossier_partitions_ensure() -> list[int]:
    """Monthly (beat): on dossiers partitioned by year (docs/partitioning.md), this year's and
    next year's partitions exist; returns the years created.

    Does nothing on SQLite or on the plain table. Safe to run any number of times: next year's
    partition is there eleven months ahead, and the default partition catches the intakes of
    a year if every run failed until then.
    """
    return partition_years_ensure()
