"""Writes of the PAR index; each one transaction with its audit entries.

Permissions are the views' job (see ``selectors``); these functions check the state: a
published framework is frozen, a submitted self-assessment is locked for the unit, scores lie
between 0 and the criterion's maximum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_entry, audit_record, snapshot
from committee.attachments import attachment_validate
from org.models import Unit

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

# Evidence files: the committee's attachment rules (type checked by content), own size limit.
EVIDENCE_MAX_BYTES = getattr(settings, "PARINDEX_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


@dataclass(frozen=True)
class Entry:
    """What a form posts for one leaf criterion: a score (None = not scored) and a text."""

    score: Decimal | None
    text: str = ""


# --- frameworks ------------------------------------------------------------------------------


def framework_publish(*, framework: Framework, by: AbstractBaseUser | None) -> Framework:
    with transaction.atomic():
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        if framework.status != FrameworkStatus.DRAFT:
            raise ValidationError(_("This framework is already published."))
        if not framework.criteria.exists():
            raise ValidationError(_("A framework without criteria cannot be published."))
        before = snapshot(framework)
        framework.status = FrameworkStatus.PUBLISHED
        framework.published_at = timezone.now()
        framework.save(update_fields=["status", "published_at"])
        audit_record(
            actor=by, action="publish", instance=framework, before=before, after=snapshot(framework)
        )
    return framework


def framework_delete(*, framework: Framework, by: AbstractBaseUser | None) -> None:
    """Delete a draft (a mistaken import); a published framework is never deleted."""
    with transaction.atomic():
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        if framework.status != FrameworkStatus.DRAFT:
            raise ValidationError(_("A published framework cannot be deleted."))
        audit_record(actor=by, action="delete", instance=framework, before=snapshot(framework))
        framework.delete()


# --- self-assessment -------------------------------------------------------------------------


def assessment_start(
    *, framework: Framework, unit: Unit, year: int, by: AbstractBaseUser | None
) -> Assessment:
    """The unit's assessment for the year under the framework, created with an empty score
    row per scored criterion if it does not exist yet."""
    if framework.status != FrameworkStatus.PUBLISHED:
        raise ValidationError(_("Only a published framework can be assessed against."))
    if framework.level != unit.level:
        raise ValidationError(
            _("This framework assesses units of level %(level)s.")
            % {"level": framework.get_level_display()}
        )
    if not framework.covers(year):
        raise ValidationError(
            _("This framework applies to %(years)s, not %(year)d.")
            % {"years": framework.years_label, "year": year}
        )
    with transaction.atomic():
        assessment, created = Assessment.objects.get_or_create(
            framework=framework, unit=unit, year=year
        )
        if created:
            leaves = framework.criteria.filter(is_leaf=True).values_list("pk", flat=True)
            Score.objects.bulk_create(
                [Score(assessment=assessment, criterion_id=pk) for pk in leaves]
            )
            audit_record(actor=by, action="create", instance=assessment, unit=unit)
    return assessment


def _user_or_none(by: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None


def _assessment_move(
    assessment: Assessment,
    *,
    status: str,
    action: str,
    by: AbstractBaseUser | None,
    stamped: str = "",
    **stamps,
) -> None:
    """Move a locked assessment to ``status`` (with its date / user ``stamps``; ``stamped``:
    ``<stamped>_at`` now and ``<stamped>_by`` the user) and audit it."""
    if stamped:
        stamps |= {f"{stamped}_at": timezone.now(), f"{stamped}_by": _user_or_none(by)}
    before = snapshot(assessment)
    assessment.status = status
    for field, value in stamps.items():
        setattr(assessment, field, value)
    assessment.save(update_fields=["status", *stamps])
    audit_record(
        actor=by,
        action=action,
        instance=assessment,
        before=before,
        after=snapshot(assessment),
        unit=assessment.unit,
    )


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update()
        .select_related("framework", "unit")
        .get(pk=assessment.pk)
    )


def _locked_in(assessment: Assessment, status: str, refusal: str) -> Assessment:
    """The assessment locked for a step allowed only in ``status``; ``refusal`` otherwise."""
    locked = _locked(assessment)
    if locked.status != status:
        raise ValidationError(refusal)
    return locked


def _missing_refused(missing: list[str], message: str) -> None:
    """Refuse a step with ``message`` (naming the %(codes)s) while criteria are ``missing``."""
    if missing:
        raise ValidationError(message % {"codes": ", ".join(missing)})


def _leaves(assessment: Assessment) -> dict[int, Criterion]:
    return {c.pk: c for c in assessment.framework.criteria.filter(is_leaf=True)}


def _check_points(criterion: Criterion, value: Decimal | None) -> list[str]:
    if value is None:
        return []
    if value < 0 or value > criterion.max_points:
        return [
            _("%(code)s: the score must be between 0 and %(max)s.")
            % {"code": criterion.code, "max": criterion.max_points}
        ]
    if value != value.quantize(Decimal("0.01")):
        return [_("%(code)s: at most two decimal places.") % {"code": criterion.code}]
    return []


def _scores_update(
    *,
    assessment: Assessment,
    entries: Mapping[int, Entry],
    allowed: Mapping[int, Criterion],
    score_field: str,
    text_field: str,
    action: str,
    by: AbstractBaseUser | None,
) -> int:
    problems: list[str] = []
    for criterion_id, entry in entries.items():
        criterion = allowed.get(criterion_id)
        if criterion is None:
            problems.append(_("Criterion %(id)s cannot be scored here.") % {"id": criterion_id})
            continue
        problems += _check_points(criterion, entry.score)
    if problems:
        raise ValidationError(problems)
    scores = {
        score.criterion_id: score
        for score in assessment.scores.filter(criterion_id__in=list(entries))
    }
    changed: list[Score] = []
    audit_entries: list[AuditEntry] = []
    for criterion_id, entry in entries.items():
        score = scores.get(criterion_id) or Score(assessment=assessment, criterion_id=criterion_id)
        before = snapshot(score) if score.pk else None
        new_score = None if entry.score is None else entry.score.quantize(Decimal("0.01"))
        if getattr(score, score_field) == new_score and getattr(score, text_field) == entry.text:
            continue
        setattr(score, score_field, new_score)
        setattr(score, text_field, entry.text)
        score.save()
        changed.append(score)
        audit_entries.append(
            audit_entry(
                actor=by,
                action=action,
                instance=score,
                before=before,
                after=snapshot(score),
                unit=assessment.unit,
            )
        )
    AuditEntry.objects.bulk_create(audit_entries)
    return len(changed)


def assessment_self_scores_save(
    *, assessment: Assessment, entries: Mapping[int, Entry], by: AbstractBaseUser | None
) -> int:
    """The unit's scores and explanations for self-assessed leaves; returns how many changed."""
    with transaction.atomic():
        assessment = _locked(assessment)
        if not assessment.is_editable_by_unit:
            raise ValidationError(_("This self-assessment has been submitted and is locked."))
        allowed = {
            pk: c
            for pk, c in _leaves(assessment).items()
            if c.method == ScoringMethod.SELF_ASSESSED
        }
        return _scores_update(
            assessment=assessment,
            entries=entries,
            allowed=allowed,
            score_field="self_score",
            text_field="explanation",
            action="self_assess",
            by=by,
        )


