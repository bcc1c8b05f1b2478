"""Self-assessment and appraisal services: states, limits and the audit trail."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from committee.parindex import services
from committee.parindex.models import AssessmentStatus, Evidence, FrameworkStatus, Score
from committee.parindex.services import Entry
from org.models import UnitLevel
from tests.parindex.conftest import leaf, small_framework

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = Decimal
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def self_scores(framework, **by_code: str) -> dict[int, Entry]:
    return {
        leaf(framework, code.replace("_", ".")).pk: Entry(score=D(value), text="Có kế hoạch")
        for code, value in by_code.items()
    }


FULL_SELF = {"1_1_1": "2.5", "1_1_2": "3", "1_2": "3.75", "2_1": "7"}


def submitted(framework, unit, user):
    assessment = services.assessment_start(framework=framework, unit=unit, year=2021, by=user)
    services.assessment_self_scores_save(
        assessment=assessment, entries=self_scores(framework, **FULL_SELF), by=user
    )
    return services.assessment_submit(assessment=assessment, by=user)


def test_it_starts_an_assessment_with_one_empty_score_per_leaf(
    framework, commune, commune_officer
) -> None:
    assessment = services.assessment_start(
        framework=framework, unit=commune, year=2021, by=commune_officer
    )
    assert assessment.status == AssessmentStatus.DRAFT
    assert sorted(assessment.scores.values_list("criterion__code", flat=True)) == [
        "1.1.1", "1.1.2", "1.2", "2.1", "2.2",
    ]  # fmt: skip
    again = services.assessment_start(
        framework=framework, unit=commune, year=2021, by=commune_officer
    )
    assert again == assessment
    assert AuditEntry.objects.filter(action="create", object_id=str(assessment.pk)).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"year": 2019}, "applies to 2020–2022, not 2019"),
        ({"level": UnitLevel.DISTRICT}, "assesses units of level"),
        ({"draft": True}, "Only a published framework"),
    ],
)
def test_it_refuses_to_start_against_the_wrong_framework(commune, change, message) -> None:
    framework = small_framework(publish=not change.get("draft"))
    unit = commune
    if "level" in change:
        unit.level = change["level"]
    with pytest.raises(ValidationError, match=message):
        services.assessment_start(
            framework=framework, unit=unit, year=change.get("year", 2021), by=None
        )


def test_it_saves_self_scores_and_audits_each_change(framework, commune, commune_officer) -> None:
    assessment = services.assessment_start(framework=framework, unit=commune, year=2021, by=None)
    changed = services.assessment_self_scores_save(
        assessment=assessment, entries=self_scores(framework, **FULL_SELF), by=commune_officer
    )
    assert changed == 4
    score = Score.objects.get(assessment=assessment, criterion__code="1.2")
    assert (score.self_score, score.explanation) == (D("3.75"), "Có kế hoạch")
    entry = AuditEntry.objects.get(action="self_assess", object_id=str(score.pk))
    assert entry.actor == commune_officer
    assert entry.unit == commune
    assert entry.changes["self_score"] == [None, "3.75"]
    # Saving the same again changes nothing and writes no entry.
    assert (
        services.assessment_self_scores_save(
            assessment=assessment, entries=self_scores(framework, **FULL_SELF), by=None
        )
        == 0
    )
    assert AuditEntry.objects.filter(action="self_assess").count() == 4


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("1_2", "4.01", "1.2: the score must be between 0 and 4"),
        ("1_2", "-0.5", "1.2: the score must be between 0 and 4"),
        ("1_1_1", "1.255", "1.1.1: at most two decimal places"),
    ],
)
def test_it_refuses_scores_outside_0_to_max(framework, commune, code, value, message) -> None:
    assessment = services.assessment_start(framework=framework, unit=commune, year=2021, by=None)
    with pytest.raises(ValidationError, match=message):
        services.assessment_self_scores_save(
            assessment=assessment, entries=self_scores(framework, **{code: value}), by=None
        )
    assert not Score.objects.filter(self_score__isnull=False).exists()


def test_it_keeps_survey_criteria_out_of_the_self_assessment(framework, commune) -> None:
    assessment = services.assessment_start(framework=framework, unit=commune, year=2021, by=None)
    with pytest.raises(ValidationError, match="cannot be scored here"):
        services.assessment_self_scores_save(
            assessment=assessment, entries=self_scores(framework, **{"2_2": "3"}), by=None
        )


def test_it_submits_only_a_complete_self_assessment_and_then_locks_it(
    framework, commune, commune_officer
) -> None:
    assessment = services.assessment_start(framework=framework, unit=commune, year=2021, by=None)
    services.assessment_self_scores_save(
        assessment=assessment, entries=self_scores(framework, **{"1_2": "4"}), by=None
    )
    with pytest.raises(ValidationError, match=re.escape("missing: 1.1.1, 1.1.2, 2.1")):
        services.assessment_submit(assessment=assessment, by=commune_officer)
    services.assessment_self_scores_save(
        assessment=assessment, entries=self_scores(framework, **FULL_SELF), by=None
    )
    assessment = services.assessment_submit(assessment=assessment, by=commune_officer)
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_by == commune_officer
    entry = AuditEntry.objects.get(action="submit", object_id=str(assessment.pk))
    assert entry.changes["status"] == ["draft", "submitted"]
    with pytest.raises(ValidationError, match="submitted and is locked"):
        services.assessment_self_scores_save(
            assessment=assessment, entries=self_scores(framework, **{"1_2": "0"}), by=None
        )


def test_the_committee_appraises_every_leaf_including_surveys(
    framework, commune, commune_officer, committee_member
) -> None:
    assessment = submitted(framework, commune, commune_officer)
    entries = {
        leaf(framework, "1.1.1").pk: Entry(D("2"), "Kế hoạch ban hành chậm"),
        leaf(framework, "1.1.2").pk: Entry(D("3"), ""),
        leaf(framework, "1.2").pk: Entry(D("3.5"), ""),
        leaf(framework, "2.1").pk: Entry(D("6.25"), ""),
    }
    services.assessment_appraisal_save(assessment=assessment, entries=entries, by=committee_member)
    with pytest.raises(ValidationError, match=re.escape("missing: 2.2")):
        services.assessment_appraisal_complete(assessment=assessment, by=committee_member)
    services.assessment_appraisal_save(
        assessment=assessment,
        entries={leaf(framework, "2.2").pk: Entry(D("2.4"), "Khảo sát 120 phiếu")},
        by=committee_member,
    )
    assessment = services.assessment_appraisal_complete(assessment=assessment, by=committee_member)
    assert assessment.status == AssessmentStatus.APPRAISED
    score = Score.objects.get(assessment=assessment, criterion__code="1.1.1")
    assert (score.appraised_score, score.appraisal_note) == (D("2"), "Kế hoạch ban hành chậm")
    assert AuditEntry.objects.filter(action="appraise", actor=committee_member).count() == 5
    assert AuditEntry.objects.filter(
        action="complete_appraisal", object_id=str(assessment.pk)
    ).exists()
    with pytest.raises(ValidationError, match="Only a submitted"):
        services.assessment_appraisal_save(assessment=assessment, entries=entries, by=None)


def test_appraisal_waits_for_submission(framework, commune) -> None:
    assessment = services.assessment_start(framework=framework, unit=commune, year=2021, by=None)
    with pytest.raises(ValidationError, match="Only a submitted"):
        services.assessment_appraisal_save(
            assessment=assessment,
            entries={leaf(framework, "2.2").pk: Entry(D("1"))},
            by=None,
        )


def test_the_committee_can_return_and_reopen(
    framework, commune, commune_officer, committee_member
) -> None:
    assessment = submitted(framework, commune, commune_officer)
    assessment = services.assessment_return(assessment=assessment, by=committee_member)
    assert assessment.status == AssessmentStatus.DRAFT
    assert AuditEntry.objects.filter(action="return", object_id=str(assessment.pk)).exists()
    services.assessment_submit(assessment=assessment, by=commune_officer)
    services.assessment_appraisal_save(
        assessment=assessment,
        entries={c.pk: Entry(c.max_points) for c in framework.criteria.filter(is_leaf=True)},
        by=committee_member,
    )
    services.assessment_appraisal_complete(assessment=assessment, by=committee_member)
    assessment = services.assessment_appraisal_reopen(assessment=assessment, by=committee_member)
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_it_stores_evidence_and_checks_size_and_type(
    framework, commune, commune_officer, settings
) -> None:
    assessment = services.assessment_start(framework=framework, unit=commune, year=2021, by=None)
    criterion = leaf(framework, "1.1.1")
    evidence = services.evidence_add(
        assessment=assessment,
        criterion=criterion,
        upload=SimpleUploadedFile("Kế hoạch CCHC 2021.pdf", PDF),
        by=commune_officer,
    )
    assert evidence.filename == "Kế hoạch CCHC 2021.pdf"
    assert evidence.size == len(PDF)
    assert evidence.file.read() == PDF
    assert AuditEntry.objects.filter(action="create", object_id=str(evidence.pk)).exists()

    with pytest.raises(ValidationError, match="this type of file is not accepted"):
        services.evidence_check(SimpleUploadedFile("virus.exe", b"MZ\x90\x00"))
    with pytest.raises(ValidationError, match="not a real PDF file"):
        services.evidence_check(SimpleUploadedFile("fake.pdf", b"MZ\x90\x00"))
    with pytest.raises(ValidationError, match="is empty"):
        services.evidence_check(SimpleUploadedFile("empty.pdf", b""))
    services.EVIDENCE_MAX_BYTES, previous = 10, services.EVIDENCE_MAX_BYTES
    try:
        with pytest.raises(ValidationError, match="the limit is 10"):
            services.evidence_check(SimpleUploadedFile("big.pdf", PDF))
    finally:
        services.EVIDENCE_MAX_BYTES = previous


def test_it_deletes_evidence_only_while_the_draft_is_open(
    framework, commune, commune_officer, django_capture_on_commit_callbacks
) -> None:
    assessment = services.assessment_start(framework=framework, unit=commune, year=2021, by=None)
    evidence = services.evidence_add(
        assessment=assessment,
        criterion=leaf(framework, "1.2"),
        upload=SimpleUploadedFile("bao-cao.pdf", PDF),
        by=commune_officer,
    )
    storage, name, evidence_pk = evidence.file.storage, evidence.file.name, evidence.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(evidence=evidence, by=commune_officer)
    assert not Evidence.objects.exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.filter(action="delete", object_id=str(evidence_pk)).exists()

    kept = services.evidence_add(
        assessment=assessment,
        criterion=leaf(framework, "1.2"),
        upload=SimpleUploadedFile("bao-cao.pdf", PDF),
        by=commune_officer,
    )
    services.assessment_self_scores_save(
        assessment=assessment, entries=self_scores(framework, **FULL_SELF), by=None
    )
    services.assessment_submit(assessment=assessment, by=commune_officer)
    with pytest.raises(ValidationError, match="locked"):
        services.evidence_delete(evidence=kept, by=commune_officer)
    with pytest.raises(ValidationError, match="locked"):
        services.evidence_add(
            assessment=assessment,
            criterion=leaf(framework, "1.2"),
            upload=SimpleUploadedFile("them.pdf", PDF),
            by=commune_officer,
        )


def test_publishing_freezes_and_a_published_framework_is_never_deleted(committee_member) -> None:
    draft = small_framework(publish=False)
    framework = services.framework_publish(framework=draft, by=committee_member)
    assert framework.status == FrameworkStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="publish", object_id=str(framework.pk)).exists()
    with pytest.raises(ValidationError, match="already published"):
        services.framework_publish(framework=framework, by=committee_member)
    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.framework_delete(framework=framework, by=committee_member)
    other = small_framework(publish=False, name="Nháp")
    services.framework_delete(framework=other, by=committee_member)
    assert AuditEntry.objects.filter(action="delete", object_id=str(other.pk)).exists()
