"""Demo PAR index of `make run`: a commune-level framework modelled on the provinces' "Bộ chỉ số
CCHC cấp xã" (8 areas, 53 scored criteria, 100 points, the survey-based part included) and the
communes of the demo district assessed for 2020 and 2021.

Call after ``demo_organisation_load``: ``demo_parindex_load()``; idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import transaction

from org.models import Unit, UnitLevel
from org.tabular import read_rows

from ..imports import FRAMEWORK_REQUIRED_COLUMNS, framework_import
from ..models import Assessment, AssessmentStatus, Framework, ScoringMethod
from ..services import (
    Entry,
    assessment_appraisal_complete,
    assessment_appraisal_save,
    assessment_self_scores_save,
    assessment_start,
    assessment_submit,
    framework_publish,
)

DEMO_FRAMEWORK = Path(__file__).resolve().parent / "commune_framework.csv"
DEMO_FRAMEWORK_NAME = "Bộ chỉ số CCHC cấp xã"
DEMO_YEARS = (2020, 2024)
QUARTER = Decimal("0.25")

# Commune code → how well it does in (2020, 2021): the share of each criterion's points it
# earns on average. 2021 reshuffles the order so the ranking shows movement both ways.
DEMO_QUALITY = {
    "001.37.H21": (Decimal("0.93"), Decimal("0.95")),
    "002.37.H21": (Decimal("0.84"), Decimal("0.78")),
    "003.37.H21": (Decimal("0.72"), Decimal("0.86")),
    "004.37.H21": (Decimal("0.81"), Decimal("0.81")),
    "005.37.H21": (Decimal("0.66"), Decimal("0.70")),
    "006.37.H21": (Decimal("0.58"), Decimal("0.61")),
}
# Submitted for 2021 but not appraised yet: shows the committee's queue.
DEMO_AWAITING = "007.37.H21"


@dataclass(frozen=True)
class DemoParIndex:
    framework: Framework
    assessments: int


def _quarters(value: Decimal, maximum: Decimal) -> Decimal:
    """A score rounded to a quarter point, between 0 and the maximum."""
    rounded = (value / QUARTER).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * QUARTER
    return min(maximum, max(Decimal("0"), rounded))


def _demo_scores(framework: Framework, seed: int, quality: Decimal) -> dict[int, tuple]:
    """Criterion id → (self score, appraised score): deterministic, varied per criterion; the
    unit rates itself a little higher than the committee on some criteria, as units do."""
    scores = {}
    leaves = framework.criteria.filter(is_leaf=True).order_by("sort_key")
    for index, criterion in enumerate(leaves):
        swing = Decimal((index * 7 + seed * 3) % 5 - 2) * Decimal("0.06")
        appraised = _quarters(criterion.max_points * (quality + swing), criterion.max_points)
        generous = QUARTER if (index + seed) % 4 == 0 else Decimal("0")
        self_score = (
            None
            if criterion.method == ScoringMethod.SURVEY
            else min(criterion.max_points, appraised + generous)
        )
        scores[criterion.pk] = (self_score, appraised)
    return scores


def _demo_framework() -> Framework:
    existing = Framework.objects.filter(name=DEMO_FRAMEWORK_NAME).order_by("-version").first()
    if existing is not None:
        return existing
    result = framework_import(
        rows=read_rows(DEMO_FRAMEWORK, required=FRAMEWORK_REQUIRED_COLUMNS),
        name=DEMO_FRAMEWORK_NAME,
        year_from=DEMO_YEARS[0],
        year_to=DEMO_YEARS[1],
        level=UnitLevel.COMMUNE,
        source_filename=DEMO_FRAMEWORK.name,
    )
    if not result.ok:
        raise ValueError("\n".join(result.errors.lines()))
    return framework_publish(framework=result.framework, by=None)


def _demo_assessment(
    framework: Framework, unit: Unit, year: int, quality: Decimal, *, appraise: bool
) -> bool:
    assessment = assessment_start(framework=framework, unit=unit, year=year, by=None)
    if assessment.status != AssessmentStatus.DRAFT:
        return False
    scores = _demo_scores(framework, seed=int(unit.code[:3]) + year, quality=quality)
    assessment_self_scores_save(
        assessment=assessment,
        entries={
            pk: Entry(score=self_score, text="Có báo cáo, tài liệu kiểm chứng kèm theo.")
            for pk, (self_score, _) in scores.items()
            if self_score is not None
        },
        by=None,
    )
    assessment_submit(assessment=assessment, by=None)
    if appraise:
        assessment_appraisal_save(
            assessment=assessment,
            entries={
                pk: Entry(
                    score=appraised,
                    text="" if self_score in (None, appraised) else "Tài liệu kiểm chứng chưa đủ.",
                )
                for pk, (self_score, appraised) in scores.items()
            },
            by=None,
        )
        assessment_appraisal_complete(assessment=assessment, by=None)
    return True


def demo_parindex_load() -> DemoParIndex:
    """The published demo framework, 2020 and 2021 appraised for six communes, and one 2021
    self-assessment waiting for the committee. Needs the demo units."""
    with transaction.atomic():
        framework = _demo_framework()
        units = {unit.code: unit for unit in Unit.objects.filter(level=UnitLevel.COMMUNE)}
        created = 0
        for code, qualities in DEMO_QUALITY.items():
            if code not in units:
                continue
            for year, quality in zip((2020, 2021), qualities, strict=True):
                created += _demo_assessment(framework, units[code], year, quality, appraise=True)
        if DEMO_AWAITING in units:
            created += _demo_assessment(
                framework, units[DEMO_AWAITING], 2021, Decimal("0.75"), appraise=False
            )
    return DemoParIndex(
        framework=framework,
        assessments=Assessment.objects.filter(framework=framework).count(),
    )