def assessment_submit(*, assessment: Assessment, by: AbstractBaseUser | None) -> Assessment:
    """Send the self-assessment to the committee; from now on the unit cannot change it."""
    with transaction.atomic():
        assessment = _locked_in(
            assessment,
            AssessmentStatus.DRAFT,
            _("This self-assessment has already been submitted."),
        )
        missing = [
            c.code
            for c in assessment.framework.criteria.filter(
                is_leaf=True, method=ScoringMethod.SELF_ASSESSED
            )
            .exclude(
                pk__in=assessment.scores.filter(self_score__isnull=False).values("criterion_id")
            )
            .order_by("sort_key")
        ]
        _missing_refused(
            missing, _("Score every self-assessed criterion before submitting; missing: %(codes)s.")
        )
        _assessment_move(
            assessment,
            status=AssessmentStatus.SUBMITTED,
            action="submit",
            by=by,
            stamped="submitted",
        )
    return assessment


def assessment_return(*, assessment: Assessment, by: AbstractBaseUser | None) -> Assessment:
    """The committee sends a submitted self-assessment back to the unit for corrections."""
    with transaction.atomic():
        assessment = _locked_in(
            assessment,
            AssessmentStatus.SUBMITTED,
            _("Only a submitted self-assessment can be returned."),
        )
        _assessment_move(assessment, status=AssessmentStatus.DRAFT, action="return", by=by)
    return assessment


