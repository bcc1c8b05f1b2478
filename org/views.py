"""Pages of the organisation app: each role's home, the unit tree and the working calendar."""

from __future__ import annotations

import datetime as dt
from base64 import b32encode
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .calendar_source import working_calendar
from .forms import PortalLoginForm, TwoFactorCodeForm
from .models import ROOT_WIDE_ROLES, Membership, Role, Unit, UnitLevel, valid_on_condition
from .selectors import membership_of, units_visible_to, working_calendar_year
from .services import two_factor_device_pending, two_factor_disable, two_factor_enable

UNITS_PER_PAGE = 50
# The calendar page covers the years the holidays package and the legal regimes make sense for.
CALENDAR_YEARS = range(2000, 2101)
SUBTREE_PREVIEW = 15


@dataclass(frozen=True)
class DayStatus:
    day: dt.date
    is_working_day: bool


@dataclass(frozen=True)
class LevelCount:
    label: str
    total: int
    in_force: int


@dataclass(frozen=True)
class AdminLink:
    label: str
    url: str


def _today_status() -> DayStatus:
    today = timezone.localdate()
    return DayStatus(day=today, is_working_day=working_calendar().is_working_day(today))


def _level_counts(units: QuerySet[Unit], today: dt.date) -> list[LevelCount]:
    rows = {
        row["level"]: row
        for row in units.order_by()
        .values("level")
        .annotate(total=Count("id"), in_force=Count("id", filter=valid_on_condition(today)))
    }
    return [
        LevelCount(label=label, total=rows[level]["total"], in_force=rows[level]["in_force"])
        for level, label in UnitLevel.choices
        if level in rows
    ]


def _admin_links() -> list[AdminLink]:
    wanted = [
        (_("Administration home"), "admin:index"),
        (_("Units"), "admin:org_unit_changelist"),
        (_("Memberships"), "admin:org_membership_changelist"),
        (_("Calendar overrides"), "admin:org_calendaroverride_changelist"),
        (_("Users"), "admin:auth_user_changelist"),
    ]
    links = []
    for label, url_name in wanted:
        try:
            links.append(AdminLink(label=label, url=reverse(url_name)))
        except NoReverseMatch:  # a model not (yet) registered in the admin
            continue
    return links


def _staff_home(request: HttpRequest, membership: Membership, units: QuerySet[Unit]) -> dict:
    return {"today": _today_status(), "visible_count": units.count()}


def _unit_leader_home(request: HttpRequest, membership: Membership, units: QuerySet[Unit]) -> dict:
    today = timezone.localdate()
    subunits = list(
        units.exclude(pk=membership.unit_id).valid_on(today).order_by("path")[:SUBTREE_PREVIEW]
    )
    base = membership.unit.depth
    return {
        "today": _today_status(),
        "level_counts": _level_counts(units, today),
        "subunits": [(unit, max(unit.depth - base - 1, 0)) for unit in subunits],
        "visible_count": units.count(),
        "subtree_preview": SUBTREE_PREVIEW,
    }


def _tree_overview(
    request: HttpRequest, membership: Membership | None, units: QuerySet[Unit]
) -> dict:
    today = timezone.localdate()
    root = None
    if membership is not None:
        root = Unit.objects.filter(pk=membership.unit.root_id).first()
    return {
        "root": root,
        "today": _today_status(),
        "level_counts": _level_counts(units, today),
        "visible_count": units.count(),
    }


def _administrator_home(
    request: HttpRequest, membership: Membership | None, units: QuerySet[Unit]
) -> dict:
    context = _tree_overview(request, membership, units)
    context["admin_links"] = _admin_links() if request.user.is_staff else []
    context["member_counts"] = [
        (Role(row["role"]).label, row["total"])
        for row in Membership.objects.filter(is_active=True, unit__in=units)
        .values("role")
        .annotate(total=Count("id"))
        .order_by("role")
    ]
    return context


# (request, membership, the units the user may see) -> the page's context.
HomeBuilder = Callable[[HttpRequest, Membership, QuerySet[Unit]], dict]

