"""Printable forms of a dossier (Mẫu 01–05 / 01–06) and the register (Mẫu 06 / 07).

Every slip is found through ``dossiers_visible_to`` (another unit's dossier answers 404) and
answers 404 too when the form does not apply to the dossier (a refusal slip for an accepted
dossier, an apology slip without an apology, a stop notice for a dossier that was not stopped
or follows Circular 01/2018, which has no such form, …). The content is built in ``printing``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc_portal.http import XLSX_CONTENT_TYPE
from org.selectors import membership_of, units_visible_to

from .models import Apology, Dossier, DossierStatus, Event, Regime, SupplementRequest
from .printing import (
    REGISTER_COLUMNS,
    REGISTER_PAGE_SIZE,
    REGISTER_XLSX_MAX_ROWS,
    FormKind,
    RegisterRequestError,
    apology_build,
    control_sheet_build,
    form_spec,
    issuer_for,
    receipt_build,
    refusal_build,
    register_headers,
    register_page_parse,
    register_pages,
    register_range_parse,
    register_rows,
    stop_notice_build,
    supplement_build,
)
from .qr import qr_svg
from .register_export import (
    register_book_position,
    register_dossiers,
    register_xlsx_file,
)
from .selectors import dossiers_visible_to


def _dossier(request: HttpRequest, code: str) -> Dossier:
    dossiers = dossiers_visible_to(request.user).select_related(
        "procedure_version", "receiving_unit__parent__parent", "handling_unit"
    )
    return get_object_or_404(dossiers, code=code)


def _events(dossier: Dossier) -> list[Event]:
    return list(dossier.events.select_related("from_unit", "to_unit", "by").order_by("at", "id"))


def _lookup_url(request: HttpRequest, code: str) -> str:
    """The public lookup page for the code, absolute: the citizen scans it from paper."""
    return request.build_absolute_uri(reverse("lookup:search")) + "?" + urlencode({"code": code})


def _back_url(request: HttpRequest) -> str:
    """Where "Back" leads: the page the print was opened from, if it is ours, else home."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("home")


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(
        request,
        f"dossiers/print/{template}",
        {"back_url": _back_url(request), **context},
        status=status,
    )


def _slip(request: HttpRequest, template: str, dossier: Dossier, form, **context) -> HttpResponse:
    return _page(
        request,
        template,
        {
            "form": form,
            "dossier": dossier,
            "qr": qr_svg(_lookup_url(request, dossier.code)),
            **context,
        },
    )


def _events_slip_view(
    template: str, build: Callable[..., Any], applies: Callable[[Dossier], bool]
) -> Callable[[HttpRequest, str], HttpResponse]:
    """The view of a slip built from the dossier and its events; 404 unless the form
    ``applies`` to the dossier."""

    @require_GET
    @login_required
    def view(request: HttpRequest, code: str) -> HttpResponse:
        dossier = _dossier(request, code)
        if not applies(dossier):
            raise Http404
        return _slip(request, template, dossier, build(dossier=dossier, events=_events(dossier)))

    return view


def _refused(dossier: Dossier) -> bool:
    return dossier.status == DossierStatus.REFUSED


def _not_refused(dossier: Dossier) -> bool:
    return dossier.status != DossierStatus.REFUSED


def _stopped_under_118(dossier: Dossier) -> bool:
    """Only Decree 118/2025 has a stop notice (Circular 01/2018 has no such form)."""
    return dossier.status == DossierStatus.STOPPED and dossier.regime == Regime.DECREE_118_2025


@require_GET
@login_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    if dossier.status == DossierStatus.REFUSED:
        raise Http404
    version = dossier.procedure_version
    form = receipt_build(
        dossier=dossier,
        events=_events(dossier),
        # Only what was handed in at intake: papers brought later belong to the supplement.
        received_documents=list(dossier.documents.filter(supplement_request=None)),
        catalogue_documents=list(version.documents.all()),
        processing_time=version.processing_time_for(dossier.channel),
        book=register_book_position(dossier),
    )
    return _slip(request, "receipt.html", dossier, form)


