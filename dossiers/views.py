"""Desk pages: work queues and search, intake, the dossier page and its steps (at /ho-so/).

Every page starts from ``dossiers_visible_to``: a dossier outside it answers 404. Writes go
through ``dossiers.services`` only; a refused step changes nothing and says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat, numberformat, timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc_portal.http import bad_request
from org.calendar_source import working_calendar
from org.forms import form_errors_text
from org.selectors import membership_of
from procedures.models import ProcedureVersion, TimeUnit
from procedures.services import version_documents

from . import services
from .backdating import backdate_reason_required
from .deadlines import due_at_compute
from .forms import (
    ACTION_FORMS,
    ACTION_LABELS,
    DOCUMENTS_PREFIX,
    ActionForm,
    DuePreviewForm,
    IntakeForm,
    QueueSearchForm,
    document_formset,
    documents_received,
)
from .models import (
    Apology,
    Dossier,
    DossierDocument,
    DossierStatus,
    Regime,
    SupplementRequest,
)
from .permissions import Action, actions_allowed, can_receive, unit_refusal
from .queues import (
    DEFAULT_QUEUE,
    QUEUES,
    QUEUES_BY_NAME,
    STATUS_BADGES,
    TAB_COUNT_CAP,
    Cursor,
    QueuePage,
    due_soon_cutoff,
    due_state,
)
from .selectors import (
    dossier_search,
    dossiers_visible_to,
    procedure_suggestions,
    queue_counts,
    queue_page,
    search_matches,
    transfer_targets,
)
from .steps import step_take

BAD_REQUEST_TEMPLATE = "dossiers/bad_request.html"
DOSSIERS_PER_PAGE = 25
SUGGESTIONS_MAX = 15


def _local(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return dateformat.format(timezone.localtime(moment), "d/m/Y H:i")


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "dossiers/forbidden.html", {"message": message}, status=403)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _errors_to_form(form, error: ValidationError, *, set_aside: str = "") -> str:
    """Put a service's refusal beside its fields (at the top for a field the form lacks). The
    messages of field ``set_aside`` (a formset shown beside the form) are returned instead."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return ""
    aside = ""
    for field, errors in error.error_dict.items():
        if set_aside and field == set_aside:
            aside = _error_text(ValidationError(errors))
        else:
            form.add_error(field if field in form.fields else None, errors)
    return aside


# Work queues ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueTab:
    name: str
    label: str
    # Capped: above the cap it is cap + 1, and ``count_text`` says "1,000+".
    count: int
    count_text: str
    capped: bool
    active: bool
    query: str


@dataclass(frozen=True)
class QueueRow:
    dossier: Dossier
    due_state: str
    badge: str


