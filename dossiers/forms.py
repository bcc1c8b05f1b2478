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
from procedures.services import DocumentSpec, version_documents

from .models import Dossier, local_date
from .permissions import Action
from .services import DOCUMENT_COUNT_MAX, DOCUMENTS_MAX

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


# The checklist of papers handed in (intake and supplement completion) ------------------------


def _count_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=DOCUMENT_COUNT_MAX,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm desk-count"}),
        error_messages={
            "invalid": _("Enter a whole number, 0 or more."),
            "min_value": _("Enter a whole number, 0 or more."),
        },
    )


class DocumentLineForm(forms.Form):
    """One line of the checklist; a line the catalogue lists carries its name as a hidden
    field, a paper it does not list is typed in."""

    name = forms.CharField(label=_("Document"), required=False, max_length=500)
    listed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    originals = _count_field(_("Originals"))
    certified_copies = _count_field(_("Certified copies"))
    copies = _count_field(_("Copies"))

    def clean(self) -> dict:
        cleaned = super().clean()
        counts = [cleaned.get(key) or 0 for key in ("originals", "certified_copies", "copies")]
        if any(counts) and not (cleaned.get("name") or "").strip():
            self.add_error("name", ValidationError(_("Name the paper."), code="required"))
        return cleaned

    @property
    def is_listed(self) -> bool:
        """A catalogue line (its name is shown, not typed), bound or not."""
        return self.fields["listed"].to_python(self["listed"].value())

    def line(self) -> DocumentSpec:
        data = self.cleaned_data
        return DocumentSpec(
            name=(data.get("name") or "").strip(),
            originals=data.get("originals") or 0,
            certified_copies=data.get("certified_copies") or 0,
            copies=data.get("copies") or 0,
        )


DocumentFormSet = forms.formset_factory(
    DocumentLineForm, extra=0, max_num=DOCUMENTS_MAX, validate_max=True, absolute_max=DOCUMENTS_MAX
)
DOCUMENTS_PREFIX = "documents"


def document_formset(data=None, *, lines: list[DocumentSpec] = (), unlisted: int = 1):
    """The checklist pre-filled with ``lines`` (the catalogue's, listed) and ``unlisted``
    empty lines for papers the catalogue does not name; bound to ``data`` when given."""
    if data is not None:
        return DocumentFormSet(data, prefix=DOCUMENTS_PREFIX)
    initial = [
        {
            "name": line.name,
            "listed": True,
            "originals": line.originals,
            "certified_copies": line.certified_copies,
            "copies": line.copies,
        }
        for line in lines
    ]
    initial += [{"listed": False}] * unlisted
    return DocumentFormSet(initial=initial, prefix=DOCUMENTS_PREFIX)


def documents_received(formset) -> list[DocumentSpec]:
    """The lines of a valid checklist formset (the service drops those with no paper)."""
    return [form.line() for form in formset.forms]


class IntakeForm(ReceivedAtMixin, forms.Form):
    # The visible type-ahead box is not a field: its text ("code – name", often over 200
    # characters) is only a way to pick; the hidden version id is what the form receives.
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
    applicant_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(label=_("E-mail"), required=False)
    applicant_address = forms.CharField(label=_("Address"), required=False, max_length=500)
    sets_count = forms.IntegerField(
        label=_("Number of sets"),
        min_value=1,
        max_value=99,
        initial=1,
        error_messages={
            "min_value": _("A dossier has at least one set of papers."),
            "max_value": _("At most 99 sets in one dossier."),
            "invalid": _("Enter the number of sets as a whole number."),
        },
    )
    digitised = forms.BooleanField(
        label=_("Recorded in the electronic one-stop system"), required=False
    )
    # One text box (a browser's date-time input costs six Tab stops), skipped by the Tab order
    # until the officer changes it: it defaults to now.
    received_at = forms.DateTimeField(
        label=_("Received at"),
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(
            attrs={
                "tabindex": "-1",
                "accesskey": "t",
                "inputmode": "numeric",
                "placeholder": "dd/mm/yyyy hh:mm",
                "spellcheck": "false",
            },
            format="%d/%m/%Y %H:%M",
        ),
        error_messages={"invalid": _("Enter the received time as dd/mm/yyyy hh:mm.")},
    )
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
        if phone and not re.fullmatch(r"[0-9]+", phone):
            raise ValidationError(
                _("A phone number has digits only (spaces, dots and +84 are accepted)."),
                code="phone",
            )
        if phone and not re.fullmatch(r"[0-9]{9,11}", phone):
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
    # What the step does that cannot be undone, asked before it is taken (``data-confirm`` on
    # the page's button, static/js/confirm.js); empty for the steps of the dossier's course.
    confirm_message = ""
    # A side exit (withdraw, stop): the page shows it in red.
    ends_dossier = False

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


