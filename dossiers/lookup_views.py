"""Public lookup of a dossier's status (mounted at /tra-cuu/, no login).

The citizen gives the dossier code printed on the receipt (its QR code opens this page with
``?code=``) and the last 4 digits of the phone number or ID number they gave at the desk. The
page shows only where the dossier stands — never a name, phone, ID, address, e-mail or a staff
member — and answers an unknown code and wrong digits with the same message, so nobody can
probe which codes exist.

Limits. Codes are sequential, so anyone can pick a real one; its 4 digits are 10,000 guesses.
The limits must stop those guesses without letting an attacker lock the citizen out:

1. Every lookup counts against its client address (``LOOKUP_RATE_LIMIT``, 10/m).
2. A browser that has given the right digits for a code carries a signed cookie saying so
   (an HMAC of the code: the cookie does not show which codes) and is not limited further on
   that code: it knows the digits already.
3. Every other lookup of a code counts against the code (``LOOKUP_CODE_RATE_LIMIT``, 20/h),
   whether the code exists or not; a right answer takes its count back, so the counter holds
   only failures from browsers that never succeeded. Below the limit nothing more happens.
4. Over it the code is under attack for the rest of the day (the window of
   ``LOOKUP_CODE_NETWORK_RATE_LIMIT``), and each network (IPv4 /24, IPv6 /48) may try it only
   ``LOOKUP_CODE_NETWORK_RATE_LIMIT`` times (3/d), right answers again taken back.

Every limit is decided from counts taken before the digits are compared, so a refusal says
nothing about whether the digits were right (no oracle). The real citizen, on a network the
attacker does not share, always has tries left: hammering a code from other networks exhausts
only those networks. Guessing costs networks instead: per code and day an attacker gets the 20
tries that put the code under attack plus 3 per network, so a 10 % chance (1,000 tries) takes
about 330 networks of 256 addresses each. That is the price of never locking the citizen out of
their dossier; a citizen who shares a network with the attacker still gets in from a browser
that succeeded before, or from any other network. With the cache down the counts are kept per
process (see ``dossiers.ratelimit``), so N workers allow up to N times as many tries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import re
import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .models import Dossier, DossierStatus, SupplementRequest
from .ratelimit import (
    client_ip,
    client_network,
    rate_limit_count,
    rate_limit_peek,
    rate_limit_refund,
    rate_parse,
)

TEMPLATE = "dossiers/lookup.html"
DIGITS = 4

# The browser that gave the right digits for a code: a signed cookie of code HMACs.
TRUST_COOKIE = "cchc_lookup"
TRUST_SALT = "dossiers.lookup.trust"
TRUST_MAX_AGE = 30 * 86400
TRUST_CODES = 10
# Tries of a code under attack per network, unless settings say otherwise.
CODE_NETWORK_RATE_LIMIT = "3/d"

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


def _code_normal(code: str) -> str:
    return code.strip().upper()


def _key_part(text: str) -> str:
    """``text`` if it is an IP address or network, else its hash: a cache key holds no spaces
    or control characters, and a forged header may."""
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return hashlib.sha256(text.encode()).hexdigest()
    return text


def _trust_token(code: str) -> str:
    return salted_hmac(TRUST_SALT, _code_normal(code)).hexdigest()[:20]


def _trust_tokens(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(
        TRUST_COOKIE, default="", salt=TRUST_SALT, max_age=TRUST_MAX_AGE
    )
    return value.split()[:TRUST_CODES]


def lookup_trusted(request: HttpRequest, code: str) -> bool:
    """Whether this browser has given the right digits for ``code`` in the last 30 days."""
    return _trust_token(code) in _trust_tokens(request)


def lookup_trust(request: HttpRequest, response: HttpResponse, code: str) -> None:
    """Remember on ``response`` that this browser knows the digits of ``code`` (the newest
    ``TRUST_CODES`` codes are kept)."""
    token = _trust_token(code)
    tokens = [token, *(other for other in _trust_tokens(request) if other != token)]
    response.set_signed_cookie(
        TRUST_COOKIE,
        " ".join(tokens[:TRUST_CODES]),
        salt=TRUST_SALT,
        max_age=TRUST_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


@dataclass(frozen=True)
class LookupGate:
    """What the limits said about one lookup: refused ("address" or "code") or not, and the
    counts to take back if its digits turn out right."""

    at: float
    refused: str = ""
    retry_after: int = 0
    counted: tuple[tuple[str, int], ...] = ()


def lookup_admit(*, code: str, address: str, trusted: bool, now: float | None = None) -> LookupGate:
    """Count one lookup of ``code`` from ``address`` and say whether it may be answered (the
    rules are in the module docstring). Call :func:`lookup_found` when it was right."""
    now = time.time() if now is None else now
    limit, period = rate_parse(settings.LOOKUP_RATE_LIMIT)
    if rate_limit_count(f"lookup:{_key_part(address)}", period, now=now) > limit:
        return LookupGate(at=now, refused="address", retry_after=period)
    if trusted:
        return LookupGate(at=now)
    # Hashed: the typed code may hold spaces or control characters no cache key may contain.
    code_key = hashlib.sha256(_code_normal(code).encode()).hexdigest()
    network_limit, day = rate_parse(
        getattr(settings, "LOOKUP_CODE_NETWORK_RATE_LIMIT", CODE_NETWORK_RATE_LIMIT)
    )
    attacked_key = f"lookup-code-attacked:{code_key}"
    if not rate_limit_peek(attacked_key, day, now=now):
        limit, period = rate_parse(settings.LOOKUP_CODE_RATE_LIMIT)
        code_counted = (f"lookup-code:{code_key}", period)
        if rate_limit_count(*code_counted, now=now) <= limit:
            return LookupGate(at=now, counted=(code_counted,))
        rate_limit_count(attacked_key, day, now=now)
    network_counted = (f"lookup-code-net:{code_key}:{_key_part(client_network(address))}", day)
    if rate_limit_count(*network_counted, now=now) > network_limit:
        return LookupGate(at=now, refused="code", retry_after=day)
    return LookupGate(at=now, counted=(network_counted,))


def lookup_found(gate: LookupGate) -> None:
    """The lookup admitted by ``gate`` gave the right digits: take its counts back."""
    for key, period in gate.counted:
        rate_limit_refund(key, period, now=gate.at)


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
    code = form.cleaned_data["code"]
    gate = lookup_admit(
        code=code, address=client_ip(request), trusted=lookup_trusted(request, code)
    )
    if gate.refused:
        context = {"form": form, "throttled": gate.refused}
        response = render(request, TEMPLATE, context, status=429)
        response["Retry-After"] = str(gate.retry_after)
        return response
    result = public_status_find(code=code, digits=form.cleaned_data["digits"])
    response = render(
        request, TEMPLATE, {"form": form, "result": result, "not_found": result is None}
    )
    if result is not None:
        lookup_found(gate)
        lookup_trust(request, response, code)
    return response
