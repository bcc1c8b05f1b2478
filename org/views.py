from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import membership_of, units_visible_to


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    return render(request, "org/home.html", {"membership": membership})


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = units_visible_to(request.user).select_related("parent")
    return render(request, "org/unit_list.html", {"units": units})


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    return render(request, "org/calendar.html", {})
