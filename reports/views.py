"""The steering committee's dashboard and the dossiers behind each of its figures (/bao-cao/).

Both pages are scoped by ``units_visible_to``: a unit outside it, or one that does not exist,
answers 404 (the same answer: nobody learns which codes exist). A unit's figures are those of
its lineage (``org.selectors.unit_lineage_ids``: its subtree and the units it succeeded), so a
commune formed in 2025 shows its predecessors' past, and the page says so. Without a quarter
asked for, the page opens on the current quarter if it has dossiers for the unit, else on the
latest quarter that has (:func:`reports.selectors.quarter_shown_by_default`). The dashboard
reads only the rollups (through ``quarterly_report``), so its query count does not grow with the
data; a quarter it shows that was never computed is computed first, by an explicit call of
:func:`reports.services.rollups_compute_missing`. Its two tables with a row per unit are
fragments of their own (``dashboard_units``, ``dashboard_digitisation``) that the page loads
after itself with htmx, or pages of their own without JavaScript. The drill-down lists the
dossiers of one figure, a page at a time.

Their exports (form II.06a, the Word report, the drill-down's dossiers) are export jobs
(:mod:`reports.export_jobs`): a POST asks for one, the page shows its progress bar, polled with
htmx (or a refreshing page without JavaScript), then its download link, only for its owner.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cchc_portal.http import bad_request
from org.forms import form_errors_text
from org.models import Unit, UnitLevel, path_depth
from org.selectors import membership_of, unit_lineage_ids, units_visible_to

from . import charts
from .dashboard import (
    DASHBOARD_TABLES,
    counter_label,
    dashboard_build,
    dashboard_panels,
    dashboard_table_build,
    previous_quarter,
)
from .drilldown import drilldown_dossiers
from .export_jobs import export_job_of, export_job_request, export_jobs_recent
from .forms import DashboardForm, DrilldownForm, current_quarter
from .models import ExportJob
from .periods import Period, PeriodKind, period_make
from .quarterly import quarterly_report, quarterly_report_build, root_in_force, units_in_period
from .selectors import period_counters, quarter_shown_by_default
from .services import rollups_compute_missing

DOSSIERS_PER_PAGE = 25


def _bad_request(request: HttpRequest, form) -> HttpResponse:
    return _bad_request_message(request, form_errors_text(form))


def _bad_request_message(request: HttpRequest, message: str) -> HttpResponse:
    # An export asked for with htmx shows the message where its progress would have been.
    template = "reports/partials/bad_request.html" if request.htmx else "reports/bad_request.html"
    return bad_request(request, message, template=template)


def _dashboard_unit(
    request: HttpRequest, code: str, visible: QuerySet[Unit], *, on: dt.date
) -> Unit:
    """The unit asked for, or the user's own (for a user without one, the root in force on
    ``on``, else the first root); 404 when the user may not see it (``visible``), so nobody
    learns that another commune's code exists."""
    if code:
        unit = visible.filter(code=code).first()
    else:
        membership = membership_of(request.user)
        if membership is not None:
            unit = membership.unit
        else:
            roots = visible.filter(parent__isnull=True).order_by("path")
            unit = root_in_force(roots, on=on) or roots.first()
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


