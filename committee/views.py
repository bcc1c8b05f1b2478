"""The committee workspace at /ban-chi-dao/: meetings, conclusions, tasks and their follow-up.

The standing office (``committee.permissions``) records meetings and follows every task of its
tree; a unit's staff see their own unit's tasks on "Tasks of my unit" and report on them. A
meeting or task outside what the user may see answers 404. Writes go through the services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc_portal.http import XLSX_CONTENT_TYPE, bad_request
from org.calendar_source import working_calendar
from org.forms import form_errors_text
from org.selectors import membership_of, units_visible_to

from . import services
from .exports import tasks_xlsx
from .forms import (
    AttachmentForm,
    ConclusionForm,
    MeetingForm,
    ReportForm,
    TaskFilterForm,
    TaskForm,
)
from .models import Meeting, MeetingAttachment, Task, TaskReport
from .permissions import can_report, is_standing_office, reporting_unit
from .selectors import (
    meetings_visible_to,
    task_reports,
    task_row,
    task_rows,
    tasks_filtered,
    tasks_for_table,
    tasks_for_unit,
    tasks_overdue,
    tasks_visible_to,
)
from .status import TaskStatus

TASKS_PER_PAGE = 50
MEETINGS_PER_PAGE = 25


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _standing_office_only(request: HttpRequest) -> None:
    if not is_standing_office(request.user):
        raise Http404(_("No such page."))


def _office_meeting(request: HttpRequest, pk: int) -> Meeting:
    """The meeting ``pk`` for the standing office (404 for anyone else, or out of sight)."""
    _standing_office_only(request)
    return get_object_or_404(meetings_visible_to(request.user), pk=pk)


# Meetings ---------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The standing office lands on the meetings; a unit's staff on their unit's tasks."""
    if is_standing_office(request.user):
        return redirect("committee:meeting_list")
    return redirect("committee:unit_tasks")


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    _standing_office_only(request)
    meetings = meetings_visible_to(request.user).select_related("unit").order_by("-held_on", "-id")
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "committee/meeting_list.html", {"page_obj": page, "filters": ""})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    _standing_office_only(request)
    units = units_visible_to(request.user)
    membership = membership_of(request.user)
    if request.method != "POST":
        initial = {"unit": membership.unit if membership else None}
        form = MeetingForm(units=units, initial=initial)
        return render(request, "committee/meeting_form.html", {"form": form, "meeting": None})
    return _meeting_edit_post(
        request,
        MeetingForm(request.POST, units=units),
        None,
        lambda data: services.meeting_create(by=request.user, **data),
        _("The meeting has been recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_update(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _office_meeting(request, pk)
    units = units_visible_to(request.user)
    if request.method != "POST":
        form = MeetingForm(instance=meeting, units=units)
        return render(request, "committee/meeting_form.html", {"form": form, "meeting": meeting})
    # A throw-away instance: the form must not change the row, the service does.
    return _meeting_edit_post(
        request,
        MeetingForm(request.POST, instance=Meeting.objects.get(pk=meeting.pk), units=units),
        meeting,
        lambda data: services.meeting_update(meeting=meeting, by=request.user, **data),
        _("The meeting has been updated."),
    )


def _meeting_edit_post(
    request: HttpRequest,
    form: MeetingForm,
    meeting: Meeting | None,
    save: Callable[[dict[str, Any]], Meeting],
    success: str,
) -> HttpResponse:
    """A posted meeting form: saved by ``save`` and on to the meeting's page, or shown again
    with its errors (400)."""
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}
        try:
            saved = save(data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, success)
            return redirect("committee:meeting_detail", pk=saved.pk)
    return render(
        request, "committee/meeting_form.html", {"form": form, "meeting": meeting}, status=400
    )


def _meeting_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    conclusion_form: ConclusionForm | None = None,
    task_form: TaskForm | None = None,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    calendar = working_calendar()
    tasks = tasks_for_table(Task.objects.filter(conclusion__meeting=meeting))
    rows_by_conclusion: dict[int, list] = {}
    for row in task_rows(tasks, today=today, calendar=calendar):
        rows_by_conclusion.setdefault(row.task.conclusion_id, []).append(row)
    conclusions = [
        {"conclusion": conclusion, "rows": rows_by_conclusion.get(conclusion.pk, [])}
        for conclusion in meeting.conclusions.order_by("number")
    ]
    units = units_visible_to(request.user)
    context = {
        "meeting": meeting,
        "conclusions": conclusions,
        "attachments": meeting.attachments.all(),
        "conclusion_form": conclusion_form or ConclusionForm(),
        "task_form": task_form or TaskForm(meeting=meeting, units=units),
        "attachment_form": attachment_form or AttachmentForm(),
        "open_form": (
            "conclusion"
            if conclusion_form is not None
            else "task"
            if task_form is not None
            else "attachment"
            if attachment_form is not None
            else ""
        ),
    }
    return render(request, "committee/meeting_detail.html", context, status=status)


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _standing_office_only(request)
    meeting = get_object_or_404(meetings_visible_to(request.user).select_related("unit"), pk=pk)
    return _meeting_page(request, meeting)


def _meeting_form_post(
    request: HttpRequest,
    meeting: Meeting,
    form,
    form_name: str,
    write: Callable[[dict], str],
) -> HttpResponse:
    """A form posted on the meeting page: once valid and written by ``write`` (which returns
    the success message), back to the meeting; otherwise the page again with its errors."""
    if form.is_valid():
        try:
            message = write(form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, message)
            return redirect("committee:meeting_detail", pk=meeting.pk)
    return _meeting_page(request, meeting, status=400, **{form_name: form})


@login_required
@require_POST
def conclusion_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _office_meeting(request, pk)

    def write(data: dict) -> str:
        conclusion = services.conclusion_add(meeting=meeting, by=request.user, text=data["text"])
        return _("Conclusion %(number)s has been added.") % {"number": conclusion.number}

    form = ConclusionForm(request.POST)
    return _meeting_form_post(request, meeting, form, "conclusion_form", write)


@login_required
@require_POST
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _office_meeting(request, pk)
    form = TaskForm(request.POST, meeting=meeting, units=units_visible_to(request.user))

    def write(data: dict) -> str:
        task = services.task_assign(
            conclusion=data["conclusion"],
            by=request.user,
            title=data["title"],
            lead_unit=data["lead_unit"],
            supporting_units=data["supporting_units"],
            deadline=data["deadline"],
            working_days=data["working_days"],
            expected_output=data["expected_output"],
            content=data["content"],
        )
        return _("The task has been assigned to %(unit)s, due %(deadline)s.") % {
            "unit": task.lead_unit.name,
            "deadline": task.deadline.strftime("%d/%m/%Y"),
        }

    return _meeting_form_post(request, meeting, form, "task_form", write)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _office_meeting(request, pk)

    def write(data: dict) -> str:
        try:
            services.meeting_attachment_add(meeting=meeting, by=request.user, upload=data["file"])
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
        return _("The file has been attached.")

    form = AttachmentForm(request.POST, request.FILES)
    return _meeting_form_post(request, meeting, form, "attachment_form", write)


def _file_response(field_file, name: str) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing.")) from None
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(
        MeetingAttachment.objects.filter(meeting__in=meetings_visible_to(request.user)), pk=pk
    )
    return _file_response(attachment.file, attachment.original_name)


@login_required
@require_GET
def report_attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        TaskReport.objects.filter(task__in=tasks_visible_to(request.user)).exclude(attachment=""),
        pk=pk,
    )
    return _file_response(report.attachment, report.attachment_name or "tep-dinh-kem")


