"""Building assessments in a given state for the page tests."""

from __future__ import annotations

from decimal import Decimal

from committee.parindex import services
from committee.parindex.models import Assessment, Framework, ScoringMethod
from committee.parindex.services import Entry
from org.models import Unit


def appraised_assessment(
    framework: Framework,
    unit: Unit,
    year: int,
    appraised: dict[str, str],
    *,
    self_scores: dict[str, str] | None = None,
    complete: bool = True,
) -> Assessment:
    """An assessment submitted with ``self_scores`` (default: the appraised ones) and appraised
    with ``appraised`` (code → points; leaves not named score 0)."""
    leaves = {c.code: c for c in framework.criteria.filter(is_leaf=True)}
    self_scores = self_scores or appraised
    assessment = services.assessment_start(framework=framework, unit=unit, year=year, by=None)
    services.assessment_self_scores_save(
        assessment=assessment,
        entries={
            c.pk: Entry(Decimal(self_scores.get(code, "0")))
            for code, c in leaves.items()
            if c.method == ScoringMethod.SELF_ASSESSED
        },
        by=None,
    )
    services.assessment_submit(assessment=assessment, by=None)
    services.assessment_appraisal_save(
        assessment=assessment,
        entries={c.pk: Entry(Decimal(appraised.get(code, "0"))) for code, c in leaves.items()},
        by=None,
    )
    if complete:
        services.assessment_appraisal_complete(assessment=assessment, by=None)
    assessment.refresh_from_db()
    return assessment
