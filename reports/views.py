"""The steering committee's dashboard and the dossiers behind each of its figures (/bao-cao/).

Both pages are scoped by ``units_visible_to``: a unit outside it answers 404. The dashboard reads
only the rollups (through ``quarterly_report``), so its query count does not grow with the data;
the drill-down lists the dossiers of one figure, a page at a time.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dossiers.selectors import dossiers_visible_to
from org.forms import form_errors_text
from org.models import Unit, UnitLevel
from org.selectors import membership_of, unit_subtree, units_visible_to

from . import charts, exports
from .aggregate import counter_conditions, relevant_q
from .dashboard import COMBINED_COLUMNS, counter_label, dashboard_build, previous_quarter
from .forms import DashboardForm, DrilldownForm
from .periods import Period, PeriodKind, period_make
from .quarterly import quarterly_report, units_in_period
from .selectors import period_counters_ensured

DOSSIERS_PER_PAGE = 25


def _bad_request(request: HttpRequest, form) -> HttpResponse:
    return _bad_request_message(request, form_errors_text(form))


def _bad_request_message(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "reports/bad_request.html", {"message": message}, status=400)


def _dashboard_unit(request: HttpRequest, code: str) -> Unit:
    """The unit asked for, or the user's own (the root for a user without one); 404 when the
    user may not see it, so nobody learns that another commune's code exists."""
    visible = units_visible_to(request.user)
    if code:
        unit = visible.filter(code=code).first()
    else:
        membership = membership_of(request.user)
        if membership is not None:
            unit = membership.unit
        else:
            unit = visible.filter(parent__isnull=True).order_by("path").first()
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


class _BadRequest(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _report_arguments(request: HttpRequest) -> tuple[DashboardForm, Unit, int, int, str]:
    """The dashboard's form, unit, year, quarter and scheme from the query string (the page,
    its charts and its exports read the same ones)."""
    form = DashboardForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        raise _BadRequest(_bad_request(request, form))
    data = form.cleaned_data
    unit = _dashboard_unit(request, data["unit"])
    return form, unit, data["year"], data["quarter"], data["scheme"]


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        form, unit, year, quarter, scheme = _report_arguments(request)
    except _BadRequest as bad:
        return bad.response
    period = period_make(kind=PeriodKind.QUARTER, year=year, index=quarter, scheme=scheme)
    report = quarterly_report(year=year, quarter=quarter, unit=unit, scheme=scheme)

    before_year, before_quarter = previous_quarter(year, quarter)
    before = period_make(
        kind=PeriodKind.QUARTER, year=before_year, index=before_quarter, scheme=scheme
    )
    subtree_ids = [row["id"] for row in unit_subtree(unit).values("id")]
    previous_total = period_counters_ensured(period=before, unit_ids=subtree_ids)

    query = urlencode({"year": year, "quarter": quarter, "scheme": scheme, "unit": unit.code})
    choices = list(
        units_in_period(units_visible_to(request.user), period)
        .order_by("path")
        .values("code", "name", "path")
    )
    if unit.code not in {choice["code"] for choice in choices}:
        choices.append({"code": unit.code, "name": unit.name, "path": unit.path})
    for choice in choices:
        choice["depth"] = max(choice["path"].count("/") - 2, 0)
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
            "unit_choices": choices,
            "report": report,
            # Charts and exports are their own URLs with the same query: the page stays fast
            # and the browser loads the pictures after it.
            "charts": [
                {"url": f"{reverse('reports:chart', args=[name])}?{query}", "title": title}
                for name, title in CHART_TITLES.items()
            ],
            "exports": [
                {"url": f"{reverse('reports:export', args=[fmt])}?{query}", "label": label}
                for fmt, label in (("xlsx", _("XLSX (form II.06a)")), ("docx", _("Word report")))
            ],
            **dashboard_build(report=report, previous_total=previous_total, period_key=period.key),
        },
    )


@login_required
@require_GET
def drilldown(request: HttpRequest) -> HttpResponse:
    form = DrilldownForm(request.GET)
    if not form.is_valid():
        return _bad_request(request, form)
    data = form.cleaned_data
    unit = Unit.objects.filter(code=data["unit"]).first()
    if unit is None:
        return _bad_request_message(request, _("Unknown unit %(code)s.") % {"code": data["unit"]})
    if not units_visible_to(request.user).filter(id=unit.id).exists():
        raise Http404(_("No such unit."))
    period: Period = data["period"]
    today = timezone.localdate()
    if today < period.start:
        return _bad_request_message(request, _("This period has not started yet."))
    # An open period is counted up to today, as its rollup is.
    counted = period.as_of(today)
    counter = data["counter"]
    dossiers = dossiers_visible_to(request.user)
    if data["own"]:
        dossiers = dossiers.filter(receiving_unit=unit)
    else:
        dossiers = dossiers.filter(receiving_unit__in=unit_subtree(unit).values("id"))
    if data["level"]:
        dossiers = dossiers.filter(receiving_unit__level=data["level"])
    conditions = counter_conditions(counted)
    condition = Q()
    for name in COMBINED_COLUMNS.get(counter, (counter,)):
        condition |= conditions[name]
    dossiers = (
        dossiers.filter(relevant_q(counted) & condition)
        .select_related("procedure_version", "receiving_unit", "handling_unit")
        .order_by("received_at", "id")
    )
    page = Paginator(dossiers, DOSSIERS_PER_PAGE).get_page(request.GET.get("page"))
    filters = {"period": period.key, "unit": unit.code, "counter": counter}
    if data["level"]:
        filters["level"] = data["level"]
    if data["own"]:
        filters["own"] = "1"
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
def chart(request: HttpRequest, name: str) -> HttpResponse:
    """One of the dashboard's charts as SVG, drawn on the server from the rollups."""
    if name not in CHART_TITLES:
        raise Http404(_("No such chart."))
    try:
        _form, unit, year, quarter, scheme = _report_arguments(request)
    except _BadRequest as bad:
        return bad.response
    if name == "trend":
        figure = charts.trend_figure(
            charts.quarter_trend(unit=unit, year=year, quarter=quarter, scheme=scheme)
        )
    else:
        report = quarterly_report(year=year, quarter=quarter, unit=unit, scheme=scheme)
        figure = (charts.channel_figure if name == "channels" else charts.on_time_figure)(report)
    response = HttpResponse(charts.chart_svg(figure), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dashboard's report as form II.06a (XLSX) or the Word report (DOCX) to sign."""
    if fmt not in ("xlsx", "docx"):
        raise Http404(_("No such export."))
    try:
        _form, unit, year, quarter, scheme = _report_arguments(request)
    except _BadRequest as bad:
        return bad.response
    report = quarterly_report(year=year, quarter=quarter, unit=unit, scheme=scheme)
    stream = io.BytesIO()
    if fmt == "xlsx":
        exports.report_xlsx(report, stream)
        content_type = exports.XLSX_CONTENT_TYPE
    else:
        trend = charts.quarter_trend(unit=unit, year=year, quarter=quarter, scheme=scheme)
        exports.report_docx(report, stream, charts=charts.report_chart_pngs(report, trend))
        content_type = exports.DOCX_CONTENT_TYPE
    name = f"bao-cao-{unit.code}-{year}-q{quarter}.{fmt}"
    response = HttpResponse(stream.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
