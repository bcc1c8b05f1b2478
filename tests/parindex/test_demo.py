"""The demo PAR index loads on the demo district, twice without change."""

from __future__ import annotations

import pytest

from committee.parindex.demo import DEMO_AWAITING, demo_parindex_load
from committee.parindex.models import AssessmentStatus, FrameworkStatus
from committee.parindex.selectors import par_ranking
from org.demo import demo_organisation_load
from org.models import Unit

pytestmark = pytest.mark.django_db


def test_it_loads_a_published_framework_and_ranked_communes_idempotently() -> None:
    demo_organisation_load(password="cchc-demo")
    first = demo_parindex_load()
    framework = first.framework
    assert framework.status == FrameworkStatus.PUBLISHED
    assert framework.criteria.filter(is_leaf=True).count() == 53
    assert first.assessments == 13
    awaiting = framework.assessments.get(unit__code=DEMO_AWAITING)
    assert awaiting.status == AssessmentStatus.SUBMITTED
    again = demo_parindex_load()
    assert (again.framework, again.assessments) == (framework, 13)

    superuser = type(
        "Root", (), {"is_authenticated": True, "is_active": True, "is_superuser": True}
    )
    ranking = par_ranking(framework=framework, year=2021, user=superuser())
    ranked = [row for row in ranking.rows if row.rank is not None]
    assert len(ranked) == 6
    assert ranked[0].unit == Unit.objects.get(code="001.37.H21")
    assert all(row.previous_rank is not None for row in ranked)
    assert {row.change for row in ranked} - {0, None}  # some units moved
    assert ranking.lowest and all(row.losses for row in ranking.lowest)