def _grouped(number: int) -> str:
    # In thousands whatever the locale's NUMBER_GROUPING (Django's Vietnamese has none):
    # "10.000" in Vietnamese, "10,000" in English.
    return numberformat.format(
        number,
        get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def count_text(count: int, cap: int) -> str:
    """A queue's count as the page shows it; above ``cap``: "1,000+"."""
    if count > cap:
        return _("%(count)s+") % {"count": _grouped(cap)}
    return _grouped(count)


def _page_cursors(request: HttpRequest) -> tuple[Cursor | None, Cursor | None]:
    """The ``after`` / ``before`` cursors of a page link; ValueError for a damaged link."""
    after, before = request.GET.get("after"), request.GET.get("before")
    if after and before:
        raise ValueError("both")
    return (
        Cursor.parse(after) if after else None,
        Cursor.parse(before) if before else None,
    )


def _page_links(page: QueuePage, filters: str) -> tuple[str, str]:
    previous = ""
    if page.previous is not None:
        previous = f"?{filters}&{urlencode({'before': str(page.previous)})}"
    elif page.previous_is_first:
        previous = f"?{filters}"
    following = f"?{filters}&{urlencode({'after': str(page.next)})}" if page.next else ""
    return previous, following


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("queue") or DEFAULT_QUEUE
    if name not in QUEUES_BY_NAME:
        return bad_request(
            request, _("Unknown queue: %(name)s.") % {"name": name}, template=BAD_REQUEST_TEMPLATE
        )
    form = QueueSearchForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form_errors_text(form), template=BAD_REQUEST_TEMPLATE)
    try:
        after, before = _page_cursors(request)
    except ValueError:
        return bad_request(
            request,
            _("This page link is damaged or incomplete. Open the list again from its first page."),
            template=BAD_REQUEST_TEMPLATE,
        )
    query = form.cleaned_data["q"].strip()

    now = timezone.now()
    calendar = working_calendar()
    dossiers = dossiers_visible_to(request.user)
    if query:
        dossiers = search_matches(dossier_search(dossiers, query))
    counts = queue_counts(dossiers, now, calendar, cap=TAB_COUNT_CAP)
    page = queue_page(
        dossiers, name, now, calendar, size=DOSSIERS_PER_PAGE, after=after, before=before
    )
    cutoff = due_soon_cutoff(now, calendar)
    rows = [
        QueueRow(
            dossier=dossier,
            due_state=due_state(dossier, now, cutoff),
            badge=STATUS_BADGES.get(dossier.status, "text-bg-secondary"),
        )
        for dossier in page.dossiers
    ]
    tabs = _queue_tabs(counts, name, query)
    filters = urlencode({"queue": name, **({"q": query} if query else {})})
    previous_url, next_url = _page_links(page, filters)
    return render(
        request,
        "dossiers/queue.html",
        {
            "form": form,
            "query": query,
            "queue": QUEUES_BY_NAME[name],
            "tabs": tabs,
            "active_tab": next(tab for tab in tabs if tab.active),
            "rows": rows,
            "previous_url": previous_url,
            "next_url": next_url,
            "can_receive": can_receive(request.user),
        },
    )


def _queue_tabs(counts: dict[str, int], name: str, query: str) -> list[QueueTab]:
    """The queue tabs with their counts; ``name`` is the open one."""
    return [
        QueueTab(
            name=tab.name,
            label=tab.label,
            count=counts[tab.name],
            count_text=count_text(counts[tab.name], TAB_COUNT_CAP),
            capped=counts[tab.name] > TAB_COUNT_CAP,
            active=tab.name == name,
            query=urlencode({"queue": tab.name, **({"q": query} if query else {})}),
        )
        for tab in QUEUES
    ]


# Intake ---------------------------------------------------------------------------------------


def _now_minute() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def _documents_posted(data) -> bool:
    """Whether the intake form carried a checklist (it appears once a procedure is picked)."""
    return f"{DOCUMENTS_PREFIX}-TOTAL_FORMS" in data


