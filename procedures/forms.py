"""Forms of the catalogue: the admin's version form and confirmations, the public search."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import (
    CONTENT_SCALAR_FIELDS,
    PROCEDURE_CODE_VALIDATOR,
    GovernmentLevel,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    Sector,
)
from .services import ChannelTimeSpec, DocumentSpec, ProcedureContent

# What an administrator edits on a draft besides its levels, documents and channel times.
VERSION_FORM_FIELDS = [*CONTENT_SCALAR_FIELDS, "implementing_units"]


class ProcedureVersionForm(forms.ModelForm):
    """A draft's content. Saving goes through the services, never ``form.save()``."""

    class Meta:
        model = ProcedureVersion
        fields = VERSION_FORM_FIELDS


class ProcedureCreateForm(ProcedureVersionForm):
    """A new procedure: its national code plus the content of its first (draft) version."""

    code = forms.CharField(
        label=capfirst(_("code")),
        max_length=30,
        validators=[PROCEDURE_CODE_VALIDATOR],
        help_text=_("National code, e.g. 1.000948."),
    )

    class Meta(ProcedureVersionForm.Meta):
        fields = ["code", *VERSION_FORM_FIELDS]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if Procedure.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A procedure with this code already exists."))
        return code


def _live_rows(formset) -> list[dict]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def content_from_forms(form: forms.ModelForm, formsets: list) -> ProcedureContent:
    """The ProcedureContent that the admin's form and inline formsets describe together."""
    by_model = {formset.model.__name__: formset for formset in formsets}
    data = form.cleaned_data
    documents = sorted(
        _live_rows(by_model["RequiredDocument"]), key=lambda row: row.get("position") or 0
    )
    return ProcedureContent(
        **{name: data.get(name) for name in ProcedureContent.SCALAR_FIELDS},
        levels=tuple(row["level"] for row in _live_rows(by_model["ProcedureLevel"])),
        documents=tuple(
            DocumentSpec(
                name=row["name"],
                originals=row.get("originals") or 0,
                certified_copies=row.get("certified_copies") or 0,
                copies=row.get("copies") or 0,
            )
            for row in documents
        ),
        channel_times=tuple(
            ChannelTimeSpec(
                channel=row["channel"],
                processing_time=row["processing_time"],
                processing_unit=row["processing_unit"],
            )
            for row in _live_rows(by_model["ChannelProcessingTime"])
        ),
        implementing_unit_ids=frozenset(unit.pk for unit in data.get("implementing_units") or ()),
    )


class PublishForm(forms.Form):
    valid_from = forms.DateField(
        label=capfirst(_("valid from")),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    change_note = forms.CharField(label=capfirst(_("change note")), max_length=500, required=False)


class AbolishForm(forms.Form):
    on = forms.DateField(
        label=_("No longer in force from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    change_note = forms.CharField(label=capfirst(_("change note")), max_length=500, required=False)


class NewVersionForm(forms.Form):
    """Nothing to fill in: the confirmation page's POST is the consent."""


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by code or name"), required=False, max_length=200)
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), required=False, empty_label=_("All")
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All")), *GovernmentLevel.choices], required=False
    )
    online_level = forms.ChoiceField(
        label=_("Online level"), choices=[("", _("All")), *OnlineLevel.choices], required=False
    )
    on = forms.DateField(
        label=_("In force on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )

    def search_arguments(self) -> dict:
        """Arguments for ``catalogue_search``; an invalid filter is ignored, not an error."""
        data = self.cleaned_data if self.is_valid() else {}
        sector = data.get("sector")
        on: dt.date = data.get("on") or timezone.localdate()
        return {
            "on": on,
            "query": data.get("q", ""),
            "sector_id": sector.pk if sector else None,
            "level": data.get("level", ""),
            "online_level": data.get("online_level", ""),
        }