# Tasks ------------------------------------------------------------------------------------


def _latest_report_text(tasks: QuerySet[Task]) -> QuerySet[Task]:
    latest = TaskReport.objects.filter(task=OuterRef("pk")).order_by("-at", "-id")
    return tasks.annotate(latest_report_text=Subquery(latest.values("text")[:1]))


def _filtered_tasks(request: HttpRequest, *, overdue: bool) -> tuple[TaskFilterForm, QuerySet]:
    """The tasks of the standing office's table as filtered by the query (403 for others)."""
    _standing_office_only(request)
    today = timezone.localdate()
    visible = tasks_visible_to(request.user)
    form = TaskFilterForm(
        request.GET or None,
        units=units_visible_to(request.user),
        meetings=meetings_visible_to(request.user),
    )
    if request.GET and not form.is_valid():
        raise _FilterError(form_errors_text(form))
    data = form.cleaned_data if request.GET else {}
    tasks = tasks_filtered(
        visible,
        today=today,
        unit=data.get("unit"),
        status="" if overdue else data.get("status") or "",
        meeting=data.get("meeting"),
        deadline_from=data.get("deadline_from"),
        deadline_to=data.get("deadline_to"),
    )
    if overdue:
        tasks = tasks_overdue(tasks, today=today)
    return form, tasks