@require_GET
@login_required
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    requests = list(
        SupplementRequest.objects.filter(dossier=dossier)
        .select_related("requested_by")
        .order_by("requested_at", "id")
    )
    wanted = request.GET.get("request")
    if wanted:
        if not wanted.isdecimal():
            return _bad_request(request, _("The request parameter must be a number."))
        chosen = next((found for found in requests if found.pk == int(wanted)), None)
    else:
        chosen = requests[-1] if requests else None
    if chosen is None:
        raise Http404
    form = supplement_build(dossier=dossier, request=chosen, sequence=requests.index(chosen) + 1)
    return _slip(request, "supplement.html", dossier, form)


refusal = _events_slip_view("refusal.html", refusal_build, _refused)


@require_GET
@login_required
def apology(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    found = Apology.objects.filter(dossier=dossier).select_related("issued_by").first()
    if found is None:
        raise Http404
    return _slip(request, "apology.html", dossier, apology_build(dossier=dossier, apology=found))


stop_notice = _events_slip_view("stop_notice.html", stop_notice_build, _stopped_under_118)


control_sheet = _events_slip_view("control_sheet.html", control_sheet_build, _not_refused)


def _bad_request(request: HttpRequest, message: str, **context) -> HttpResponse:
    return _page(request, "bad_request.html", {"message": message, **context}, status=400)


@require_GET
@login_required
def register(request: HttpRequest) -> HttpResponse:
    try:
        period = register_range_parse(
            start=request.GET.get("from"),
            end=request.GET.get("to"),
            output=request.GET.get("format"),
            today=timezone.localdate(),
        )
    except RegisterRequestError as error:
        return _bad_request(request, str(error))
    unit_code = request.GET.get("unit", "").strip()
    unit = None
    if unit_code:
        unit = (
            units_visible_to(request.user).select_related("parent").filter(code=unit_code).first()
        )
        if unit is None:
            message = _("Unknown unit, or a unit you may not see: %(code)s.")
            return _bad_request(request, message % {"code": unit_code})
    else:
        membership = membership_of(request.user)
        unit = membership.unit if membership else None
    spec = form_spec(regime=period.regime, form=FormKind.REGISTER)
    dossiers = register_dossiers(user=request.user, period=period, unit=unit if unit_code else None)
    if period.output == "xlsx":
        return _register_xlsx(request, period, dossiers, spec)
    total = dossiers.count()
    page = register_page_parse(request.GET.get("page"), total=total, size=REGISTER_PAGE_SIZE)
    pages = register_pages(total, REGISTER_PAGE_SIZE)
    offset = (page - 1) * REGISTER_PAGE_SIZE
    rows = register_rows(dossiers[offset : offset + REGISTER_PAGE_SIZE], first_number=offset + 1)
    header_top, header_bottom = register_headers()
    return _page(
        request,
        "register.html",
        {
            "spec": spec,
            "issuer": issuer_for(unit=unit, regime=period.regime) if unit else None,
            "period": period,
            "title": period.title,
            "columns": REGISTER_COLUMNS,
            "header_top": header_top,
            "header_bottom": header_bottom,
            "rows": [row.cells() for row in rows],
            "total": total,
            "page": page,
            "pages": pages,
            "previous_url": _register_url(request, period, page=page - 1) if page > 1 else "",
            "next_url": _register_url(request, period, page=page + 1) if page < pages else "",
            "xlsx_url": _register_url(request, period, output="xlsx"),
        },
    )


def _register_xlsx(request: HttpRequest, period, dossiers, spec) -> HttpResponse:
    """The register of the range as one worksheet, or 400 when it would not fit in one."""
    if dossiers.count() > REGISTER_XLSX_MAX_ROWS:
        return _bad_request(
            request,
            _(
                "The register has more dossiers in this range than one worksheet holds; "
                "choose a unit or a shorter range."
            ),
        )
    output = register_xlsx_file(dossiers=dossiers, spec=spec, title=period.title)
    return FileResponse(
        output,
        as_attachment=True,
        filename=f"so-theo-doi-{period.start.isoformat()}-{period.end.isoformat()}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def _register_url(
    request: HttpRequest, period, *, output: str = "html", page: int | None = None
) -> str:
    params = request.GET.copy()
    params["from"], params["to"] = period.start.isoformat(), period.end.isoformat()
    params["format"] = output
    params.pop("page", None)
    if page is not None:
        params["page"] = str(page)
    return f"{reverse('dossier_forms:register')}?{params.urlencode()}"
