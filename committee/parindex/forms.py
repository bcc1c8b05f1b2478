"""Forms of the PAR index pages."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from committee.attachments import SIGNATURES
from org.models import UnitLevel
from org.tabular import upload_check

from .imports import YEAR_MAX, YEAR_MIN
from .models import Criterion, Framework, Score
from .services import Entry, evidence_check

FRAMEWORK_FILE_MAX_BYTES = 5 * 1024 * 1024


class FrameworkImportForm(forms.Form):
    upload = forms.FileField(
        label=_("Framework file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=_(
            "CSV (UTF-8) or XLSX with a header row: code, name, max_points, method "
            "(self_assessed or survey), optional description."
        ),
    )
    name = forms.CharField(label=_("Framework name"), max_length=255)
    year_from = forms.IntegerField(label=_("First year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    year_to = forms.IntegerField(
        label=_("Last year"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        required=False,
        help_text=_("Blank: the first year only."),
    )
    level = forms.ChoiceField(
        label=_("Level of the units assessed"),
        choices=UnitLevel.choices,
        initial=UnitLevel.COMMUNE,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year_from"].initial = timezone.localdate().year

    def clean_upload(self):
        return upload_check(self.cleaned_data["upload"], FRAMEWORK_FILE_MAX_BYTES)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from and year_to and year_to < year_from:
            self.add_error("year_to", gettext("The last year is before the first year."))
        return data


class AssessmentStartForm(forms.Form):
    framework = forms.ModelChoiceField(label=_("Framework"), queryset=Framework.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)

    def __init__(self, *args: Any, frameworks=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if frameworks is not None:
            self.fields["framework"].queryset = frameworks

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        framework, year = data.get("framework"), data.get("year")
        if framework and year and not framework.covers(year):
            self.add_error(
                "year",
                gettext("This framework applies to %(years)s, not %(year)d.")
                % {"years": framework.years_label, "year": year},
            )
        return data


class PointsField(forms.DecimalField):
    """Points with a decimal comma (Vietnamese) or point, whatever the page's language."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class _ScoreSheetForm(forms.Form):
    """One score field and one text field per leaf criterion: ``score_<id>``, ``text_<id>``."""

    score_attr = ""
    text_attr = ""
    text_label = ""

    def __init__(
        self, *args: Any, criteria: Iterable[Criterion], scores: dict[int, Score], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        points_label = gettext("points")
        for criterion in self.criteria:
            score = scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = PointsField(
                label=f"{criterion.code} – {points_label}",
                required=False,
                min_value=Decimal("0"),
                max_value=criterion.max_points,
                max_digits=6,
                decimal_places=2,
                initial=getattr(score, self.score_attr) if score else None,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "class": "form-control form-control-sm"}
                ),
            )
            self.fields[f"text_{criterion.pk}"] = forms.CharField(
                label=f"{criterion.code} – {self.text_label}",
                required=False,
                max_length=4000,
                initial=getattr(score, self.text_attr) if score else "",
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
            )

    def entries(self) -> dict[int, Entry]:
        return {
            criterion.pk: Entry(
                score=self.cleaned_data[f"score_{criterion.pk}"],
                text=self.cleaned_data[f"text_{criterion.pk}"].strip(),
            )
            for criterion in self.criteria
        }

    def field_pairs(self) -> dict[int, tuple[forms.BoundField, forms.BoundField]]:
        return {
            criterion.pk: (self[f"score_{criterion.pk}"], self[f"text_{criterion.pk}"])
            for criterion in self.criteria
        }


class SelfAssessmentForm(_ScoreSheetForm):
    score_attr = "self_score"
    text_attr = "explanation"
    text_label = _("explanation")


class AppraisalForm(_ScoreSheetForm):
    score_attr = "appraised_score"
    text_attr = "appraisal_note"
    text_label = _("appraisal note")


class EvidenceForm(forms.Form):
    criterion = forms.ModelChoiceField(
        label=_("Criterion"),
        queryset=Criterion.objects.none(),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    file = forms.FileField(
        label=_("Evidence file"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(SIGNATURES))}),
    )

    def __init__(self, *args: Any, criteria=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if criteria is not None:
            self.fields["criterion"].queryset = criteria
        self.fields["criterion"].label_from_instance = lambda c: f"{c.code}. {c.name}"[:120]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        evidence_check(upload)
        return upload


class RankingForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("Framework"), queryset=Framework.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)

    def __init__(self, *args: Any, frameworks=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if frameworks is not None:
            self.fields["framework"].queryset = frameworks
