"""The audit trail: who created, changed or deleted what, and when (before → after).

Rows are append-only: the model and its queryset refuse updates and deletes, and on PostgreSQL a
trigger refuses them too, so not even a bug in the application can rewrite history.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc_portal.fields import optional_reference, optional_user
from org.models import Unit


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a row of a history (audit entries, events)."""


# Kept for callers that name the audit trail's error.
AuditAppendOnlyError = AppendOnlyError


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: no update.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: no delete.")


class AppendOnlyModel(models.Model):
    """A history row: inserted once, never updated or deleted through the application."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only: no update.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only: no delete.")


class AuditEntry(AppendOnlyModel):
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    # PROTECT: staff accounts and units are deactivated, never deleted, while history points at
    # them; the name is kept as well so the entry reads the same in a restored partial copy.
    actor = optional_user(_("by"), on_delete=models.PROTECT)
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=30, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    unit = optional_reference(Unit, _("unit"), on_delete=models.PROTECT)
    # {field: [before, after]} for the fields that changed (all fields on create and delete).
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        at = timezone.localtime(self.at)  # the portal's time, as every page shows it
        return f"{at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
