"""HTTP answers shared by the apps' pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, message: str, *, template: str, **context) -> HttpResponse:
    """A 400 page saying what was wrong with the request (``message``, already translated).

    Each app has its own ``<app>/bad_request.html`` (its way back: the desk's queue, the
    committee's index, the dashboard); ``context`` adds to what the template shows.
    """
    return render(request, template, {"message": message, **context}, status=400)


# The media type of every XLSX download (registers, exports, task lists).
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
