"""Keep the cached working calendar in step with the CalendarOverride table."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from org.calendar_source import working_calendar_invalidate
from org.models import CalendarOverride


@receiver(post_save, sender=CalendarOverride, dispatch_uid="org.calendar_override_saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="org.calendar_override_deleted")
def calendar_override_changed(sender: type[CalendarOverride], **kwargs: Any) -> None:
    working_calendar_invalidate()