# A bullet or a number opening a line of the missing documents: "- ", "• ", "1. ", "2) ", "a) ".
_LIST_MARK = re.compile(r"^\s*(?:[-–—•*+]|\d{1,2}[.)]|[a-zđ]\))\s*", re.IGNORECASE)
_DOCUMENT_NAME_MAX = DocumentLineForm.base_fields["name"].max_length


def missing_document_names(text: str) -> list[str]:
    """The papers a supplement request asks for, one per line of its text, without list marks
    or closing punctuation."""
    names = []
    for line in (text or "").splitlines():
        name = " ".join(_LIST_MARK.sub("", line, count=1).split()).rstrip(";,.").strip()
        if name:
            names.append(name[:_DOCUMENT_NAME_MAX])
    return names


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def supplement_checklist(dossier: Dossier) -> list[DocumentSpec]:
    """The checklist the desk fills when the supplement is handed in: a line per paper the open
    request asks for, counted as the catalogue lists a paper of that name; a paper the
    catalogue does not name is counted as one copy (the desk corrects what differs)."""
    request = dossier.supplement_requests.filter(completed_at__isnull=True).first()
    if request is None:
        return []
    catalogue = {
        _name_key(line.name): line
        for line in version_documents(dossier.procedure_version)
        if line.total
    }
    lines = [
        catalogue.get(_name_key(name)) or DocumentSpec(name=name, copies=1)
        for name in missing_document_names(request.missing_documents)
    ]
    # The last line of the formset is left empty for a paper the request did not name.
    return lines[: DOCUMENTS_MAX - 1]


class SupplementCompleteForm(ActionForm):
    """The supplement handed in, with the checklist of its papers (``self.documents``)."""

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if self.is_bound:
            self.documents = document_formset(self.data)
        else:
            self.documents = document_formset(lines=supplement_checklist(dossier))

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.documents.is_valid():
            cleaned["documents"] = documents_received(self.documents)
        return cleaned

    def is_valid(self) -> bool:
        # Both validated, so that each shows its own errors.
        form_valid = super().is_valid()
        return self.documents.is_valid() and form_valid


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


class EndForm(ReasonForm):
    """A step that ends the dossier for good. The page asks in a dialog before it is taken;
    without JavaScript the box is the confirmation, and the server requires it either way (the
    dialog ticks it)."""

    ends_dossier = True
    understood = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        widget=forms.CheckboxInput(attrs={"data-confirm-checkbox": ""}),
        error_messages={"required": _("Tick the box to confirm: this step cannot be undone.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["understood"].help_text = self.confirm_message


class WithdrawForm(EndForm):
    confirm_message = _("Withdrawing ends the dossier; it cannot be reopened.")


class StopForm(EndForm):
    confirm_message = _("Stopping ends the processing of the dossier; it cannot be resumed.")


class ApologyForm(ReasonForm):
    confirm_message = _(
        "Only one apology can be issued for a dossier: its new appointment cannot be changed "
        "afterwards."
    )
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
    Action.WITHDRAW: WithdrawForm,
    Action.STOP: StopForm,
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
