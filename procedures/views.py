"""Public pages of the catalogue: search and one procedure, as a citizen reads them."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .forms import CatalogueSearchForm
from .models import Channel, OnlineLevel
from .selectors import catalogue_search, versions_in_force

PROCEDURES_PER_PAGE = 25


# Decree 42/2022: a fully online procedure is done entirely online; otherwise the citizen may
# come in person or use the public postal service, and online submission is offered from
# level 3 / "partly online" upwards.
ONLINE_SUBMISSION = {
    OnlineLevel.LEVEL_3,
    OnlineLevel.LEVEL_4,
    OnlineLevel.PARTIAL,
    OnlineLevel.FULL,
}


def channels_for(online_level: str) -> list[str]:
    if online_level == OnlineLevel.FULL:
        return [Channel.ONLINE]
    channels = [Channel.DIRECT]
    if online_level in ONLINE_SUBMISSION:
        channels.append(Channel.ONLINE)
    channels.append(Channel.POSTAL)
    return channels


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueSearchForm(request.GET)
    arguments = form.search_arguments()
    versions = catalogue_search(**arguments).prefetch_related("levels")
    page = Paginator(versions, PROCEDURES_PER_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "procedures/catalogue.html",
        {"form": form, "page_obj": page, "on": arguments["on"], "filters": filters.urlencode()},
    )


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    on = CatalogueSearchForm(request.GET).search_arguments()["on"]
    version = (
        versions_in_force(on=on)
        .filter(procedure__code=code)
        .select_related("procedure", "sector")
        .prefetch_related("levels", "documents", "channel_times", "implementing_units")
        .first()
    )
    if version is None:
        raise Http404
    return render(
        request,
        "procedures/detail.html",
        {
            "version": version,
            "on": on,
            "channels": [Channel(channel) for channel in channels_for(version.online_level)],
        },
    )