def _intake_page(request: HttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
    form, documents = context["form"], context.get("documents")
    if documents is None and context.get("chosen") is not None:
        documents = context["documents"] = document_formset(
            lines=version_documents(context["chosen"])
        )
    invalid = [name for name in form.fields if name in form.errors]
    documents_invalid = bool(context.get("documents_error")) or (
        documents is not None and documents.is_bound and not documents.is_valid()
    )
    return render(
        request,
        "dossiers/intake.html",
        {
            **context,
            # Where the page puts the cursor: the search on a fresh page, the first field in
            # error after a refused submit.
            "focus_id": _intake_focus(invalid, documents_invalid),
            "error_count": len(invalid) + (1 if documents_invalid else 0),
        },
        status=status,
    )


def _intake_focus(invalid: list[str], documents_invalid: bool) -> str:
    if invalid:
        return "id_procedure_query" if invalid[0] == "procedure_version" else f"id_{invalid[0]}"
    if documents_invalid:
        return "intake-documents"
    return "id_procedure_query"


def _intake_record(request: HttpRequest, form: IntakeForm, documents, desk, *, refusing: bool):
    """Receive or refuse the dossier of a valid intake form, and say so to the officer."""
    data = form.cleaned_data
    common = {
        "desk": desk,
        "procedure_version": data["procedure_version"],
        "channel": data["channel"],
        "applicant": form.applicant(),
        "received_at": data["received_at"],
        "by": request.user,
    }
    if refusing:
        dossier = services.dossier_refuse(reason=data["refusal_reason"], **common)
        messages.success(
            request,
            _("Dossier %(code)s was refused at intake. Print the refusal slip for the applicant.")
            % {"code": dossier.code},
        )
        return dossier
    dossier = services.dossier_receive(
        digitised=data["digitised"],
        sets_count=data["sets_count"],
        backdate_reason=data["backdate_reason"],
        documents=documents_received(documents) if documents is not None else None,
        **common,
    )
    messages.success(
        request,
        _("Dossier %(code)s received. Appointment date: %(due)s.")
        % {"code": dossier.code, "due": _local(dossier.due_at)},
    )
    return dossier


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    if not can_receive(request.user):
        return _forbidden(request, _("Only desk officers and unit leaders receive dossiers."))
    desk = membership_of(request.user).unit
    refusing = request.method == "POST" and request.POST.get("decision") == "refuse"
    # Said before anything is typed: a desk that has ended takes nothing in (the service
    # refuses it too, naming the successors).
    desk_ended = desk.validity_error(timezone.localdate())
    if request.method != "POST":
        form = IntakeForm(initial={"received_at": _now_minute()})
        return _intake_page(request, {"form": form, "desk": desk, "desk_ended": desk_ended})

    form = IntakeForm(request.POST, refusing=refusing)
    documents = document_formset(request.POST) if _documents_posted(request.POST) else None
    documents_error = ""
    form_valid = form.is_valid()
    # Kept before the service may refuse it: the search box shows what the officer picked.
    chosen = form.cleaned_data.get("procedure_version")
    documents_valid = documents is None or documents.is_valid()
    if form_valid and documents_valid:
        try:
            dossier = _intake_record(request, form, documents, desk, refusing=refusing)
        except ValidationError as error:
            documents_error = _errors_to_form(form, error, set_aside="documents")
        else:
            return redirect("dossiers:detail", code=dossier.code)
    return _intake_page(
        request,
        {
            "form": form,
            "desk": desk,
            "chosen": chosen,
            "desk_ended": desk_ended,
            "documents": documents,
            "documents_error": documents_error,
        },
        status=400,
    )


@login_required
@require_GET
def intake_documents(request: HttpRequest) -> HttpResponse:
    """The checklist of a procedure version picked at intake, pre-filled from the catalogue."""
    raw = request.GET.get("procedure_version", "")
    version = None
    if raw.isdecimal():
        version = ProcedureVersion.objects.filter(pk=int(raw)).first()
    if version is None:
        return render(
            request,
            "dossiers/partials/intake_documents.html",
            {"error": _("Unknown procedure version.")},
            status=400,
        )
    return render(
        request,
        "dossiers/partials/intake_documents.html",
        {"documents": document_formset(lines=version_documents(version))},
    )


@login_required
@require_GET
def procedure_suggest(request: HttpRequest) -> HttpResponse:
    """The intake type-ahead: procedures the user's desk may receive on the received day
    (``received_at``, as the intake form sends it; today without it), its most received first.
    """
    query = request.GET.get("q", "").strip()[:200]
    on = timezone.localdate()
    if raw_received_at := request.GET.get("received_at", "").strip():
        try:
            on = timezone.localdate(IntakeForm.base_fields["received_at"].clean(raw_received_at))
        except ValidationError:
            return render(
                request,
                "dossiers/partials/procedure_suggestions.html",
                {"error": _("Enter the received time as dd/mm/yyyy hh:mm, then search again.")},
                status=400,
            )
    membership = membership_of(request.user)
    versions = []
    if query and membership is not None:
        versions = procedure_suggestions(
            unit=membership.unit, on=on, query=query, limit=SUGGESTIONS_MAX
        )
    return render(
        request,
        "dossiers/partials/procedure_suggestions.html",
        {"versions": versions, "query": query, "on": on},
    )


@login_required
@require_GET
def due_preview(request: HttpRequest) -> HttpResponse:
    form = DuePreviewForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "dossiers/partials/due_preview.html",
            {"error": form_errors_text(form)},
            status=400,
        )
    data = form.cleaned_data
    version = data["procedure_version"]
    try:
        due_at = due_at_compute(
            version=version, channel=data["channel"], received_at=data["received_at"]
        )
    except ValueError as error:
        return render(
            request, "dossiers/partials/due_preview.html", {"error": str(error)}, status=400
        )
    value, unit = version.processing_time_for(data["channel"])
    return render(
        request,
        "dossiers/partials/due_preview.html",
        {
            "due_at": due_at,
            "version": version,
            "time_value": value,
            "time_label": TimeUnit(unit).label,
            "backdated": backdate_reason_required(received_at=data["received_at"]),
            "backdate_days": settings.INTAKE_BACKDATE_WORKING_DAYS,
        },
    )