# Which page each role lands on, and what that page needs.
HOME_PAGES: dict[str, tuple[str, HomeBuilder]] = {
    Role.DESK_OFFICER: ("org/home/desk_officer.html", _staff_home),
    Role.PROCESSING_OFFICER: ("org/home/processing_officer.html", _staff_home),
    Role.UNIT_LEADER: ("org/home/unit_leader.html", _unit_leader_home),
    Role.COMMITTEE_MEMBER: ("org/home/committee_member.html", _tree_overview),
    Role.ADMINISTRATOR: ("org/home/administrator.html", _administrator_home),
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    if membership is None and not request.user.is_superuser:
        return render(request, "org/home/no_membership.html", {"membership": None})
    # A superuser without a unit administers the whole tree.
    role = membership.role if membership else Role.ADMINISTRATOR
    template, builder = HOME_PAGES[role]
    units = units_visible_to(request.user)
    context = {
        "membership": membership,
        "unit": membership.unit if membership else None,
        **builder(request, membership, units),
    }
    return render(request, template, context)


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    units = units_visible_to(request.user).prefetch_related("successors").order_by("path")
    if query:
        units = units.filter(Q(code__icontains=query) | Q(name__icontains=query))
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))

    # Indent relative to the top of what the user may see: their root for root-wide roles.
    membership = membership_of(request.user)
    root_wide = membership is None or membership.role in ROOT_WIDE_ROLES
    base = 0 if root_wide else membership.unit.depth
    today = timezone.localdate()
    rows = [
        {"unit": unit, "depth": max(unit.depth - base, 0), "in_force": unit.is_valid_on(today)}
        for unit in page
    ]
    return render(
        request,
        "org/unit_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "query": query,
            "filters": urlencode({"q": query}) if query else "",
            "today": today,
        },
    )


class DueDateForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("Received at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    working_days = forms.IntegerField(
        label=_("Processing time (working days)"), min_value=0, max_value=365
    )


@dataclass(frozen=True)
class DueDate:
    received_at: dt.datetime
    clock_starts_at: dt.datetime
    working_days: int
    due_at: dt.datetime


def _calendar_year(raw: str | None) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        return timezone.localdate().year
    return year if year in CALENDAR_YEARS else timezone.localdate().year


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    year = _calendar_year(request.GET.get("year"))
    working = working_calendar()
    language = "vi" if (get_language() or "vi").startswith("vi") else "en_US"
    calendar_year = working_calendar_year(year=year, language=language)

    due_date = None
    form = DueDateForm(request.GET if "received_at" in request.GET else None)
    if form.is_valid():
        received_at = form.cleaned_data["received_at"]
        days = form.cleaned_data["working_days"]
        due_date = DueDate(
            received_at=received_at,
            clock_starts_at=working.next_office_moment(received_at),
            working_days=days,
            due_at=working.add_working_days(received_at, days),
        )
    return render(
        request,
        "org/calendar.html",
        {
            "year": year,
            "years": [year - 1, year, year + 1],
            "holidays": calendar_year.holidays,
            "weekend_workdays": calendar_year.weekend_workdays,
            "overrides": calendar_year.overrides,
            "working_days": calendar_year.working_days,
            "months": calendar_year.months,
            "form": form,
            "due_date": due_date,
        },
    )


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """django-axes' answer once a username has failed too often from one address (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


class PortalLoginView(auth_views.LoginView):
    form_class = PortalLoginForm
    redirect_authenticated_user = True


def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin's login page: one login for the whole portal, the one asking for the
    second factor. Signed-in staff go to the admin; other signed-in users may not enter it."""
    if not request.user.is_authenticated:
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        return auth_views.redirect_to_login(next_url)
    if not admin.site.has_permission(request):
        raise PermissionDenied
    return redirect("admin:index")


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Switch two-step login (an authenticator app's 6-digit code) on or off."""
    membership = membership_of(request.user)
    if membership is None or membership.role not in settings.TWO_FACTOR_ROLES:
        raise PermissionDenied
    enabled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    form = TwoFactorCodeForm(request.POST or None)
    device = None if enabled else two_factor_device_pending(user=request.user)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        try:
            if enabled:
                two_factor_disable(user=request.user, token=token)
                messages.success(request, _("Two-step login is off."))
            else:
                two_factor_enable(user=request.user, device=device, token=token)
                # This session just proved the code; the user's other sessions have not.
                django_otp.login(request, device)
                messages.success(
                    request,
                    _("Two-step login is on: after your password, enter the app's code."),
                )
        except ValidationError as error:
            form.add_error("token", error)
        else:
            return redirect("org:two_factor")
    context = {"enabled": enabled, "form": form}
    if device is not None:
        context |= {
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
            "secret": b32encode(device.bin_key).decode(),
        }
    return render(request, "org/two_factor.html", context, status=400 if form.errors else 200)