class _BadRequest(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _bad_requests_answered(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """The view, answering with its response a ``_BadRequest`` raised by the arguments' parsing."""

    @functools.wraps(view)
    def answered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _BadRequest as bad:
            return bad.response

    return answered


@dataclass(frozen=True)
class ReportArguments:
    """What the dashboard, its tables, charts and exports show: the form, the unit, the
    quarter, the scheme and the units whose dossiers count (``unit_lineage_ids(unit)``).
    ``defaulted``: no quarter was asked for and the current one has no dossiers, so the
    latest quarter with dossiers is shown instead."""

    form: DashboardForm
    unit: Unit
    year: int
    quarter: int
    scheme: str
    unit_ids: frozenset[int]
    defaulted: bool = False


def _report_arguments(
    request: HttpRequest, data: QueryDict | None = None, visible: QuerySet[Unit] | None = None
) -> ReportArguments:
    """The dashboard's arguments from the query string (the page, its tables, charts and
    exports read the same ones; an export's come in its POST body). ``visible``: the user's
    ``units_visible_to``, when the caller has it already.

    Without a year or quarter: the current quarter if it has dossiers for the unit, else the
    latest quarter that has (:func:`quarter_shown_by_default`)."""
    today = timezone.localdate()
    form = DashboardForm(request.GET if data is None else data, today=today)
    if not form.is_valid():
        raise _BadRequest(_bad_request(request, form))
    cleaned = form.cleaned_data
    year, quarter, scheme = cleaned["year"], cleaned["quarter"], cleaned["scheme"]
    if visible is None:
        visible = units_visible_to(request.user)
    asked_end = period_make(kind=PeriodKind.QUARTER, year=year, index=quarter, scheme=scheme).end
    unit = _dashboard_unit(
        request, cleaned["unit"], visible, on=asked_end if cleaned["period_asked"] else today
    )
    unit_ids = frozenset(unit_lineage_ids(unit))
    defaulted = False
    if not cleaned["period_asked"]:
        # The form gave the current quarter: the page shows it if it has dossiers.
        current = period_make(kind=PeriodKind.QUARTER, year=year, index=quarter, scheme=scheme)
        rollups_compute_missing(periods=[current], unit_ids=unit_ids, today=today)
        shown = quarter_shown_by_default(unit_ids=unit_ids, scheme=scheme, today=today)
        defaulted = shown != (year, quarter)
        year, quarter = shown
    return ReportArguments(
        form=form,
        unit=unit,
        year=year,
        quarter=quarter,
        scheme=scheme,
        unit_ids=unit_ids,
        defaulted=defaulted,
    )


@login_required
@require_GET
@_bad_requests_answered
def dashboard(request: HttpRequest) -> HttpResponse:
    # Worked out once (a few queries): the unit asked for and the unit picker both need it.
    visible = units_visible_to(request.user)
    asked = _report_arguments(request, visible=visible)
    form, unit, scheme = asked.form, asked.unit, asked.scheme
    year, quarter = asked.year, asked.quarter
    period = period_make(kind=PeriodKind.QUARTER, year=year, index=quarter, scheme=scheme)
    built = quarterly_report_build(
        year=year, quarter=quarter, unit=unit, scheme=scheme, unit_ids=asked.unit_ids
    )
    report = built.report

    before_year, before_quarter = previous_quarter(year, quarter)
    before = period_make(
        kind=PeriodKind.QUARTER, year=before_year, index=before_quarter, scheme=scheme
    )
    # The same units as the report's: a successor's previous quarter may be its predecessors'.
    rollups_compute_missing(periods=[before], unit_ids=asked.unit_ids)
    previous_total = period_counters(period=before, unit_ids=asked.unit_ids)

    arguments = {"year": year, "quarter": quarter, "scheme": scheme, "unit": unit.code}
    query = urlencode(arguments)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "period": period,
            "previous_period": before,
            "unit": unit,
            "year": year,
            "quarter": quarter,
            "scheme": scheme,
            "quarters": range(1, 5),
            "unit_choices": _unit_choices(visible, period, unit),
            "report": report,
            "lineage_notes": [note.text() for note in built.notes],
            "default_note": _default_note(scheme, period) if asked.defaulted else "",
            **_dashboard_links(query),
            "export_fields": arguments,
            "export_jobs": export_jobs_recent(user=request.user),
            "panels": [
                {
                    "name": panel.name,
                    # Rendered apart: a panel sees its own context only (and the request's).
                    "html": render_to_string(panel.template_name, context, request=request),
                }
                for panel, context in dashboard_panels(user=request.user, unit=unit, period=period)
            ],
            **dashboard_build(report=report, previous_total=previous_total, period_key=period.key),
        },
    )


def _default_note(scheme: str, shown: Period) -> str:
    """Why the page shows ``shown`` and not the current quarter."""
    return _(
        "%(current)s has no dossiers yet: showing %(shown)s, the latest quarter with dossiers."
    ) % {"current": _current_quarter_label(scheme), "shown": shown.label}


def _dashboard_links(query: str) -> dict:
    """The charts, tables and exports of the page: their own URLs with the page's query, so
    the page stays fast and the browser loads them after it."""
    return {
        "charts": [
            {"url": f"{reverse('reports:chart', args=[name])}?{query}", "title": title}
            for name, title in CHART_TITLES.items()
        ],
        # Fragments the page loads after itself.
        "tables": {
            name: f"{reverse(url_name)}?{query}"
            for name, (url_name, _rows) in DASHBOARD_TABLES.items()
        },
        # Each export is a form that asks for an export job with the page's arguments.
        "exports": [
            {"url": reverse("reports:export", args=[fmt]), "label": label, "fmt": fmt}
            for fmt, label in (("xlsx", _("XLSX (form II.06a)")), ("docx", _("Word report")))
        ],
    }


