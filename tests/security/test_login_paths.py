"""Two-step login holds on every way in (issue 17, item 4): the portal's login asks for the
code, the admin's login sends to it, and a session that skipped the code opens nothing."""

from __future__ import annotations

import base64

import pytest
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.urls import URLResolver, get_resolver
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from org.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "cchc-test-password"
PORTAL_LOGIN = "/dang-nhap/"
ADMIN_LOGIN = "/admin/login/"
# Every address that signs a user in; the test below fails when a new one appears.
LOGIN_ROUTES = {"dang-nhap/", "admin/login/"}
API = "/api/v1/units/"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def code_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def administrator(username: str = "quantri", *, with_device: bool):
    user = UserFactory(username=username, is_staff=True)
    MembershipFactory(user=user, role=Role.ADMINISTRATOR)
    if with_device:
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def login_routes() -> set[str]:
    """Every route whose view is a login view, or whose name or address says login."""
    found = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
                continue
            view_class = getattr(pattern.callback, "view_class", None)
            is_login_view = isinstance(view_class, type) and issubclass(view_class, LoginView)
            named_login = "login" in (pattern.name or "") or "login" in route
            if is_login_view or named_login or "login" in pattern.callback.__name__:
                found.add(route)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_login_address_is_one_these_tests_cover():
    assert login_routes() == LOGIN_ROUTES


def test_the_api_has_no_login_of_its_own():
    assert settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] == [
        "rest_framework.authentication.SessionAuthentication"
    ]


def test_the_api_does_not_take_the_password_alone(client):
    administrator(with_device=True)
    token = base64.b64encode(f"quantri:{PASSWORD}".encode()).decode()

    response = client.get(API, HTTP_AUTHORIZATION=f"Basic {token}")

    assert response.status_code == 403
    assert not signed_in(client)


def test_the_portal_login_needs_the_code_then_opens_the_admin_and_the_api(client):
    device = TOTPDevice.objects.get(user=administrator(with_device=True))

    refused = client.post(
        f"{PORTAL_LOGIN}?next=/admin/", {"username": "quantri", "password": PASSWORD}
    )
    assert refused.status_code == 200
    assert "Enter the 6-digit code" in refused.content.decode()
    assert not signed_in(client)

    accepted = client.post(
        f"{PORTAL_LOGIN}?next=/admin/",
        {"username": "quantri", "password": PASSWORD, "otp_token": code_of(device)},
    )

    assert accepted.status_code == 302 and accepted["Location"] == "/admin/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/admin/").status_code == 200
    assert client.get(API).status_code == 200
    assert client.get("/").status_code == 200


def test_the_admin_login_sends_to_the_portal_login(client):
    administrator(with_device=True)

    page = client.get(f"{ADMIN_LOGIN}?next=/admin/auth/user/")

    assert page.status_code == 302
    assert page["Location"] == f"{PORTAL_LOGIN}?next=/admin/auth/user/"


def test_the_password_alone_at_the_admin_login_signs_nobody_in(client):
    administrator(with_device=True)

    response = client.post(ADMIN_LOGIN, {"username": "quantri", "password": PASSWORD})

    assert response.status_code == 302 and response["Location"].startswith(PORTAL_LOGIN)
    assert not signed_in(client)
    assert client.get("/admin/")["Location"].startswith(ADMIN_LOGIN)
    assert client.get(API).status_code == 403


def test_the_admin_login_lets_a_signed_in_administrator_through(client):
    client.force_login(administrator(with_device=False))

    response = client.get(ADMIN_LOGIN)

    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_admin_login_refuses_a_signed_in_officer_without_a_loop(client):
    officer = UserFactory(username="motcua")
    MembershipFactory(user=officer, role=Role.DESK_OFFICER)
    client.force_login(officer)

    assert client.get(ADMIN_LOGIN).status_code == 403


@pytest.mark.parametrize(
    "address, refused",
    [
        ("/", lambda response: response["Location"].startswith(f"{PORTAL_LOGIN}?next=")),
        ("/admin/", lambda response: response["Location"].startswith(f"{ADMIN_LOGIN}?next=")),
        (API, lambda response: response.status_code == 403),
    ],
    ids=["page", "admin", "api"],
)
def test_a_session_that_skipped_the_code_opens_nothing_and_ends(client, address, refused):
    # However it was made (a login page that did not ask, a session from before the device).
    client.force_login(administrator(with_device=True))

    response = client.get(address)

    assert refused(response)
    assert not signed_in(client)


def test_a_session_that_gave_the_code_works(client):
    user = administrator(with_device=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()

    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get(API).status_code == 200


def test_an_unconfirmed_device_does_not_count(client):
    user = administrator(with_device=False)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    client.force_login(user)

    assert client.get("/").status_code == 200


def test_users_without_a_device_are_unaffected(client):
    client.force_login(administrator(with_device=False))

    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get(API).status_code == 200
    assert signed_in(client)
