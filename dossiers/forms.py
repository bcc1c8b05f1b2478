"""Forms of the desk pages: intake, the due-date preview, the queue search and each step."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Unit
from procedures.models import Channel, ProcedureVersion

from .models import Dossier, local_date
from .permissions import Action

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def _datetime_field(label, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _versions() -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.select_related("procedure")


_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def phone_normalise(raw: str) -> str:
    """Digits only; "+84 912 345 678" is the national "0912345678"."""
    phone = _PHONE_SEPARATORS.sub("", raw or "")
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    return phone


class ReceivedAtMixin:
    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at is not None and received_at > timezone.now():
            raise ValidationError(_("The received time cannot be in the future."), code="future")
        return received_at

    def _version_in_force_check(self, cleaned: dict) -> None:
        version = cleaned.get("procedure_version")
        received_at = cleaned.get("received_at")
        if version is None or received_at is None:
            return
        day = local_date(received_at)
        if not version.is_in_force_on(day):
            self.add_error(
                "procedure_version",
                ValidationError(
                    _("This version of procedure %(procedure)s is not in force on %(day)s.")
                    % {"procedure": version.procedure.code, "day": f"{day:%d/%m/%Y}"},
                    code="not_in_force",
                ),
            )


class IntakeForm(ReceivedAtMixin, forms.Form):
    procedure_query = forms.CharField(
        label=_("Procedure"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )
    procedure_version = forms.ModelChoiceField(
        queryset=_versions(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a procedure from the suggestions."),
            "invalid_choice": _("Choose a procedure from the suggestions."),
        },
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.DIRECT)
    applicant_name = forms.CharField(label=_("Applicant name"), max_length=255)
    applicant_id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=12,
        validators=[
            RegexValidator(
                r"^(\d{9}|\d{12})$", _("An ID number has 9 or 12 digits."), code="id_number"
            )
        ],
    )
    applicant_phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    applicant_email = forms.EmailField(label=_("E-mail"), required=False)
    applicant_address = forms.CharField(label=_("Address"), required=False, max_length=500)
    sets_count = forms.IntegerField(label=_("Number of sets"), min_value=1, max_value=99, initial=1)
    digitised = forms.BooleanField(
        label=_("Recorded in the electronic one-stop system"), required=False
    )
    received_at = _datetime_field(_("Received at"))
    # Required by the service only for a time more than INTAKE_BACKDATE_WORKING_DAYS back.
    backdate_reason = forms.CharField(
        label=_("Reason for entering it late"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    refusal_reason = forms.CharField(
        label=_("Reason for refusal"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, refusing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.refusing = refusing
        self.fields["backdate_reason"].help_text = _(
            "Only when the received time is more than %(days)s working days ago."
        ) % {"days": settings.INTAKE_BACKDATE_WORKING_DAYS}

    def clean_applicant_phone(self) -> str:
        phone = phone_normalise(self.cleaned_data["applicant_phone"])
        if phone and not re.fullmatch(r"\d{9,11}", phone):
            raise ValidationError(_("A phone number has 9 to 11 digits."), code="phone")
        return phone

    def clean_applicant_name(self) -> str:
        name = " ".join(self.cleaned_data["applicant_name"].split())
        if not name:
            raise ValidationError(_("The applicant's name is required."), code="required")
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        self._version_in_force_check(cleaned)
        if self.refusing and not (cleaned.get("refusal_reason") or "").strip():
            self.add_error(
                "refusal_reason",
                ValidationError(_("A reason is required to refuse a dossier."), code="required"),
            )
        return cleaned

    def applicant(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["applicant_name"],
            "id_number": data["applicant_id_number"],
            "phone": data["applicant_phone"],
            "email": data["applicant_email"],
            "address": data["applicant_address"],
        }


class DuePreviewForm(ReceivedAtMixin, forms.Form):
    procedure_version = forms.ModelChoiceField(
        queryset=_versions(),
        error_messages={
            "required": _("Choose a procedure first."),
            "invalid_choice": _("Unknown procedure version."),
        },
    )
    channel = forms.ChoiceField(choices=Channel.choices)
    received_at = _datetime_field(_("Received at"))

    def clean(self) -> dict:
        cleaned = super().clean()
        self._version_in_force_check(cleaned)
        return cleaned


class QueueSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


# Steps on a dossier ------------------------------------------------------------------------


class ActionForm(forms.Form):
    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, dossier: Dossier, units: QuerySet[Unit] | None = None, **kwargs):
        kwargs.setdefault("initial", {})["expected_version"] = dossier.version
        super().__init__(*args, **kwargs)
        self.dossier = dossier


class TransferForm(ActionForm):
    to_unit = forms.ModelChoiceField(label=_("To unit"), queryset=Unit.objects.none())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    step_due_at = _datetime_field(_("Due date of this step"), required=False)

    def __init__(self, *args, dossier: Dossier, units: QuerySet[Unit] | None = None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if units is not None:
            self.fields["to_unit"].queryset = units

    def clean_step_due_at(self):
        step_due_at = self.cleaned_data["step_due_at"]
        if step_due_at is not None and step_due_at < self.dossier.received_at:
            raise ValidationError(
                _("A step cannot be due before the dossier was received."), code="step_due_at"
            )
        return step_due_at


class SupplementRequestForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    missing_documents = forms.CharField(
        label=_("Missing documents"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SupplementCompleteForm(ActionForm):
    pass


class FinishForm(ActionForm):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(ActionForm):
    pass


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApologyForm(ReasonForm):
    new_due_at = _datetime_field(_("New due date"))

    def clean_new_due_at(self):
        new_due_at = self.cleaned_data["new_due_at"]
        if new_due_at <= self.dossier.due_at:
            raise ValidationError(
                _("The new due date must be after the current due date."), code="new_due_at"
            )
        return new_due_at


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    Action.TRANSFER: TransferForm,
    Action.SUPPLEMENT_REQUEST: SupplementRequestForm,
    Action.SUPPLEMENT_COMPLETE: SupplementCompleteForm,
    Action.FINISH: FinishForm,
    Action.RETURN: ReturnForm,
    Action.WITHDRAW: ReasonForm,
    Action.STOP: ReasonForm,
    Action.APOLOGY: ApologyForm,
}

# The order of the sections on the dossier page, with their headings.
ACTION_LABELS: dict[Action, str] = {
    Action.TRANSFER: _("Transfer"),
    Action.SUPPLEMENT_REQUEST: _("Request a supplement"),
    Action.SUPPLEMENT_COMPLETE: _("Supplement received"),
    Action.FINISH: _("Result ready"),
    Action.RETURN: _("Return the result"),
    Action.WITHDRAW: _("Withdraw"),
    Action.STOP: _("Stop processing"),
    Action.APOLOGY: _("Apology and new appointment"),
}