# The dossier page -----------------------------------------------------------------------------


def _action_form(action: Action, user, dossier: Dossier, data=None) -> ActionForm:
    units = transfer_targets(user, dossier) if action == Action.TRANSFER else None
    return ACTION_FORMS[action](data, dossier=dossier, units=units, prefix=str(action))


@dataclass(frozen=True)
class ActionSection:
    action: str
    label: str
    form: ActionForm
    # Open on arrival: the step that was just refused, with what was typed and its errors.
    open: bool = False


@dataclass(frozen=True)
class PrintLink:
    label: str
    url_name: str


def _print_links(dossier: Dossier, has_supplement: bool, has_apology: bool) -> list[PrintLink]:
    if dossier.status == DossierStatus.REFUSED:
        return [PrintLink(_("Refusal slip"), "dossier_forms:refusal")]
    links = [PrintLink(_("Receipt and appointment"), "dossier_forms:receipt")]
    if has_supplement:
        links.append(PrintLink(_("Supplement request"), "dossier_forms:supplement"))
    if has_apology:
        links.append(PrintLink(_("Apology letter"), "dossier_forms:apology"))
    if dossier.status == DossierStatus.STOPPED and dossier.regime == Regime.DECREE_118_2025:
        # Circular 01/2018 has no stop notice: a 2018 dossier's stop is on its control sheet.
        links.append(PrintLink(_("Stop notice"), "dossier_forms:stop_notice"))
    links.append(PrintLink(_("Process control sheet"), "dossier_forms:control_sheet"))
    return links


@dataclass(frozen=True)
class ChecklistPart:
    """The papers handed in at one moment: at intake (``supplement`` None) or to complete the
    dossier after a supplement request."""

    supplement: SupplementRequest | None
    documents: list[DossierDocument]


def _checklist(dossier: Dossier) -> list[ChecklistPart]:
    documents = dossier.documents.in_checklist_order()
    parts: list[ChecklistPart] = []
    for document in documents:
        if not parts or parts[-1].supplement != document.supplement_request:
            parts.append(ChecklistPart(supplement=document.supplement_request, documents=[]))
        parts[-1].documents.append(document)
    return parts


def _dossier_of(user, code: str) -> Dossier:
    return get_object_or_404(
        dossiers_visible_to(user).select_related(
            "procedure_version__procedure", "receiving_unit", "handling_unit"
        ),
        code=code,
    )


