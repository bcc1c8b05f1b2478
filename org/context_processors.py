from django.http import HttpRequest

from .navigation import navigation_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"navigation": navigation_for(user)}
