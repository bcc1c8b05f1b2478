from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.admin import AuditedAdminMixin

from .models import CalendarOverride, Membership, Unit


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to", "successors_shown"]
    list_filter = ["level"]
    search_fields = ["code", "name", "statistical_code"]
    autocomplete_fields = ["parent", "successors"]
    list_select_related = ["parent"]
    list_per_page = 50

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("successors")

    @admin.display(description=_("successors"))
    def successors_shown(self, obj: Unit) -> str:
        return ", ".join(unit.name for unit in obj.successors.all()) or "—"

    def audit_unit(self, obj: Unit) -> Unit:
        return obj


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "unit", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]

    def audit_unit(self, obj: Membership) -> Unit:
        return obj.unit


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "notice", "note", "created_by"]
    list_filter = ["kind"]
    search_fields = ["notice", "note"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form, change: bool) -> None:
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# django-otp's own device admin shows keys and QR codes (and answers a missing device with a
# 500); here administrators only see who has two-step login and may remove a lost phone's
# device, so its owner can set it up again.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TwoFactorDeviceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