def _dossier_page(
    request: HttpRequest,
    dossier: Dossier,
    *,
    refused: tuple[Action, ActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The dossier page; ``refused`` is a step that was not taken, shown open with its form as
    typed and the errors beside its fields."""
    events = dossier.events.select_related("by", "from_unit", "to_unit")
    supplements = list(dossier.supplement_requests.select_related("requested_by"))
    apology = Apology.objects.filter(dossier=dossier).select_related("issued_by").first()
    allowed = actions_allowed(user=request.user, dossier=dossier, has_apology=apology is not None)
    sections = []
    for step, label in ACTION_LABELS.items():
        if step not in allowed:
            continue
        if refused is not None and refused[0] == step:
            sections.append(
                ActionSection(action=str(step), label=label, form=refused[1], open=True)
            )
            continue
        form = _action_form(step, request.user, dossier)
        # A desk with no other unit in reach (a commune handling its own dossiers) has no one
        # to hand over to: the step is allowed but pointless, so it is not offered.
        if step == Action.TRANSFER and not form.fields["to_unit"].queryset.exists():
            continue
        sections.append(ActionSection(action=str(step), label=label, form=form))
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "version": dossier.procedure_version,
            "badge": STATUS_BADGES.get(dossier.status, "text-bg-secondary"),
            "events": events,
            "supplements": supplements,
            "checklist": _checklist(dossier),
            "apology": apology,
            "sections": sections,
            "print_links": _print_links(dossier, bool(supplements), apology is not None),
            "is_refused": dossier.status == DossierStatus.REFUSED,
            "handled_elsewhere": unit_refusal(user=request.user, dossier=dossier),
        },
        status=status,
    )


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return _dossier_page(request, _dossier_of(request.user, code))


def _action_done_message(action: Action, code: str) -> str:
    # Spelled out so that makemessages picks each one up.
    messages_by_action = {
        Action.TRANSFER: _("Dossier %(code)s was transferred."),
        Action.SUPPLEMENT_REQUEST: _("A supplement was requested for dossier %(code)s."),
        Action.SUPPLEMENT_COMPLETE: _("The supplement of dossier %(code)s was recorded."),
        Action.FINISH: _("The result of dossier %(code)s is ready."),
        Action.RETURN: _("The result of dossier %(code)s was returned to the applicant."),
        Action.WITHDRAW: _("Dossier %(code)s was withdrawn."),
        Action.STOP: _("Processing of dossier %(code)s was stopped."),
        Action.APOLOGY: _("An apology was issued for dossier %(code)s."),
    }
    return messages_by_action[action] % {"code": code}


@login_required
@require_POST
def action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Take a step. Refused input or a refusal of the service re-renders the page (400) with
    the step's form open as typed and each error once, beside its field; nothing is written.
    A dossier changed meanwhile is reloaded, with the message at the top."""
    dossier = _dossier_of(request.user, code)
    try:
        step = Action(action)
    except ValueError:
        raise Http404(_("Unknown step.")) from None
    # A form read before someone else's change is told so, even when that change also made
    # the step impossible (the API answers 409 the same way).
    read_version = request.POST.get(f"{step}-expected_version", "")
    if read_version.isdecimal() and int(read_version) != dossier.version:
        messages.error(request, _error_text(services.DossierChangedMeanwhile()))
        return redirect("dossiers:detail", code=dossier.code)
    has_apology = Apology.objects.filter(dossier=dossier).exists()
    if refusal := unit_refusal(user=request.user, dossier=dossier):
        return _forbidden(request, refusal)
    if step not in actions_allowed(user=request.user, dossier=dossier, has_apology=has_apology):
        return _forbidden(
            request,
            _("This step is not allowed for you on dossier %(code)s in its current state.")
            % {"code": dossier.code},
        )
    form = _action_form(step, request.user, dossier, data=request.POST)
    if not form.is_valid():
        return _dossier_page(request, dossier, refused=(step, form), status=400)
    try:
        step_take(
            step=step,
            dossier=dossier,
            data=form.cleaned_data,
            by=request.user,
            at=timezone.now(),
            expected_version=form.cleaned_data["expected_version"],
        )
    except services.DossierChangedMeanwhile as error:
        messages.error(request, _error_text(error))
        return redirect("dossiers:detail", code=dossier.code)
    except ValidationError as error:  # TransitionError included: nothing was written
        _errors_to_form(form, error)
        dossier = _dossier_of(request.user, code)
        return _dossier_page(request, dossier, refused=(step, form), status=400)
    messages.success(request, _action_done_message(step, dossier.code))
    return redirect("dossiers:detail", code=dossier.code)
