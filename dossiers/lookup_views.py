"""Public lookup of a dossier's status (mounted at /tra-cuu/, no login).

The citizen gives the dossier code printed on the receipt (its QR code opens this page with
``?code=``) and the last 4 digits of the phone number or ID number they gave at the desk. The
page shows only where the dossier stands — never a name, phone, ID, address, e-mail or a staff
member — and answers an unknown code and wrong digits with the same message, so nobody can
probe which codes exist. Lookups are rate-limited per client address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .models import Dossier, DossierStatus, SupplementRequest
from .ratelimit import client_ip, rate_limit_hit, rate_parse

TEMPLATE = "dossiers/lookup.html"
DIGITS = 4

# What each state means for the citizen, in plain words.
STATUS_EXPLANATIONS = {
    DossierStatus.RECEIVED: _("Your dossier has been received and is waiting to be processed."),
    DossierStatus.PROCESSING: _("Your dossier is being processed."),
    DossierStatus.SUPPLEMENT_REQUESTED: _(
        "Your dossier is incomplete: please bring the documents listed below to the desk."
    ),
    DossierStatus.FINISHED: _("The result is ready: you can collect it at the desk."),
    DossierStatus.RETURNED: _("The result has been handed to you."),
    DossierStatus.REFUSED: _(
        "The dossier was refused at intake: it was not accepted for processing."
    ),
    DossierStatus.WITHDRAWN: _("The dossier was withdrawn at your request."),
    DossierStatus.STOPPED: _("Processing of the dossier was stopped."),
}


@dataclass(frozen=True)
class PublicStatus:
    """Everything the public page may show about a dossier; nothing personal, nobody's name."""

    code: str
    procedure_name: str
    status: str
    status_label: str
    explanation: str
    received_at: dt.datetime
    # The appointment: the legal due date, or the date an apology letter moved it to.
    due_at: dt.datetime | None
    rescheduled: bool
    original_due_at: dt.datetime | None
    result_ready_at: dt.datetime | None
    returned_at: dt.datetime | None
    ended_at: dt.datetime | None
    supplement: SupplementRequest | None

    @property
    def refused(self) -> bool:
        return self.status == DossierStatus.REFUSED

    @property
    def tone(self) -> str:
        """The Bootstrap colour of the status badge."""
        if self.status in {DossierStatus.REFUSED, DossierStatus.STOPPED}:
            return "danger"
        if self.status in {DossierStatus.FINISHED, DossierStatus.RETURNED}:
            return "success"
        if self.status == DossierStatus.SUPPLEMENT_REQUESTED:
            return "warning"
        if self.status == DossierStatus.WITHDRAWN:
            return "secondary"
        return "primary"


def _last_digits(value: str) -> str:
    digits = re.sub(r"[^0-9]", "", value or "")
    return digits[-DIGITS:] if len(digits) >= DIGITS else ""


def digits_match(dossier: Dossier, digits: str) -> bool:
    """Whether ``digits`` are the last 4 digits of the applicant's phone or ID number.

    A dossier with neither cannot be looked up.
    """
    candidates = [_last_digits(dossier.applicant_phone), _last_digits(dossier.applicant_id_number)]
    # Both compared, in constant time: the answer's timing says nothing about which matched.
    matches = [hmac.compare_digest(last, digits) for last in candidates if last]
    return any(matches)


def public_status_find(*, code: str, digits: str) -> PublicStatus | None:
    """The public view of dossier ``code`` if ``digits`` match it; None otherwise, whether the
    code is unknown or the digits are wrong."""
    code = code.strip()
    # Exact match (the unique index) on the code as typed or in capitals: unit codes are.
    dossier = (
        Dossier.objects.select_related("procedure_version")
        .filter(code__in={code, code.upper()})
        .first()
    )
    if dossier is None or not digits_match(dossier, digits):
        return None
    status = dossier.status
    supplement = None
    if status == DossierStatus.SUPPLEMENT_REQUESTED:
        supplement = SupplementRequest.objects.filter(
            dossier=dossier, completed_at__isnull=True
        ).first()
    refused = status == DossierStatus.REFUSED
    ended = status in {DossierStatus.WITHDRAWN, DossierStatus.STOPPED}
    result_ready = status in {DossierStatus.FINISHED, DossierStatus.RETURNED}
    rescheduled = dossier.rescheduled_due_at is not None
    return PublicStatus(
        code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        status=status,
        status_label=dossier.get_status_display(),
        explanation=STATUS_EXPLANATIONS.get(status, ""),
        received_at=dossier.received_at,
        due_at=None if refused else (dossier.rescheduled_due_at or dossier.due_at),
        rescheduled=rescheduled and not refused,
        original_due_at=dossier.due_at if rescheduled else None,
        result_ready_at=dossier.finished_at if result_ready else None,
        returned_at=dossier.returned_at,
        ended_at=dossier.finished_at if ended else None,
        supplement=supplement,
    )


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=64)
    digits = forms.RegexField(
        label=_("Last 4 digits of the applicant's phone or ID number"),
        regex=rf"^[0-9]{{{DIGITS}}}$",
        error_messages={"invalid": _("Enter exactly 4 digits.")},
    )


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        data = request.POST
    elif "code" in request.GET and "digits" in request.GET:
        data = request.GET
    else:
        # The receipt's QR code opens the page with ?code=: the citizen adds the digits.
        form = LookupForm(initial={"code": request.GET.get("code", "").strip()[:64]})
        return render(request, TEMPLATE, {"form": form})
    form = LookupForm(data)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    # Hashed: the typed code may hold spaces or control characters no cache key may contain.
    code_key = hashlib.sha256(form.cleaned_data["code"].strip().upper().encode()).hexdigest()
    for key, rate in [
        (f"lookup:{client_ip(request)}", settings.LOOKUP_RATE_LIMIT),
        (f"lookup-code:{code_key}", settings.LOOKUP_CODE_RATE_LIMIT),
    ]:
        limit, period = rate_parse(rate)
        if rate_limit_hit(key, limit, period):
            response = render(request, TEMPLATE, {"form": form, "throttled": True}, status=429)
            response["Retry-After"] = str(period)
            return response
    result = public_status_find(code=form.cleaned_data["code"], digits=form.cleaned_data["digits"])
    return render(request, TEMPLATE, {"form": form, "result": result, "not_found": result is None})