class _FilterError(Exception):
    pass


def _task_table(request: HttpRequest, *, overdue: bool) -> HttpResponse:
    try:
        form, tasks = _filtered_tasks(request, overdue=overdue)
    except _FilterError as error:
        return bad_request(request, str(error), template="committee/bad_request.html")
    today = timezone.localdate()
    page = Paginator(tasks_for_table(_latest_report_text(tasks)), TASKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = {key: value for key, value in request.GET.items() if key != "page" and value}
    return render(
        request,
        "committee/task_list.html",
        {
            "form": form,
            "rows": task_rows(page, today=today, calendar=working_calendar()),
            "page_obj": page,
            "filters": urlencode(query),
            "export_query": urlencode(
                {**query, **({"status": TaskStatus.IN_PROGRESS_OVERDUE} if overdue else {})}
            ),
            "overdue": overdue,
            "overdue_count": tasks_overdue(tasks_visible_to(request.user), today=today).count(),
            "today": today,
        },
    )


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    return _task_table(request, overdue=False)


@login_required
@require_GET
def overdue_list(request: HttpRequest) -> HttpResponse:
    return _task_table(request, overdue=True)


@login_required
@require_GET
def task_export(request: HttpRequest) -> HttpResponse:
    try:
        _form, tasks = _filtered_tasks(request, overdue=False)
    except _FilterError as error:
        return bad_request(request, str(error), template="committee/bad_request.html")
    today = timezone.localdate()
    rows = task_rows(
        tasks_for_table(_latest_report_text(tasks)), today=today, calendar=working_calendar()
    )
    membership = membership_of(request.user)
    heading = membership.unit.name if membership else ""
    response = HttpResponse(
        tasks_xlsx(rows, today=today, heading=heading), content_type=XLSX_CONTENT_TYPE
    )
    filename = f"theo-doi-nhiem-vu-{today:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def unit_tasks(request: HttpRequest) -> HttpResponse:
    """The tasks where the user's own unit leads or supports, most urgent first."""
    membership = membership_of(request.user)
    if membership is None:
        raise Http404(_("You do not belong to a unit."))
    today = timezone.localdate()
    tasks = tasks_for_table(tasks_for_unit(membership.unit))
    rows = task_rows(tasks, today=today, calendar=working_calendar())
    open_rows = [row for row in rows if row.task.completed_on is None]
    done_rows = [row for row in rows if row.task.completed_on is not None]
    return render(
        request,
        "committee/unit_tasks.html",
        {"unit": membership.unit, "open_rows": open_rows, "done_rows": done_rows, "today": today},
    )


def _task_page(
    request: HttpRequest, task: Task, *, form: ReportForm | None = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    unit = reporting_unit(request.user, task)
    return render(
        request,
        "committee/task_detail.html",
        {
            "task": task,
            "row": task_row(task, today=today, calendar=working_calendar()),
            "meeting": task.conclusion.meeting,
            "reports": task_reports(task),
            "reporting_unit": unit,
            "can_report": can_report(request.user, task),
            "is_lead": unit is not None and unit.pk == task.lead_unit_id,
            "form": form or ReportForm(),
            "standing_office": is_standing_office(request.user),
        },
        status=status,
    )


def _visible_task(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(
        tasks_visible_to(request.user).select_related(
            "lead_unit", "conclusion", "conclusion__meeting"
        ),
        pk=pk,
    )


@login_required
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, _visible_task(request, pk))


@login_required
@require_POST
def task_report(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible_task(request, pk)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.task_report_submit(
                task=task,
                by=request.user,
                text=data["text"],
                percent=data["percent"],
                attachment=data["attachment"] or None,
            )
        except PermissionDenied as error:
            return render(request, "committee/forbidden.html", {"message": str(error)}, status=403)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request, _("Your progress report has been sent to the standing office.")
            )
            return redirect("committee:task_detail", pk=task.pk)
    return _task_page(request, task, form=form, status=400)
