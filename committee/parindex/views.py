"""Pages of the PAR index: frameworks, self-assessments, appraisal and the ranking."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from org.tabular import TabularError, TabularFile

from . import services
from .forms import (
    AppraisalForm,
    AssessmentStartForm,
    EvidenceForm,
    FrameworkImportForm,
    RankingForm,
    SelfAssessmentForm,
)
from .imports import FRAMEWORK_REQUIRED_COLUMNS, framework_import
from .models import Assessment, AssessmentStatus, Evidence, FrameworkStatus, ScoringMethod
from .scoring import configured_bands
from .selectors import (
    Sheet,
    assessment_sheet,
    assessments_editable_by,
    assessments_visible_to,
    criteria_of,
    frameworks_open_to,
    frameworks_visible_to,
    is_committee,
    own_unit,
    par_ranking,
    ranking_default,
)

View = Callable[..., HttpResponse]


def committee_required(view: View) -> View:
    """Committee members and administrators only (403 for other staff)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_committee(request.user):
            raise PermissionDenied(_("Only the steering committee may do this."))
        return view(request, *args, **kwargs)

    return wrapped


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- overview --------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    unit = own_unit(user)
    committee = is_committee(user)
    start_form = None
    if unit is not None:
        frameworks = frameworks_open_to(unit)
        if frameworks.exists():
            start_form = AssessmentStartForm(frameworks=frameworks)
    visible = assessments_visible_to(user).order_by("-year", "unit__code")
    return render(
        request,
        "parindex/index.html",
        {
            "unit": unit,
            "is_committee": committee,
            "own_assessments": assessments_editable_by(user).order_by("-year"),
            "start_form": start_form,
            "to_appraise": (
                visible.filter(status=AssessmentStatus.SUBMITTED) if committee else None
            ),
            "visible_assessments": visible[:200],
        },
    )


# --- frameworks ------------------------------------------------------------------------------


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "parindex/framework_list.html",
        {
            "frameworks": frameworks_visible_to(request.user),
            "is_committee": is_committee(request.user),
        },
    )


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(frameworks_visible_to(request.user), pk=pk)
    criteria = criteria_of(framework)
    return render(
        request,
        "parindex/framework_detail.html",
        {
            "framework": framework,
            "criteria": criteria,
            "leaf_count": sum(1 for c in criteria if c.is_leaf),
            "survey_count": sum(1 for c in criteria if c.method == ScoringMethod.SURVEY),
            "maximum": sum(c.max_points for c in criteria if c.parent_id is None),
            "bands": configured_bands(framework.bands),
            "is_committee": is_committee(request.user),
        },
    )


def _step_run(request: HttpRequest, step: Callable[[], Any], success: str) -> bool:
    """Run one service step and tell the user: its success message, or its errors. Whether
    it ran."""
    try:
        step()
    except ValidationError as error:
        _errors_to_messages(request, error)
        return False
    messages.success(request, success)
    return True


