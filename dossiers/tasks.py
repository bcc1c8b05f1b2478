"""Celery tasks of the dossiers app. Tasks only call services (notifications, overdue watch)."""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task
from django.utils import timezone

from .notifications import applicant_notify_send
from .partitioning import partition_years_ensure
from .watch import overdue_watch_send


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    max_retries=3,
    retry_backoff=30,  # 30 s, 60 s, 120 s (with jitter): a mail server restart, not an outage
    retry_backoff_max=600,
    retry_jitter=True,
)
def applicant_notify(dossier_id: int, event_kind: str) -> int:
    """Tell the applicant about a step of their dossier (e-mail + the configured hooks).

    Safe to run twice: an e-mail already sent for the same step is not sent again.
    """
    return applicant_notify_send(dossier_id=dossier_id, event_kind=event_kind)


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
