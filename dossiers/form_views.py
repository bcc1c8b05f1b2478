"""Printable forms of a dossier (Mẫu 01–05 / 01–06) and the register (Mẫu 06 / 07).

Every slip is found through ``dossiers_visible_to`` (another unit's dossier answers 404) and
answers 404 too when the form does not apply to the dossier (a refusal slip for an accepted
dossier, an apology slip without an apology, …). The content is built in ``printing``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from org.selectors import membership_of, units_visible_to

from .models import Apology, Dossier, DossierStatus, Event, SupplementRequest
from .printing import (
    REGISTER_HTML_MAX_ROWS,
    REGISTER_XLSX_MAX_ROWS,
    FormKind,
    RegisterRequestError,
    apology_build,
    control_sheet_build,
    form_spec,
    issuer_for,
    receipt_build,
    refusal_build,
    register_range_parse,
    register_rows,
    supplement_build,
)
from .qr import qr_svg
from .register_export import XLSX_CONTENT_TYPE, register_dossiers, register_xlsx_file
from .selectors import dossiers_visible_to


def _dossier(request: HttpRequest, code: str) -> Dossier:
    dossiers = dossiers_visible_to(request.user).select_related(
        "procedure_version", "receiving_unit__parent", "handling_unit"
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


@require_GET
@login_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    if dossier.status == DossierStatus.REFUSED:
        raise Http404
    form = receipt_build(
        dossier=dossier,
        events=_events(dossier),
        documents=list(dossier.procedure_version.documents.all()),
    )
    return _slip(request, "receipt.html", dossier, form)


@require_GET
@login_required
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    requests = SupplementRequest.objects.filter(dossier=dossier).select_related("requested_by")
    wanted = request.GET.get("request")
    if wanted:
        if not wanted.isdigit():
            return _bad_request(request, _("The request parameter must be a number."))
        chosen = requests.filter(pk=int(wanted)).first()
    else:
        chosen = requests.order_by("-requested_at", "-id").first()
    if chosen is None:
        raise Http404
    return _slip(
        request, "supplement.html", dossier, supplement_build(dossier=dossier, request=chosen)
    )


@require_GET
@login_required
def refusal(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    if dossier.status != DossierStatus.REFUSED:
        raise Http404
    form = refusal_build(dossier=dossier, events=_events(dossier))
    return _slip(request, "refusal.html", dossier, form)


@require_GET
@login_required
def apology(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    found = Apology.objects.filter(dossier=dossier).select_related("issued_by").first()
    if found is None:
        raise Http404
    return _slip(request, "apology.html", dossier, apology_build(dossier=dossier, apology=found))


@require_GET
@login_required
def control_sheet(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    if dossier.status == DossierStatus.REFUSED:
        raise Http404
    form = control_sheet_build(dossier=dossier, events=_events(dossier))
    return _slip(request, "control_sheet.html", dossier, form)


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
        )
    except RegisterRequestError as error:
        return _bad_request(request, str(error))
    unit = None
    unit_code = request.GET.get("unit", "").strip()
    if unit_code:
        unit = units_visible_to(request.user).filter(code=unit_code).first()
        if unit is None:
            message = _("Unknown unit, or a unit you may not see: %(code)s.")
            return _bad_request(request, message % {"code": unit_code})
    if unit is None:
        membership = membership_of(request.user)
        unit = membership.unit if membership else None
    spec = form_spec(regime=period.regime, form=FormKind.REGISTER)
    title = _("From %(start)s to %(end)s") % {
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
    }
    dossiers = register_dossiers(user=request.user, period=period, unit=unit if unit_code else None)
    if period.output == "xlsx":
        if dossiers.count() > REGISTER_XLSX_MAX_ROWS:
            return _bad_request(
                request,
                _(
                    "The register has more dossiers in this range than one worksheet holds; "
                    "choose a unit or a shorter range."
                ),
            )
        output = register_xlsx_file(dossiers=dossiers, spec=spec, title=title)
        return FileResponse(
            output,
            as_attachment=True,
            filename=f"so-theo-doi-{period.start.isoformat()}-{period.end.isoformat()}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
    total = dossiers.count()
    xlsx_url = _register_url(request, output="xlsx")
    if total > REGISTER_HTML_MAX_ROWS:
        return _bad_request(
            request,
            _(
                "The register has %(total)s dossiers in this range, more than %(limit)s can be "
                "printed; download it as XLSX or shorten the range."
            )
            % {"total": total, "limit": REGISTER_HTML_MAX_ROWS},
            xlsx_url=xlsx_url,
        )
    return _page(
        request,
        "register.html",
        {
            "spec": spec,
            "issuer": issuer_for(unit=unit, regime=period.regime) if unit else None,
            "period": period,
            "title": title,
            "rows": list(register_rows(dossiers)),
            "xlsx_url": xlsx_url,
        },
    )


def _register_url(request: HttpRequest, *, output: str) -> str:
    params = request.GET.copy()
    params["format"] = output
    return f"{reverse('dossier_forms:register')}?{params.urlencode()}"
