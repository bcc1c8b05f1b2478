"""Celery tasks of the dossiers app. Tasks only call services (here: notifications)."""

from __future__ import annotations

import smtplib

from celery import shared_task

from .notifications import applicant_notify_send


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
