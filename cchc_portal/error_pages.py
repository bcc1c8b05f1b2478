"""The portal's own error pages in the demo too.

In production (``DJANGO_DEBUG=0``) Django renders ``templates/404.html``, ``403.html``,
``403_csrf.html`` and ``500.html`` itself. With DEBUG on — the demo of ``make run``, the first
thing anyone sees — it answers a missing page with its English technical page instead; this
middleware puts the portal's Vietnamese page in its place. A developer who wants Django's
page sets ``DEBUG_TECHNICAL_404=1``. Tracebacks of a 500 stay Django's while DEBUG is on.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found


class DebugNotFoundPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not settings.DEBUG_TECHNICAL_404
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "portal_error_page", False)
        ):
            response = page_not_found(request, Http404())
            response.portal_error_page = True
        return response
