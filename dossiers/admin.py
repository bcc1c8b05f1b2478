"""Dossier work in the admin: handing the open dossiers of an ended unit to its successor, and
correcting an applicant's details.

``org`` knows nothing of dossiers (dependencies point org ← dossiers), so the list of ended
units with the hand-over action lives here, on a proxy of ``Unit``; the action calls
:func:`dossiers.services.dossiers_hand_over`, the same service as the ``dossiers_hand_over``
command.

The dossier page lets an administrator fix the applicant's name and contact details (a
misspelt name, or one holding a control character that an older version accepted) and nothing
else: the change goes through :func:`dossiers.services.dossier_applicant_correct`, which
checks the text, bumps the version and writes the audit entry.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyAdminMixin
from org.admin import AdministratorsOnlyMixin, is_portal_administrator
from org.models import Unit
from org.text import has_control_characters

from .models import OPEN_STATUSES, Dossier
from .selectors import dossiers_visible_to
from .services import DossierChangedMeanwhile, dossier_applicant_correct, dossiers_hand_over

# What an administrator may correct on a dossier; everything else stays as received.
APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
)


class EndedUnit(Unit):
    """A unit whose validity has ended (``valid_to`` before today), seen from dossiers."""

    class Meta:
        proxy = True
        app_label = "dossiers"
        verbose_name = _("ended unit")
        verbose_name_plural = _("ended units")


class HandOverForm(forms.Form):
    successor = forms.ModelChoiceField(label=_("Successor"), queryset=Unit.objects.none())

    def __init__(self, *args, unit: Unit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only successors in force today can take the dossiers over.
        in_force = unit.successors.valid_on(timezone.localdate())
        self.fields["successor"].queryset = in_force.order_by("name")


@admin.register(EndedUnit)
class EndedUnitAdmin(AdministratorsOnlyMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
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


class ApplicantCorrectionForm(forms.ModelForm):
    """The applicant's details, with the version the administrator read (optimistic check)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Dossier
        fields = APPLICANT_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in APPLICANT_FIELDS:
            if has_control_characters(cleaned.get(name) or ""):
                self.add_error(
                    name,
                    _(
                        "This text holds a control character (such as Esc), which no text may "
                        "contain. Retype it."
                    ),
                )
        expected = cleaned.get("expected_version")
        if expected is not None and self.instance.pk is not None:
            current = Dossier.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if current.first() != expected:
                raise DossierChangedMeanwhile()
        return cleaned


@admin.register(Dossier)
class DossierAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    """Find a dossier and correct its applicant's details; nothing else can be changed here,
    and nothing added or deleted (intake and every step belong to the desk's pages)."""

    form = ApplicantCorrectionForm
    # The receiving unit by its code: its full name alone is wider than the list at 1366 px.
    list_display = ["code", "applicant_name", "receiving_unit_code", "received_at", "status"]
    list_filter = ["status"]
    # The code exactly (its unique index), or a part of the applicant's name.
    search_fields = ["=code", "applicant_name"]
    list_select_related = ["receiving_unit"]
    list_per_page = 50
    # A count of every dossier is a full scan at a million rows; the pages do not need it.
    show_full_result_count = False
    readonly_fields = [
        "code",
        "procedure_version",
        "receiving_unit",
        "handling_unit",
        "channel",
        "status",
        "received_at",
        "due_at",
    ]
    fieldsets = [
        (None, {"fields": readonly_fields}),
        (_("Applicant"), {"fields": [*APPLICANT_FIELDS, "expected_version"]}),
    ]

    @admin.display(description=_("receiving unit"), ordering="receiving_unit__code")
    def receiving_unit_code(self, dossier: Dossier) -> str:
        return dossier.receiving_unit.code

    def get_queryset(self, request: HttpRequest) -> QuerySet[Dossier]:
        return dossiers_visible_to(request.user).select_related(
            "receiving_unit", "handling_unit", "procedure_version__procedure"
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_portal_administrator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Dossier, form, change: bool) -> None:
        try:
            corrected = dossier_applicant_correct(
                dossier=obj,
                by=request.user,
                expected_version=form.cleaned_data.get("expected_version"),
                **{name: form.cleaned_data[name] for name in APPLICANT_FIELDS},
            )
        except ValidationError as error:
            # Someone changed the dossier between the form's check and this save.
            request._applicant_refused = True
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        for name in (*APPLICANT_FIELDS, "version"):
            setattr(obj, name, getattr(corrected, name))

    def log_change(self, request: HttpRequest, obj, message):
        if getattr(request, "_applicant_refused", False):
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request: HttpRequest, obj: Dossier) -> HttpResponse:
        if getattr(request, "_applicant_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)