@require_POST
@committee_required
def framework_publish(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(frameworks_visible_to(request.user), pk=pk)
    _step_run(
        request,
        lambda: services.framework_publish(framework=framework, by=request.user),
        _("The framework is published and can no longer change."),
    )
    return redirect("parindex:framework_detail", pk=framework.pk)


@require_POST
@committee_required
def framework_delete(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(frameworks_visible_to(request.user), pk=pk)
    deleted = _step_run(
        request,
        lambda: services.framework_delete(framework=framework, by=request.user),
        _("The draft framework was deleted."),
    )
    if not deleted:
        return redirect("parindex:framework_detail", pk=framework.pk)
    return redirect("parindex:framework_list")


@committee_required
def framework_import_upload(request: HttpRequest) -> HttpResponse:
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"framework{suffix}"
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                with TabularFile(path, required=FRAMEWORK_REQUIRED_COLUMNS) as table:
                    result = framework_import(
                        rows=table,
                        name=form.cleaned_data["name"],
                        year_from=form.cleaned_data["year_from"],
                        year_to=form.cleaned_data["year_to"],
                        level=form.cleaned_data["level"],
                        source_filename=Path(upload.name).name,
                        by=request.user,
                    )
            except TabularError as error:
                # The reader names the temporary file; the user knows it by its own name.
                errors = [str(error).replace(path.name, Path(upload.name).name)]
            except ValidationError as error:
                errors = list(error.messages)
            else:
                if result.ok:
                    messages.success(
                        request,
                        _("Imported %(count)d criteria as a draft; check them, then publish.")
                        % {"count": result.criteria},
                    )
                    return redirect("parindex:framework_detail", pk=result.framework.pk)
                errors = result.errors.lines()
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "parindex/framework_import.html",
        {"form": form, "errors": errors, "columns": FRAMEWORK_REQUIRED_COLUMNS},
        status=status,
    )


# --- self-assessment -------------------------------------------------------------------------


@require_POST
@login_required
def assessment_start(request: HttpRequest) -> HttpResponse:
    unit = own_unit(request.user)
    if unit is None:
        raise Http404
    form = AssessmentStartForm(request.POST, frameworks=frameworks_open_to(unit))
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("parindex:index")
    try:
        assessment = services.assessment_start(
            framework=form.cleaned_data["framework"],
            unit=unit,
            year=form.cleaned_data["year"],
            by=request.user,
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect("parindex:index")
    return redirect("parindex:assessment_edit", pk=assessment.pk)


def _user_flags(request: HttpRequest, assessment: Assessment) -> dict[str, bool]:
    own = assessments_editable_by(request.user).filter(pk=assessment.pk).exists()
    committee = is_committee(request.user)
    return {
        "can_edit": own and assessment.status == AssessmentStatus.DRAFT,
        "can_appraise": committee and assessment.status == AssessmentStatus.SUBMITTED,
        "can_reopen": committee and assessment.status == AssessmentStatus.APPRAISED,
        "is_committee": committee,
    }


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(assessments_visible_to(request.user), pk=pk)
    return render(
        request,
        "parindex/assessment_detail.html",
        {"sheet": assessment_sheet(assessment), **_user_flags(request, assessment)},
    )


def _form_rows(sheet: Sheet, form: SelfAssessmentForm | AppraisalForm) -> list[tuple]:
    """Each sheet row with its (score, text) fields, or None where the form has none."""
    pairs = form.field_pairs()
    return [(row, pairs.get(row.criterion.pk)) for row in sheet.rows]


def _leaf_criteria(assessment: Assessment, *, survey: bool) -> list:
    return [
        c
        for c in criteria_of(assessment.framework)
        if c.is_leaf and (survey or c.method == ScoringMethod.SELF_ASSESSED)
    ]


@dataclass(frozen=True)
class _ScoringPage:
    """A scoring page (self-assessment, appraisal): how its scores are saved, which button
    finishes the step (submit, complete) and what the officer is told."""

    save: Callable[..., Any]
    finish: Callable[..., Any]
    finish_key: str
    finished_message: str
    saved_message: str
    url_name: str
    template: str


SELF_ASSESSMENT_PAGE = _ScoringPage(
    save=services.assessment_self_scores_save,
    finish=services.assessment_submit,
    finish_key="submit",
    finished_message=gettext_lazy("The self-assessment was sent to the committee."),
    saved_message=gettext_lazy("Your scores were saved."),
    url_name="parindex:assessment_edit",
    template="parindex/assessment_edit.html",
)
APPRAISAL_PAGE = _ScoringPage(
    save=services.assessment_appraisal_save,
    finish=services.assessment_appraisal_complete,
    finish_key="complete",
    finished_message=gettext_lazy("The appraisal is complete."),
    saved_message=gettext_lazy("The appraisal scores were saved."),
    url_name="parindex:assessment_appraise",
    template="parindex/assessment_appraise.html",
)


def _scoring_page(
    request: HttpRequest, assessment: Assessment, form, page: _ScoringPage, **context: Any
) -> HttpResponse:
    """The page with its form; a valid post is saved (and the step finished on request)."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            return _scores_save(request, assessment, form, page)
        status = 400
    sheet = assessment_sheet(assessment)
    return render(
        request,
        page.template,
        {"sheet": sheet, "form": form, "form_rows": _form_rows(sheet, form), **context},
        status=status,
    )


def _scores_save(
    request: HttpRequest, assessment: Assessment, form, page: _ScoringPage
) -> HttpResponse:
    try:
        page.save(assessment=assessment, entries=form.entries(), by=request.user)
        if page.finish_key in request.POST:
            page.finish(assessment=assessment, by=request.user)
            messages.success(request, page.finished_message)
            return redirect("parindex:assessment_detail", pk=assessment.pk)
    except ValidationError as error:
        _errors_to_messages(request, error)
        return redirect(page.url_name, pk=assessment.pk)
    messages.success(request, page.saved_message)
    return redirect(page.url_name, pk=assessment.pk)


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the unit's own staff: another unit's assessment does not exist for them.
    assessment = get_object_or_404(assessments_editable_by(request.user), pk=pk)
    if assessment.status != AssessmentStatus.DRAFT:
        messages.info(request, _("This self-assessment has been submitted and is locked."))
        return redirect("parindex:assessment_detail", pk=assessment.pk)
    scores = {score.criterion_id: score for score in assessment.scores.all()}
    form = SelfAssessmentForm(
        request.POST or None,
        criteria=_leaf_criteria(assessment, survey=False),
        scores=scores,
    )
    evidence_form = EvidenceForm(
        criteria=assessment.framework.criteria.filter(is_leaf=True).order_by("sort_key")
    )
    return _scoring_page(
        request, assessment, form, SELF_ASSESSMENT_PAGE, evidence_form=evidence_form
    )


@require_POST
@login_required
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(assessments_editable_by(request.user), pk=pk)
    form = EvidenceForm(
        request.POST,
        request.FILES,
        criteria=assessment.framework.criteria.filter(is_leaf=True),
    )
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("parindex:assessment_edit", pk=assessment.pk)
    _step_run(
        request,
        lambda: services.evidence_add(
            assessment=assessment,
            criterion=form.cleaned_data["criterion"],
            upload=form.cleaned_data["file"],
            by=request.user,
        ),
        _("The evidence file was added."),
    )
    return redirect("parindex:assessment_edit", pk=assessment.pk)


@require_POST
@login_required
def evidence_delete(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    assessment = get_object_or_404(assessments_editable_by(request.user), pk=pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, assessment=assessment)
    _step_run(
        request,
        lambda: services.evidence_delete(evidence=evidence, by=request.user),
        _("The evidence file was removed."),
    )
    return redirect("parindex:assessment_edit", pk=assessment.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    assessment = get_object_or_404(assessments_visible_to(request.user), pk=pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, assessment=assessment)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=evidence.filename)


# --- appraisal -------------------------------------------------------------------------------


@committee_required
def assessment_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(assessments_visible_to(request.user), pk=pk)
    if assessment.status != AssessmentStatus.SUBMITTED:
        messages.info(request, _("Only a submitted self-assessment can be appraised."))
        return redirect("parindex:assessment_detail", pk=assessment.pk)
    scores = {score.criterion_id: score for score in assessment.scores.all()}
    form = AppraisalForm(
        request.POST or None, criteria=_leaf_criteria(assessment, survey=True), scores=scores
    )
    return _scoring_page(request, assessment, form, APPRAISAL_PAGE)


def _committee_step(step: Callable[..., Assessment], success: Any) -> View:
    @require_POST
    @committee_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        assessment = get_object_or_404(assessments_visible_to(request.user), pk=pk)
        _step_run(request, lambda: step(assessment=assessment, by=request.user), success)
        return redirect("parindex:assessment_detail", pk=assessment.pk)

    return view


assessment_return = _committee_step(
    services.assessment_return, gettext_lazy("The self-assessment was returned to the unit.")
)
assessment_reopen = _committee_step(
    services.assessment_appraisal_reopen, gettext_lazy("The appraisal was reopened.")
)


# --- ranking ---------------------------------------------------------------------------------


@committee_required
def ranking(request: HttpRequest) -> HttpResponse:
    frameworks = frameworks_visible_to(request.user).filter(status=FrameworkStatus.PUBLISHED)
    default_framework, default_year = ranking_default(request.user)
    data = request.GET if "framework" in request.GET else None
    form = RankingForm(
        data,
        frameworks=frameworks,
        initial={"framework": default_framework, "year": default_year},
    )
    if data is not None and not form.is_valid():
        return render(request, "parindex/ranking.html", {"form": form}, status=400)
    framework = form.cleaned_data["framework"] if data is not None else default_framework
    year = form.cleaned_data["year"] if data is not None else default_year
    result = (
        par_ranking(framework=framework, year=year, user=request.user)
        if framework is not None and year is not None
        else None
    )
    return render(request, "parindex/ranking.html", {"form": form, "ranking": result})
