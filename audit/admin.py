from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import AuditEntry
from .services import audit_record, snapshot


class AuditedAdminMixin:
    """Record every add, change and delete made through this admin in the audit trail.

    The admin wraps each of these in a transaction, so the entry and the change land together.
    ``audit_unit`` names the instance's unit for the trail's filter (``None``: none).
    """

    def audit_unit(self, obj: models.Model):
        return None

    def save_model(self, request: HttpRequest, obj: models.Model, form, change: bool) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="update" if change else "create",
            instance=obj,
            before=before,
            after=snapshot(obj),
            unit=self.audit_unit(obj),
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    def _audit_delete(self, request: HttpRequest, obj: models.Model) -> None:
        audit_record(
            actor=request.user,
            action="delete",
            instance=obj,
            before=snapshot(obj),
            unit=self.audit_unit(obj),
        )


class ReadOnlyAdminMixin:
    """Recorded or derived rows: readable here, never added, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Search the trail; nobody adds, changes or deletes entries here."""

    list_display = ["at", "actor_name", "action", "content_type", "object_repr", "unit"]
    list_filter = ["action", "content_type", "at"]
    search_fields = ["object_repr", "object_id", "actor_name", "unit__name"]
    date_hierarchy = "at"
    list_select_related = ["content_type", "unit"]
    readonly_fields = [field.name for field in AuditEntry._meta.fields]
