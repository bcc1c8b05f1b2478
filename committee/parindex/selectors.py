"""Reads of the PAR index: who may do what, score sheets and the ranking.

Permissions (one place, used by every view):
- committee members and administrators (and superusers) import and publish frameworks,
  enter survey-based scores and appraise the assessments of the units they see;
- a unit's own staff (any role whose active membership is at that unit) start, fill in and
  submit that unit's self-assessment — an assessment of another unit answers 404;
- anyone who sees a unit (``units_visible_to``) may read its assessments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from committee.permissions import is_standing_office
from org.models import Unit
from org.selectors import membership_of, units_visible_to

from .models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    Evidence,
    Framework,
    FrameworkStatus,
    Score,
    ScoringMethod,
)
from .scoring import (
    Band,
    CriterionSpec,
    assessment_total,
    band_for,
    competition_ranks,
    configured_bands,
    framework_maximum,
    node_totals,
    percentage,
    point_losses,
    rank_change,
)

# How many of the weakest units the ranking highlights, and how many criteria for each.
LOWEST_UNITS = getattr(settings, "PARINDEX_LOWEST_UNITS", 3)
LOSSES_SHOWN = getattr(settings, "PARINDEX_LOSSES_SHOWN", 3)

User = AbstractBaseUser | AnonymousUser


def is_committee(user: User) -> bool:
    """Committee members and administrators (the committee's standing office): appraise,
    import and publish frameworks."""
    return is_standing_office(user)


def own_unit(user: User) -> Unit | None:
    """The unit whose self-assessments the user fills in."""
    if not user.is_authenticated or not user.is_active:
        return None
    membership = membership_of(user)
    return membership.unit if membership is not None else None


def frameworks_visible_to(user: User) -> QuerySet[Framework]:
    if is_committee(user):
        return Framework.objects.all()
    if not user.is_authenticated:
        return Framework.objects.none()
    return Framework.objects.filter(status=FrameworkStatus.PUBLISHED)


def frameworks_open_to(unit: Unit) -> QuerySet[Framework]:
    """Published frameworks a unit can assess itself against."""
    return Framework.objects.filter(status=FrameworkStatus.PUBLISHED, level=unit.level)


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    return Assessment.objects.filter(unit__in=units_visible_to(user)).select_related(
        "unit", "framework"
    )


def assessments_editable_by(user: User) -> QuerySet[Assessment]:
    """The assessments of the user's own unit (the only ones they may fill in)."""
    unit = own_unit(user)
    if unit is None:
        return Assessment.objects.none()
    return Assessment.objects.filter(unit=unit).select_related("unit", "framework")


def assessments_appraisable_by(user: User) -> QuerySet[Assessment]:
    if not is_committee(user):
        return Assessment.objects.none()
    return assessments_visible_to(user)


def criteria_of(framework: Framework) -> list[Criterion]:
    return list(framework.criteria.order_by("sort_key"))


def criterion_specs(criteria: Sequence[Criterion]) -> list[CriterionSpec]:
    return [
        CriterionSpec(
            id=c.pk, code=c.code, parent_id=c.parent_id, max_points=c.max_points, is_leaf=c.is_leaf
        )
        for c in criteria
    ]


# --- one assessment's score sheet ------------------------------------------------------------


@dataclass
class SheetRow:
    criterion: Criterion
    score: Score | None
    self_total: Decimal
    appraised_total: Decimal
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def lost(self) -> Decimal:
        return self.criterion.max_points - self.appraised_total


@dataclass
class Sheet:
    assessment: Assessment
    rows: list[SheetRow]
    maximum: Decimal
    self_total: Decimal
    self_maximum: Decimal
    appraised_total: Decimal
    appraised_percent: Decimal
    band: Band | None
    missing_self: list[Criterion]
    missing_appraisal: list[Criterion]


def assessment_sheet(assessment: Assessment) -> Sheet:
    """Every criterion in outline order with the unit's and the committee's totals."""
    criteria = criteria_of(assessment.framework)
    specs = criterion_specs(criteria)
    scores = {score.criterion_id: score for score in assessment.scores.all()}
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in assessment.evidence.all():
        evidence[item.criterion_id].append(item)
    self_scores = {key: score.self_score for key, score in scores.items()}
    appraised_scores = {key: score.appraised_score for key, score in scores.items()}
    self_totals = node_totals(specs, self_scores)
    appraised_totals = node_totals(specs, appraised_scores)
    maximum = framework_maximum(specs)
    appraised_total = assessment_total(specs, appraised_scores)
    appraised_percent = percentage(appraised_total, maximum)
    leaves = [c for c in criteria if c.is_leaf]
    return Sheet(
        assessment=assessment,
        rows=[
            SheetRow(
                criterion=c,
                score=scores.get(c.pk),
                self_total=self_totals[c.pk],
                appraised_total=appraised_totals[c.pk],
                evidence=evidence.get(c.pk, []),
            )
            for c in criteria
        ],
        maximum=maximum,
        self_total=assessment_total(specs, self_scores),
        self_maximum=sum(
            (c.max_points for c in leaves if c.method == ScoringMethod.SELF_ASSESSED),
            start=Decimal("0"),
        ),
        appraised_total=appraised_total,
        appraised_percent=appraised_percent,
        band=band_for(appraised_percent, configured_bands(assessment.framework.bands)),
        missing_self=[
            c
            for c in leaves
            if c.method == ScoringMethod.SELF_ASSESSED and self_scores.get(c.pk) is None
        ],
        missing_appraisal=[c for c in leaves if appraised_scores.get(c.pk) is None],
    )


# --- the ranking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LossRow:
    criterion: Criterion
    appraised: Decimal
    lost: Decimal


@dataclass
class RankingRow:
    assessment: Assessment
    self_total: Decimal | None
    appraised_total: Decimal | None
    percent: Decimal | None
    # The committee's points on the criteria the unit scored itself (surveys left out), so
    # that the difference compares like with like.
    appraised_self_assessed: Decimal | None = None
    rank: int | None = None
    band: Band | None = None
    previous_rank: int | None = None
    change: int | None = None
    is_lowest: bool = False
    losses: list[LossRow] = field(default_factory=list)

    @property
    def unit(self) -> Unit:
        return self.assessment.unit

    @property
    def difference(self) -> Decimal | None:
        if self.self_total is None or self.appraised_self_assessed is None:
            return None
        return self.appraised_self_assessed - self.self_total


@dataclass
class Ranking:
    framework: Framework
    year: int
    maximum: Decimal
    rows: list[RankingRow]
    bands: tuple[Band, ...]
    previous_framework: Framework | None

    @property
    def ranked(self) -> list[RankingRow]:
        return [row for row in self.rows if row.rank is not None]

    @property
    def lowest(self) -> list[RankingRow]:
        return [row for row in self.rows if row.is_lowest]

    @property
    def band_counts(self) -> list[tuple[Band, int]]:
        return [(band, sum(1 for row in self.ranked if row.band == band)) for band in self.bands]


def _scores_by_assessment(
    assessment_ids: list[int],
) -> tuple[dict[int, dict[int, Decimal | None]], dict[int, dict[int, Decimal | None]]]:
    self_scores: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    appraised: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    rows = Score.objects.filter(assessment_id__in=assessment_ids).values_list(
        "assessment_id", "criterion_id", "self_score", "appraised_score"
    )
    for assessment_id, criterion_id, self_score, appraised_score in rows:
        self_scores[assessment_id][criterion_id] = self_score
        appraised[assessment_id][criterion_id] = appraised_score
    return self_scores, appraised


def _appraised_ranks(*, framework: Framework, year: int, units: QuerySet[Unit]) -> dict[int, int]:
    """Unit id → rank among the appraised assessments of a framework and year."""
    specs = criterion_specs(criteria_of(framework))
    assessments = dict(
        Assessment.objects.filter(
            framework=framework, year=year, unit__in=units, status=AssessmentStatus.APPRAISED
        ).values_list("pk", "unit_id")
    )
    _, appraised = _scores_by_assessment(list(assessments))
    totals = {
        unit_id: assessment_total(specs, appraised.get(pk, {}))
        for pk, unit_id in assessments.items()
    }
    return competition_ranks(totals)


def previous_framework_for(framework: Framework, year: int) -> Framework | None:
    """The framework the previous year was ranked under: this one if it covers that year,
    else the newest published one of the same level that does."""
    previous = year - 1
    if framework.covers(previous):
        return framework
    return (
        Framework.objects.filter(
            status=FrameworkStatus.PUBLISHED,
            level=framework.level,
            year_from__lte=previous,
            year_to__gte=previous,
        )
        .order_by("-version", "-pk")
        .first()
    )


def par_ranking(*, framework: Framework, year: int, user: User) -> Ranking:
    """Every assessment of ``framework`` for ``year`` among the units the user sees: totals,
    percentage, rank and band (appraised ones only), the change against the previous year's
    rank, and for the lowest-ranked units the criteria where they lost most points.

    A fixed number of queries, whatever the number of units."""
    units = units_visible_to(user)
    criteria = criteria_of(framework)
    specs = criterion_specs(criteria)
    maximum = framework_maximum(specs)
    bands = configured_bands(framework.bands)
    assessments = list(
        Assessment.objects.filter(framework=framework, year=year, unit__in=units)
        .select_related("unit")
        .order_by("unit__code")
    )
    self_scores, appraised = _scores_by_assessment([a.pk for a in assessments])
    self_assessed_specs = [
        spec
        for spec, c in zip(specs, criteria, strict=True)
        if c.is_leaf and c.method == ScoringMethod.SELF_ASSESSED
    ]
    rows = [
        _ranking_row(assessment, specs, self_assessed_specs, maximum, self_scores, appraised)
        for assessment in assessments
    ]
    previous_framework = previous_framework_for(framework, year)
    previous_ranks = (
        _appraised_ranks(framework=previous_framework, year=year - 1, units=units)
        if previous_framework is not None
        else {}
    )
    _rank_rows(rows, bands, previous_ranks)
    by_id = {c.pk: c for c in criteria}
    for row in _lowest(rows):
        row.is_lowest = True
        scores = appraised.get(row.assessment.pk, {})
        row.losses = [
            LossRow(
                criterion=by_id[loss.criterion_id],
                appraised=by_id[loss.criterion_id].max_points - loss.lost,
                lost=loss.lost,
            )
            for loss in point_losses(specs, scores, limit=LOSSES_SHOWN)
        ]
    return Ranking(
        framework=framework,
        year=year,
        maximum=maximum,
        rows=rows,
        bands=bands,
        previous_framework=previous_framework,
    )


def _ranking_row(
    assessment: Assessment, specs, self_assessed_specs, maximum, self_scores, appraised
) -> RankingRow:
    """One assessment's totals: the self total once submitted, the rest once appraised."""
    submitted = assessment.status != AssessmentStatus.DRAFT
    done = assessment.status == AssessmentStatus.APPRAISED
    scores = appraised.get(assessment.pk, {})
    appraised_total = assessment_total(specs, scores)
    return RankingRow(
        assessment=assessment,
        self_total=(
            assessment_total(specs, self_scores.get(assessment.pk, {})) if submitted else None
        ),
        appraised_total=appraised_total if done else None,
        appraised_self_assessed=(assessment_total(self_assessed_specs, scores) if done else None),
        percent=percentage(appraised_total, maximum) if done else None,
    )


def _rank_rows(rows: list[RankingRow], bands, previous_ranks: dict[int, int]) -> None:
    """Rank the appraised rows (ties share a rank), give them band and change against last
    year, then sort: ranked first by rank, the others by self total, then by unit code."""
    ranks = competition_ranks(
        {row.assessment.pk: row.appraised_total for row in rows if row.appraised_total is not None}
    )
    for row in rows:
        row.rank = ranks.get(row.assessment.pk)
        if row.rank is None:
            continue
        row.band = band_for(row.percent, bands)
        row.previous_rank = previous_ranks.get(row.assessment.unit_id)
        row.change = rank_change(row.previous_rank, row.rank)
    rows.sort(
        key=lambda row: (
            row.rank is None,
            row.rank or 0,
            -(row.self_total or 0),
            row.assessment.unit.code,
        )
    )


def _lowest(rows: list[RankingRow]) -> list[RankingRow]:
    """The bottom ``LOWEST_UNITS`` ranked rows (at most half of them), with any unit tied with
    the last one taken."""
    ranked = [row for row in rows if row.rank is not None]
    if len(ranked) < 2:
        return []
    count = min(LOWEST_UNITS, len(ranked) // 2)
    cutoff = ranked[-count].rank or 0
    return [row for row in ranked if (row.rank or 0) >= cutoff]


def ranking_default(user: User) -> tuple[Framework | None, int | None]:
    """The newest published framework the user sees and the latest year assessed under it."""
    framework = (
        frameworks_visible_to(user)
        .filter(status=FrameworkStatus.PUBLISHED)
        .order_by("-year_to", "-version", "-pk")
        .first()
    )
    if framework is None:
        return None, None
    latest = (
        Assessment.objects.filter(framework=framework, status=AssessmentStatus.APPRAISED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return framework, latest or framework.year_to