def evidence_check(upload: UploadedFile) -> str:
    """The upload's extension, after checking its size and that its content matches it."""
    return attachment_validate(upload, max_bytes=EVIDENCE_MAX_BYTES)


def evidence_add(
    *,
    assessment: Assessment,
    criterion: Criterion,
    upload: UploadedFile,
    by: AbstractBaseUser | None,
) -> Evidence:
    evidence_check(upload)
    with transaction.atomic():
        assessment = _locked(assessment)
        if not assessment.is_editable_by_unit:
            raise ValidationError(_("This self-assessment has been submitted and is locked."))
        if criterion.framework_id != assessment.framework_id or not criterion.is_leaf:
            raise ValidationError(_("Evidence belongs to a scored criterion of this framework."))
        filename = Path(upload.name or "").name[:255]
        evidence = Evidence(
            assessment=assessment,
            criterion=criterion,
            filename=filename,
            size=upload.size,
            uploaded_by=_user_or_none(by),
        )
        evidence.file.save(filename, upload, save=False)
        evidence.save()
        audit_record(actor=by, action="create", instance=evidence, unit=assessment.unit)
    return evidence


def evidence_delete(*, evidence: Evidence, by: AbstractBaseUser | None) -> None:
    with transaction.atomic():
        assessment = _locked(evidence.assessment)
        if not assessment.is_editable_by_unit:
            raise ValidationError(_("This self-assessment has been submitted and is locked."))
        audit_record(
            actor=by,
            action="delete",
            instance=evidence,
            before=snapshot(evidence),
            unit=assessment.unit,
        )
        storage, name = evidence.file.storage, evidence.file.name
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(name))


# --- appraisal -------------------------------------------------------------------------------


def assessment_appraisal_save(
    *, assessment: Assessment, entries: Mapping[int, Entry], by: AbstractBaseUser | None
) -> int:
    """The committee's scores and notes, for every leaf (survey-based ones included)."""
    with transaction.atomic():
        assessment = _locked_in(
            assessment,
            AssessmentStatus.SUBMITTED,
            _("Only a submitted self-assessment can be appraised."),
        )
        return _scores_update(
            assessment=assessment,
            entries=entries,
            allowed=_leaves(assessment),
            score_field="appraised_score",
            text_field="appraisal_note",
            action="appraise",
            by=by,
        )


def assessment_appraisal_complete(
    *, assessment: Assessment, by: AbstractBaseUser | None
) -> Assessment:
    """Close the appraisal: every leaf has an appraised score; the unit then enters the
    ranking."""
    with transaction.atomic():
        assessment = _locked_in(
            assessment,
            AssessmentStatus.SUBMITTED,
            _("Only a submitted self-assessment can be appraised."),
        )
        missing = list(
            assessment.scores.filter(appraised_score__isnull=True)
            .order_by("criterion__sort_key")
            .values_list("criterion__code", flat=True)
        )
        _missing_refused(
            missing, _("Appraise every criterion before completing; missing: %(codes)s.")
        )
        _assessment_move(
            assessment,
            status=AssessmentStatus.APPRAISED,
            action="complete_appraisal",
            by=by,
            stamped="appraised",
        )
    return assessment


def assessment_appraisal_reopen(
    *, assessment: Assessment, by: AbstractBaseUser | None
) -> Assessment:
    """Reopen a completed appraisal to correct it (the unit leaves the ranking meanwhile)."""
    with transaction.atomic():
        assessment = _locked_in(
            assessment, AssessmentStatus.APPRAISED, _("This appraisal is not complete.")
        )
        _assessment_move(
            assessment,
            status=AssessmentStatus.SUBMITTED,
            action="reopen_appraisal",
            by=by,
            appraised_at=None,
        )
    return assessment