def _unit_choices(visible: QuerySet[Unit], period: Period, unit: Unit) -> list[dict]:
    """The unit picker: the units the user may see as they were during ``period``, in tree
    order with their depth, and the unit shown even if it did not exist then."""
    choices = list(units_in_period(visible, period).order_by("path").values("code", "name", "path"))
    if unit.code not in {choice["code"] for choice in choices}:
        choices.append({"code": unit.code, "name": unit.name, "path": unit.path})
    for choice in choices:
        choice["depth"] = path_depth(choice["path"])
    return choices


DASHBOARD_TABLE_TITLES = {
    "by_unit": gettext_lazy("Dossiers by unit (form II.06a)"),
    "digitisation": gettext_lazy("Recorded in the electronic one-stop system"),
}


@_bad_requests_answered
def _dashboard_table(request: HttpRequest, name: str) -> HttpResponse:
    """One of the dashboard's tables by unit (same query as the page): the fragment the page
    loads with htmx, or a page of its own (without JavaScript, or to read it alone)."""
    asked = _report_arguments(request)
    unit, year, quarter, scheme = asked.unit, asked.year, asked.quarter, asked.scheme
    period = period_make(kind=PeriodKind.QUARTER, year=year, index=quarter, scheme=scheme)
    report = quarterly_report(
        year=year, quarter=quarter, unit=unit, scheme=scheme, unit_ids=asked.unit_ids
    )
    context = {
        "name": name,
        "title": DASHBOARD_TABLE_TITLES[name],
        "unit": unit,
        "period": period,
        "back_query": urlencode(
            {"year": year, "quarter": quarter, "scheme": scheme, "unit": unit.code}
        ),
        **dashboard_table_build(name=name, report=report, period_key=period.key),
    }
    template = "reports/partials/dashboard_table.html"
    response = render(
        request, template if request.htmx else "reports/dashboard_table.html", context
    )
    # One URL, two answers (fragment or page): a cache must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def dashboard_units(request: HttpRequest) -> HttpResponse:
    """The dashboard's 06a table by receiving unit."""
    return _dashboard_table(request, "by_unit")


@login_required
@require_GET
def dashboard_digitisation(request: HttpRequest) -> HttpResponse:
    """The dashboard's table of dossiers recorded in the electronic one-stop system by unit."""
    return _dashboard_table(request, "digitisation")


def _drilldown_arguments(
    request: HttpRequest, data: QueryDict
) -> tuple[dict, Unit, Period, Period]:
    """The drill-down's cleaned form, unit, period and the period as counted so far; raises
    _BadRequest (400) for bad parameters and Http404 for a unit the user may not see or that
    does not exist (one answer for both: nobody learns which codes exist)."""
    form = DrilldownForm(data)
    if not form.is_valid():
        raise _BadRequest(_bad_request(request, form))
    cleaned = form.cleaned_data
    unit = units_visible_to(request.user).filter(code=cleaned["unit"]).first()
    if unit is None:
        raise Http404(_("No such unit."))
    period: Period = cleaned["period"]
    today = timezone.localdate()
    if today < period.start:
        raise _BadRequest(_bad_request_message(request, _("This period has not started yet.")))
    # An open period is counted up to today, as its rollup is.
    return cleaned, unit, period, period.as_of(today)


def _drilldown_filters(period: Period, unit: Unit, data: dict) -> dict[str, str]:
    filters = {"period": period.key, "unit": unit.code, "counter": data["counter"]}
    if data["level"]:
        filters["level"] = data["level"]
    if data["own"]:
        filters["own"] = "1"
    return filters


@login_required
@require_GET
@_bad_requests_answered
def drilldown(request: HttpRequest) -> HttpResponse:
    data, unit, period, counted = _drilldown_arguments(request, request.GET)
    counter = data["counter"]
    dossiers = drilldown_dossiers(
        user=request.user,
        period=counted,
        unit=unit,
        counter=counter,
        level=data["level"],
        own=data["own"],
    ).select_related("procedure_version", "receiving_unit", "handling_unit")
    page = Paginator(dossiers, DOSSIERS_PER_PAGE).get_page(request.GET.get("page"))
    filters = _drilldown_filters(period, unit, data)
    back = {"year": period.year, "quarter": period.index, "scheme": period.scheme}
    back["unit"] = unit.code
    return render(
        request,
        "reports/drilldown.html",
        {
            "period": period,
            "counted": counted,
            "unit": unit,
            "counter": counter,
            "counter_label": counter_label(counter),
            "level": data["level"],
            "own": data["own"],
            "level_label": UnitLevel(data["level"]).label if data["level"] else "",
            "page_obj": page,
            "filters": urlencode(filters),
            "export_fields": filters,
            "export_jobs": export_jobs_recent(user=request.user),
            "back_query": urlencode(back) if period.kind == PeriodKind.QUARTER else "",
        },
    )


