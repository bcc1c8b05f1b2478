"""Celery tasks of the organisation app. Tasks only call selectors and services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .selectors import working_calendar_summary


@shared_task
def calendar_summary(year: int) -> dict:
    """The year's working calendar as JSON: holidays, overrides and working-day count."""
    return working_calendar_summary(year=year)


@shared_task
def calendar_review_reminder() -> int:
    """Every December, ask administrators to check next year's calendar against the
    government's annual holiday notice: the ``holidays`` package may lag or anticipate it."""
    year = timezone.localdate().year + 1
    summary = working_calendar_summary(year=year)
    recipients = list(
        get_user_model()
        .objects.filter(memberships__role="administrator", memberships__is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    with override(settings.LANGUAGE_CODE):
        lines = [f"{day['date']}: {day['name']}" for day in summary["days_off"]]
        body = "\n".join(
            [
                _("Working days in %(year)s: %(count)s.")
                % {"year": year, "count": summary["working_days"]},
                _("Days off:"),
                *lines,
                _("Please compare with the government's notice and add any override."),
            ]
        )
        subject = _("Check the working calendar of %(year)s") % {"year": year}
    send_mail(subject, body, None, recipients)
    return len(recipients)
