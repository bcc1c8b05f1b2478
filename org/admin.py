from django.contrib import admin
from django.http import HttpRequest

from .models import CalendarOverride, Membership, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["level"]
    search_fields = ["code", "name", "statistical_code"]
    autocomplete_fields = ["parent", "successor"]
    list_select_related = ["parent", "successor"]
    list_per_page = 50


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "notice", "note", "created_by"]
    list_filter = ["kind"]
    search_fields = ["notice", "note"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form, change: bool) -> None:
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
