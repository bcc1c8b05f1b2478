from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import router, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.admin import AuditedAdminMixin
from audit.services import audit_record, snapshot

from .models import CalendarOverride, Membership, Role, Unit
from .selectors import membership_of


def is_portal_administrator(user) -> bool:
    """Superusers, and staff users whose active membership has the administrator role."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    membership = membership_of(user)
    return bool(user.is_staff and membership and membership.role == Role.ADMINISTRATOR)


class AdministratorsOnlyMixin:
    """Only the portal's administrators see this admin: the role decides, not staff flags."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_portal_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_portal_administrator(request.user)


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


User = get_user_model()

# What the trail says of a password: never the hash, only that it was set, changed or disabled.
PASSWORD_SET = "set"
PASSWORD_CHANGED = "changed"
PASSWORD_DISABLED = "disabled"


def user_audit_state(user) -> dict[str, Any]:
    """What the audit trail keeps of a user account: every field but the password hash, and
    the groups and permissions by name (sorted, so an unchanged set compares equal)."""
    state = snapshot(user)
    state.pop("password", None)
    if user.pk is not None:
        state["groups"] = sorted(user.groups.values_list("name", flat=True))
        state["user_permissions"] = sorted(
            f"{app_label}.{codename}"
            for app_label, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        )
    return state


def password_state(user) -> str:
    return PASSWORD_CHANGED if user.has_usable_password() else PASSWORD_DISABLED


# Django's own user admin writes only the admin's LogEntry; the portal's audit trail must show
# who made whom a superuser, staff member or inactive, and when a password was replaced.
admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    """Django's user admin, with one audit entry (by the administrator) per add, change, delete
    and password change: the fields before → after, groups included, the password only as
    "set", "changed" or "disabled"."""

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        # Read before the save; the entry is written in save_related, once the groups are in.
        stored = User._default_manager.filter(pk=obj.pk).first() if change else None
        obj._audit_before = user_audit_state(stored) if stored is not None else None
        obj._audit_password = stored.password if stored is not None else None
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        before = getattr(user, "_audit_before", None)
        after = user_audit_state(user)
        if before is None:
            if user.has_usable_password():
                after["password"] = PASSWORD_SET
        elif user.password != user._audit_password:
            before["password"] = None
            after["password"] = password_state(user)
        if before is not None and before == after:
            return
        audit_record(
            actor=request.user,
            action="update" if change else "create",
            instance=user,
            before=before,
            after=after,
        )

    def delete_model(self, request: HttpRequest, obj) -> None:
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for user in queryset:
            self._audit_delete(request, user)
        super().delete_queryset(request, queryset)

    def _audit_delete(self, request: HttpRequest, user) -> None:
        audit_record(
            actor=request.user, action="delete", instance=user, before=user_audit_state(user)
        )

    @method_decorator(sensitive_post_parameters())
    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Django's view is not atomic: wrapped, so the new password and its entry land together.
        with transaction.atomic(using=router.db_for_write(User)):
            user = self.get_object(request, unquote(id))
            old_password = user.password if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                user.refresh_from_db(fields=["password"])
                if user.password != old_password:
                    audit_record(
                        actor=request.user,
                        action="password_change",
                        instance=user,
                        before={"password": None},
                        after={"password": password_state(user)},
                    )
        return response


def admin_password_change(request: HttpRequest) -> HttpResponse:
    """The admin's own "change my password" page (``admin:password_change``), audited: the
    site-wide view is not a ModelAdmin's, so ``AuditedUserAdmin`` never sees it. Route
    ``admin/password_change/`` here, wrapped in ``admin.site.admin_view``, before the admin's
    URLs."""
    with transaction.atomic(using=router.db_for_write(User)):
        # The view sets the new hash on request.user itself (to keep the session valid).
        old_password = request.user.password
        response = admin.site.password_change(request)
        if request.method == "POST" and request.user.password != old_password:
            audit_record(
                actor=request.user,
                action="password_change",
                instance=request.user,
                before={"password": None},
                after={"password": password_state(request.user)},
            )
    return response
