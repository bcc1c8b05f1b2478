"""PAR index (Chỉ số CCHC): frameworks, self-assessments and appraisals.

A framework is a tree of criteria three levels deep — area ("1"), criterion ("1.1") and
sub-criterion ("1.1.2") — each with its maximum points; the points of the children add up to
the parent's. Only leaves (a criterion without sub-criteria, or a sub-criterion) are scored.
A published framework is frozen: its criteria never change, so assessments scored against it
keep their meaning; a new version is imported instead.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc_portal.fields import optional_user
from org.models import Unit, UnitLevel

POINTS_MAX_DIGITS = 6
POINTS_DECIMAL_PLACES = 2
# Codes are numbered outline positions: "1", "1.1", "1.1.2".
CRITERION_MAX_DEPTH = 3


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ScoringMethod(models.TextChoices):
    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    SURVEY = "survey", _("Survey")


class Framework(models.Model):
    """One version of a PAR-index framework for one level of units over a range of years."""

    name = models.CharField(_("name"), max_length=255)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    year_from = models.PositiveSmallIntegerField(_("first year"))
    year_to = models.PositiveSmallIntegerField(_("last year"))
    level = models.CharField(
        _("level of the units assessed"), max_length=20, choices=UnitLevel.choices
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    # [{"min": "90", "label": "Tốt"}, …]; empty = settings.PARINDEX_BANDS (see scoring.py).
    bands = models.JSONField(_("bands"), default=list, blank=True)
    source_filename = models.CharField(_("imported from"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = optional_user(_("created by"), on_delete=models.SET_NULL)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PAR index framework")
        verbose_name_plural = _("PAR index frameworks")
        ordering = ["-year_to", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="parindex_framework_version"),
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="parindex_framework_years"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version} ({self.years_label})"

    @property
    def years_label(self) -> str:
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"

    @property
    def is_published(self) -> bool:
        return self.status == FrameworkStatus.PUBLISHED

    def covers(self, year: int) -> bool:
        return self.year_from <= year <= self.year_to

    @property
    def years(self) -> range:
        return range(self.year_from, self.year_to + 1)


class Criterion(models.Model):
    """An area, criterion or sub-criterion; its depth is the number of parts of its code."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.TextField(_("name"))
    description = models.TextField(_("scoring guidance"), blank=True)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=POINTS_MAX_DIGITS,
        decimal_places=POINTS_DECIMAL_PLACES,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    # Only leaves are scored; the method of a parent is blank.
    method = models.CharField(
        _("scoring method"), max_length=20, choices=ScoringMethod.choices, blank=True
    )
    depth = models.PositiveSmallIntegerField(_("depth"))
    is_leaf = models.BooleanField(_("scored"), default=True)
    # Outline order: the code's numbers, zero-padded, so "1.10" sorts after "1.9".
    sort_key = models.CharField(max_length=40, editable=False)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["framework", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="parindex_criterion_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def save(self, *args, **kwargs) -> None:
        # A published framework is frozen: its assessments must keep their meaning.
        if Framework.objects.filter(
            pk=self.framework_id, status=FrameworkStatus.PUBLISHED
        ).exists():
            raise ValidationError(_("A published framework cannot be changed."))
        super().save(*args, **kwargs)

    @property
    def is_survey(self) -> bool:
        return self.method == ScoringMethod.SURVEY


def criterion_sort_key(code: str) -> str:
    return ".".join(f"{int(part):04d}" for part in code.split("."))


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessment in progress")
    SUBMITTED = "submitted", _("Submitted, being appraised")
    APPRAISED = "appraised", _("Appraisal complete")


class Assessment(models.Model):
    """A unit's yearly assessment against one framework: its self-scores, then the appraisal."""

    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="par_assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = optional_user(_("submitted by"), on_delete=models.SET_NULL)
    appraised_at = models.DateTimeField(_("appraisal completed at"), null=True, blank=True)
    appraised_by = optional_user(_("appraised by"), on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("PAR index assessment")
        verbose_name_plural = _("PAR index assessments")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "unit", "year"], name="parindex_assessment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} – {self.year}"

    @property
    def is_editable_by_unit(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def is_appraisable(self) -> bool:
        return self.status == AssessmentStatus.SUBMITTED


class Score(models.Model):
    """The scores of one leaf criterion in one assessment: the unit's and the committee's."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    self_score = models.DecimalField(
        _("self-assessed points"),
        max_digits=POINTS_MAX_DIGITS,
        decimal_places=POINTS_DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    explanation = models.TextField(_("explanation"), blank=True)
    appraised_score = models.DecimalField(
        _("appraised points"),
        max_digits=POINTS_MAX_DIGITS,
        decimal_places=POINTS_DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    appraisal_note = models.TextField(_("appraisal note"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="parindex_score_once"),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__gte=0),
                name="parindex_self_score_positive",
            ),
            models.CheckConstraint(
                condition=Q(appraised_score__isnull=True) | Q(appraised_score__gte=0),
                name="parindex_appraised_score_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.criterion.code}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    return f"parindex/{instance.assessment.year}/{instance.assessment_id}/{filename}"


class Evidence(models.Model):
    """A file proving a self-score (tài liệu kiểm chứng); served only through a checked view."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = optional_user(_("uploaded by"), on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["criterion__sort_key", "uploaded_at"]

    def __str__(self) -> str:
        return self.filename