CHART_TITLES = {
    "trend": gettext_lazy("Dossiers over the last 8 quarters"),
    "channels": gettext_lazy("Channels of the dossiers received"),
    "on-time": gettext_lazy("On-time rate by unit"),
}


@login_required
@require_GET
@_bad_requests_answered
def chart(request: HttpRequest, name: str) -> HttpResponse:
    """One of the dashboard's charts as SVG, drawn on the server from the rollups."""
    if name not in CHART_TITLES:
        raise Http404(_("No such chart."))
    asked = _report_arguments(request)
    unit, year, quarter, scheme = asked.unit, asked.year, asked.quarter, asked.scheme
    if name == "trend":
        figure = charts.trend_figure(
            charts.quarter_trend(
                unit=unit, year=year, quarter=quarter, scheme=scheme, unit_ids=asked.unit_ids
            )
        )
    else:
        report = quarterly_report(
            year=year, quarter=quarter, unit=unit, scheme=scheme, unit_ids=asked.unit_ids
        )
        figure = (charts.channel_figure if name == "channels" else charts.on_time_figure)(report)
    response = HttpResponse(charts.chart_svg(figure), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _current_quarter_label(scheme: str) -> str:
    year, quarter = current_quarter(timezone.localdate(), scheme)
    return period_make(kind=PeriodKind.QUARTER, year=year, index=quarter, scheme=scheme).label


def _export_job_response(request: HttpRequest, job: ExportJob) -> HttpResponse:
    """The job's progress: the fragment for htmx (it replaces itself until done), otherwise
    the job's own page."""
    job.refresh_from_db()  # under eager Celery it has already run
    if request.htmx:
        return render(request, "reports/partials/export_job.html", {"job": job})
    return redirect("reports:export_job", job_id=job.pk, permanent=False)


@login_required
@require_POST
@_bad_requests_answered
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Ask for the dashboard's report as form II.06a (XLSX) or the Word report (DOCX) to
    sign; the arguments of the page come in the POST body."""
    if fmt not in ("xlsx", "docx"):
        raise Http404(_("No such export."))
    asked = _report_arguments(request, request.POST)
    unit, year, quarter, scheme = asked.unit, asked.year, asked.quarter, asked.scheme
    job = export_job_request(
        user=request.user,
        kind=ExportJob.Kind.REPORT_XLSX if fmt == "xlsx" else ExportJob.Kind.REPORT_DOCX,
        parameters={"year": year, "quarter": quarter, "scheme": scheme, "unit": unit.code},
        filename=f"bao-cao-{unit.code}-{year}-q{quarter}.{fmt}",
    )
    return _export_job_response(request, job)


@login_required
@require_POST
@_bad_requests_answered
def drilldown_export(request: HttpRequest) -> HttpResponse:
    """Ask for every dossier behind a figure as an XLSX list (it may be 100,000 rows)."""
    data, unit, period, _counted = _drilldown_arguments(request, request.POST)
    filters = _drilldown_filters(period, unit, data)
    slug = f"{period.year}-{period.kind}{period.index}"
    job = export_job_request(
        user=request.user,
        kind=ExportJob.Kind.DOSSIERS_XLSX,
        parameters=filters,
        filename=f"ho-so-{unit.code}-{data['counter']}-{slug}.xlsx",
    )
    return _export_job_response(request, job)


def _own_job(request: HttpRequest, job_id: uuid.UUID) -> ExportJob:
    job = export_job_of(user=request.user, job_id=job_id)
    if job is None:
        raise Http404(_("No such export."))
    return job


@login_required
@require_GET
def export_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """An export job's progress: the htmx fragment, or a page that refreshes itself until the
    job is finished (without JavaScript)."""
    job = _own_job(request, job_id)
    if request.htmx:
        return render(request, "reports/partials/export_job.html", {"job": job})
    return render(request, "reports/export_job.html", {"job": job})


@login_required
@require_GET
def export_download(request: HttpRequest, job_id: uuid.UUID) -> FileResponse:
    """The file of a finished export job, for the user who asked for it only."""
    job = _own_job(request, job_id)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404(_("This export has no file."))
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This export has no file.")) from None
    return FileResponse(handle, as_attachment=True, filename=job.filename)
