from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.admin import AuditedAdminMixin, ReadOnlyAdminMixin
from org.admin import AdministratorsOnlyMixin, is_portal_administrator

from .counters import COUNTERS
from .models import PeriodFreeze, Rollup
from .periods import period_from_key
from .services import period_freeze


@admin.register(Rollup)
class RollupAdmin(AdministratorsOnlyMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Derived data, recomputed by the services: readable, never edited by hand."""

    list_display = [
        "period_key",
        "unit",
        "procedure",
        "received_total",
        "resolved",
        "in_progress",
        "computed_at",
    ]
    list_filter = ["scheme", "kind", "year"]
    search_fields = ["period_key", "unit__code", "unit__name", "procedure__code"]
    list_select_related = ["unit", "procedure"]
    readonly_fields = [
        "period_key",
        "scheme",
        "kind",
        "year",
        "index",
        "unit",
        "procedure",
        *COUNTERS,
        "computed_at",
    ]
    list_per_page = 100


class PeriodFreezeForm(forms.ModelForm):
    period_key = forms.CharField(
        label=gettext_lazy("period"),
        help_text=gettext_lazy("scheme:kind:year:index, e.g. calendar:quarter:2021:1"),
    )

    class Meta:
        model = PeriodFreeze
        fields = ["period_key", "note"]

    def clean_period_key(self) -> str:
        key = self.cleaned_data["period_key"].strip()
        try:
            period = period_from_key(key)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        if PeriodFreeze.objects.filter(period_key=period.key).exists():
            raise ValidationError(_("The period %(period)s is already frozen.") % {"period": key})
        if period.end >= timezone.localdate():
            raise ValidationError(
                _("Only a period that is over can be frozen: %(period)s ends on %(end)s.")
                % {"period": period.key, "end": period.end.isoformat()}
            )
        self.period = period
        return period.key


@admin.register(PeriodFreeze)
class PeriodFreezeAdmin(AuditedAdminMixin, AdministratorsOnlyMixin, admin.ModelAdmin):
    """Adding one freezes the period through :func:`reports.services.period_freeze` (which
    writes the audit entry); deleting one (unfreezing) is audited by the mixin."""

    form = PeriodFreezeForm
    list_display = ["period_key", "frozen_at", "frozen_by", "note"]
    search_fields = ["period_key", "note"]
    readonly_fields = ["frozen_at", "frozen_by"]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if obj is not None:
            return ["period_key", "frozen_at", "frozen_by", "note"]
        return []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_portal_administrator(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Unfreezing changes published figures at the next refresh: superusers only.
        return request.user.is_superuser

    def save_model(self, request: HttpRequest, obj: PeriodFreeze, form, change: bool) -> None:
        freeze = period_freeze(
            period=form.period, by=request.user, note=form.cleaned_data.get("note", "")
        )
        obj.pk = freeze.pk
        obj.frozen_at, obj.frozen_by = freeze.frozen_at, freeze.frozen_by
