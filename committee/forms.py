"""Forms of the committee pages; the services re-check everything they are given."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from org.models import Unit

from .attachments import attachment_validate
from .models import Conclusion, Meeting, MeetingKind
from .status import STATUS_LABELS, TaskStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _unit_label(unit: Unit) -> str:
    return unit.name


def units_on(units: QuerySet[Unit], day: dt.date | None) -> QuerySet[Unit]:
    """The units of ``units`` that existed on ``day`` (all of them without a day)."""
    if day is None:
        return units.order_by("path")
    return units.valid_on(day).order_by("path")


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "unit",
            "held_on",
            "kind",
            "title",
            "chair",
            "notice_number",
            "notice_date",
            "attendees",
            "minutes",
        ]
        widgets = {
            "held_on": DateInput(),
            "notice_date": DateInput(),
            "attendees": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, units: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["unit"].label_from_instance = _unit_label
        self.fields["kind"].initial = MeetingKind.QUARTERLY

    def clean(self) -> dict:
        data = super().clean()
        held_on, notice_date = data.get("held_on"), data.get("notice_date")
        if held_on and notice_date and notice_date < held_on:
            self.add_error(
                "notice_date", _("The conclusion notice cannot be dated before the meeting.")
            )
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        attachment_validate(upload)
        return upload


class ConclusionForm(forms.Form):
    text = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class DeadlineMode:
    DATE = "date"
    WORKING_DAYS = "working_days"


class TaskForm(forms.Form):
    conclusion = forms.ModelChoiceField(label=_("Conclusion"), queryset=Conclusion.objects.none())
    title = forms.CharField(label=_("Task"), max_length=500)
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none())
    supporting_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Hold Ctrl to choose several."),
    )
    deadline_mode = forms.ChoiceField(
        label=_("Deadline given as"),
        choices=[
            (DeadlineMode.DATE, _("a date")),
            (DeadlineMode.WORKING_DAYS, _("working days from the conclusion notice")),
        ],
        initial=DeadlineMode.DATE,
        widget=forms.RadioSelect,
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    working_days = forms.IntegerField(
        label=_("Working days"), required=False, min_value=1, max_value=500
    )
    expected_output = forms.CharField(label=_("Expected output"), max_length=500, required=False)
    content = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, meeting: Meeting, units: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conclusion"].queryset = meeting.conclusions.order_by("number")
        self.fields["conclusion"].label_from_instance = lambda c: f"{c.number}. {c.text[:90]}"
        existing = units_on(units, meeting.held_on)
        for name in ("lead_unit", "supporting_units"):
            self.fields[name].queryset = existing
            self.fields[name].label_from_instance = _unit_label

    def clean(self) -> dict:
        data = super().clean()
        mode = data.get("deadline_mode")
        if mode == DeadlineMode.DATE:
            data["working_days"] = None
            if not data.get("deadline") and "deadline" not in self.errors:
                self.add_error("deadline", _("Give the deadline."))
        elif mode == DeadlineMode.WORKING_DAYS:
            data["deadline"] = None
            if not data.get("working_days") and "working_days" not in self.errors:
                self.add_error("working_days", _("Give the number of working days."))
        lead = data.get("lead_unit")
        if lead is not None and lead in (data.get("supporting_units") or []):
            self.add_error("supporting_units", _("The lead unit cannot also be a supporting unit."))
        return data


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            attachment_validate(upload)
        return upload


class TaskFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.none(), required=False
    )
    deadline_from = forms.DateField(label=_("Deadline from"), required=False, widget=DateInput())
    deadline_to = forms.DateField(label=_("Deadline to"), required=False, widget=DateInput())

    def __init__(self, *args, units: QuerySet[Unit], meetings: QuerySet[Meeting], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["unit"].label_from_instance = _unit_label
        self.fields["meeting"].queryset = meetings.order_by("-held_on", "-id")
        self.fields["status"].choices = [("", _("All"))] + [
            (status.value, STATUS_LABELS[status]) for status in TaskStatus
        ]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("deadline_from"), data.get("deadline_to")
        if start and end and end < start:
            self.add_error("deadline_to", _("The end of the range is before its start."))
        return data
