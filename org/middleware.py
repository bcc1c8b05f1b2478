from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext


class PortalLocaleMiddleware:
    """Vietnamese unless the user chose English with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office PCs
    run an English browser: the portal must still open in Vietnamese there.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def request_holds_nul(request: HttpRequest) -> bool:
    """Whether the path or the query string holds a NUL character (``%00``)."""
    if "\x00" in request.path_info:
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


class NulRefusingMiddleware:
    """400 for any address whose path or query string holds a NUL character.

    PostgreSQL refuses NUL in every query, so one reaching a lookup would be a 500; no page or
    API endpoint has a use for it. (Form fields refuse NUL through Django's own validator.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_holds_nul(request):
            return HttpResponseBadRequest(
                gettext("The address holds a NUL character, which no page accepts."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
