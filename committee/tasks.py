"""Celery tasks of the committee app: they only call services."""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    max_retries=3,
    retry_backoff=60,
    retry_jitter=True,
)
def task_reminders_send(day: str | None = None) -> int:
    """Beat job (07:30 daily): e-mail the reminders of the committee's tasks due today.

    ``day`` (ISO date, optional) replays a given morning. Safe to run twice: a reminder
    already recorded for a task is never sent again.
    """
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    return services.task_reminders_send(today=today)
