"""Dossier work in the admin: handing the open dossiers of an ended unit to its successor.

``org`` knows nothing of dossiers (dependencies point org ← dossiers), so the list of ended
units with the hand-over action lives here, on a proxy of ``Unit``; the action calls
:func:`dossiers.services.dossiers_hand_over`, the same service as the ``dossiers_hand_over``
command.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from org.models import Role, Unit
from org.selectors import membership_of

from .models import OPEN_STATUSES
from .services import dossiers_hand_over


class EndedUnit(Unit):
    """A unit whose validity has ended (``valid_to`` before today), seen from dossiers."""

    class Meta:
        proxy = True
        app_label = "dossiers"
        verbose_name = _("ended unit")
        verbose_name_plural = _("ended units")


def is_dossier_administrator(user) -> bool:
    """Superusers, and staff users whose active membership has the administrator role."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    membership = membership_of(user)
    return bool(user.is_staff and membership and membership.role == Role.ADMINISTRATOR)


class HandOverForm(forms.Form):
    successor = forms.ModelChoiceField(label=_("Successor"), queryset=Unit.objects.none())

    def __init__(self, *args, unit: Unit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only successors in force today can take the dossiers over.
        in_force = unit.successors.valid_on(timezone.localdate())
        self.fields["successor"].queryset = in_force.order_by("name")


@admin.register(EndedUnit)
class EndedUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "valid_to", "successors_shown", "open_dossiers"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    ordering = ["-valid_to", "path"]
    actions = ["hand_over"]
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        return (
            super()
            .get_queryset(request)
            .filter(valid_to__lt=timezone.localdate())
            .prefetch_related("successors")
            .annotate(
                open_count=Count(
                    "dossiers_handled", filter=Q(dossiers_handled__status__in=OPEN_STATUSES)
                )
            )
        )

    @admin.display(description=_("successors"))
    def successors_shown(self, obj: Unit) -> str:
        return ", ".join(unit.name for unit in obj.successors.all()) or "—"

    @admin.display(description=_("open dossiers"), ordering="open_count")
    def open_dossiers(self, obj: Unit) -> int:
        return obj.open_count

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_dossier_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_dossier_administrator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=_("Hand the open dossiers over to a successor"))
    def hand_over(self, request: HttpRequest, queryset: QuerySet[Unit]) -> HttpResponse | None:
        units = list(queryset[:2])
        if len(units) != 1:
            self.message_user(
                request, gettext("Choose one ended unit at a time."), messages.WARNING
            )
            return None
        unit = units[0]
        form = HandOverForm(request.POST if "apply" in request.POST else None, unit=unit)
        if form.is_valid():
            successor = form.cleaned_data["successor"]
            try:
                count = dossiers_hand_over(from_unit=unit, to_unit=successor, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext(
                        "%(count)s open dossiers of %(unit)s were handed over to %(successor)s."
                    )
                    % {"count": count, "unit": unit.name, "successor": successor.name},
                    messages.SUCCESS,
                )
            return None
        return TemplateResponse(
            request,
            "dossiers/admin/hand_over.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Hand the open dossiers over to a successor"),
                "unit": unit,
                "open_count": unit.open_count,
                "form": form,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "has_view_permission": True,
            },
        )
