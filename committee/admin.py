"""The committee's records in the admin, read-mostly: pages and services are the way to write
(they validate deadlines, permissions and keep the audit trail); the admin edits are audited."""

from __future__ import annotations

from django.contrib import admin

from audit.admin import AuditedAdminMixin

from .models import Conclusion, Meeting, MeetingAttachment, ReminderSent, Task, TaskReport


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting would need every dependent row's audit entry; the bulk action has none.
        return False


class ConclusionInline(admin.TabularInline):
    model = Conclusion
    extra = 0
    fields = ("number", "text")


class MeetingAttachmentInline(admin.TabularInline):
    model = MeetingAttachment
    extra = 0
    fields = ("original_name", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ("held_on", "title", "kind", "unit", "notice_number", "notice_date")
    list_filter = ("kind",)
    search_fields = ("title", "notice_number", "chair")
    date_hierarchy = "held_on"
    raw_id_fields = ("unit", "created_by")
    inlines = (MeetingAttachmentInline,)


@admin.register(Conclusion)
class ConclusionAdmin(AuditedAdmin):
    list_display = ("meeting", "number", "text")
    search_fields = ("text", "meeting__title")
    raw_id_fields = ("meeting",)


class TaskReportInline(admin.TabularInline):
    model = TaskReport
    extra = 0
    fields = ("reported_on", "unit", "by", "percent", "text", "attachment_name")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Task)
class TaskAdmin(AuditedAdmin):
    list_display = ("title", "lead_unit", "deadline", "progress", "completed_on")
    list_filter = ("deadline",)
    search_fields = ("title", "lead_unit__name", "conclusion__meeting__title")
    raw_id_fields = ("conclusion", "lead_unit", "created_by")
    filter_horizontal = ("supporting_units",)
    readonly_fields = ("first_reported_on", "progress", "completed_on")
    inlines = (TaskReportInline,)


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ("task", "kind", "sent_on", "recipients")
    list_filter = ("kind", "sent_on")
    raw_id_fields = ("task",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
