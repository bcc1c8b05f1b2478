import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext
from django_otp import user_has_device

from .text import has_control_characters

logger = logging.getLogger(__name__)

# URL namespaces whose anonymous answers still concern one person (the public lookup shows
# where a citizen's dossier stands).
PERSONAL_PUBLIC_NAMESPACES = frozenset({"lookup"})


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


# A JSON string escape of a control character no text may hold (``\u001b``; not ``\u0009``,
# ``\u000a``, ``\u000d``), not itself escaped (``\\u001b`` is the text "\u001b").
_JSON_CONTROL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F])")


def request_control_field(request: HttpRequest) -> str | None:
    """The name of a submitted text field holding a control character (``""`` for a JSON body,
    ``None`` when there is none). Uploaded files are not text fields and are not read here."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    if request.content_type == "application/json":
        return "" if _JSON_CONTROL_ESCAPE.search(request.body) else None
    if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None
    for key, values in request.POST.lists():
        if has_control_characters(key) or any(has_control_characters(v) for v in values):
            return key
    return None


class ControlCharacterRefusingMiddleware:
    """400 for a form or JSON body whose text holds a C0 control character (Esc, bell,
    backspace…; tab and line breaks are text): no name, address or reason needs one, and one
    stored would break the XLSX exports it reaches (``org.text``). Said before any view runs,
    so nothing is written; imports drop such characters cell by cell (``org.tabular``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = request_control_field(request)
        if field is None:
            return self.get_response(request)
        if field:
            message = gettext(
                "The field %(field)s holds a control character (such as Esc), which no text may "
                "contain. Retype it and send the form again."
            ) % {"field": field}
        else:
            message = gettext(
                "The JSON body holds a control character (such as U+001B, Esc) in a text, which "
                "no text may contain."
            )
        if request.content_type == "application/json":
            return JsonResponse({field or "detail": [message]}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class SecondFactorRequiredMiddleware:
    """Ends the session of a user with two-step login on who got in without the code.

    The portal's login asks for the code and marks the session verified (django-otp); any
    session of such a user that is not verified came another way (an old session from before
    the device was confirmed, a login page that did not ask) and must not open pages or the API.
    The request then goes on as an anonymous one: pages send it to the login, the API refuses.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified() and user_has_device(user):
            logger.warning(
                "Session of user %s without the second factor ended at %s", user.pk, request.path
            )
            logout(request)
        return self.get_response(request)


class PersonalDataNoStoreMiddleware:
    """``Cache-Control: no-store, private`` on whatever a signed-in user is shown, and on the
    public lookup: no browser or proxy keeps a copy of a dossier on a shared office PC.

    An answer that sets its own Cache-Control keeps it (static files are served before this
    middleware and keep their long caching).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response.headers:
            return response
        match = request.resolver_match
        personal_public = match is not None and match.namespace in PERSONAL_PUBLIC_NAMESPACES
        if personal_public or request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
