"""Optional two-step login (TOTP) for administrators and committee members (issue 9)."""

import re

import pytest
from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from org.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "cchc-test-password"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():06d}"


def wait_out_the_throttle(device: TOTPDevice) -> None:
    # After a wrong code django-otp refuses every code for a growing delay (1 s, 2 s, 4 s…).
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)


def committee_member(username: str = "bcd1"):
    user = UserFactory(username=username)
    MembershipFactory(user=user, role=Role.COMMITTEE_MEMBER)
    return user


def enable(client, user) -> TOTPDevice:
    client.force_login(user)
    page = client.get("/org/xac-thuc-hai-buoc/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/org/xac-thuc-hai-buoc/", {"token": code_of(device)})
    assert response.status_code == 302
    client.logout()
    device.refresh_from_db()
    return device


def login_verified(client, user, device: TOTPDevice) -> None:
    """A session signed in with the password and the code (without spending a code)."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def login(client, username: str, code: str = ""):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # logout() dropped every cookie
    return client.post(
        "/dang-nhap/", {"username": username, "password": PASSWORD, "otp_token": code}
    )


def test_it_shows_a_key_to_scan_and_switches_on_with_a_right_code(client):
    user = committee_member()

    device = enable(client, user)

    assert device.confirmed
    assert AuditEntry.objects.filter(action="two_factor_enable", object_id=str(user.pk)).exists()


def test_switching_on_keeps_this_session_signed_in(client):
    user = committee_member()
    client.force_login(user)
    client.get("/org/xac-thuc-hai-buoc/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    client.post("/org/xac-thuc-hai-buoc/", {"token": code_of(device)})

    assert client.get("/").status_code == 200
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_wrong_code_does_not_switch_it_on(client):
    user = committee_member()
    client.force_login(user)
    client.get("/org/xac-thuc-hai-buoc/")

    response = client.post("/org/xac-thuc-hai-buoc/", {"token": "000000"})

    assert response.status_code == 400
    assert "Wrong or expired code" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_login_then_needs_the_code(client):
    user = committee_member()
    device = enable(client, user)

    without = login(client, "bcd1")
    wrong = login(client, "bcd1", "123456")
    assert without.status_code == 200 and "Enter the 6-digit code" in without.content.decode()
    assert wrong.status_code == 200 and "Wrong or expired code" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    wait_out_the_throttle(device)

    right = login(client, "bcd1", code_of(device, steps_ahead=1))

    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.get("otp_device_id")


def test_users_without_it_log_in_with_the_password_alone(client):
    committee_member("bcd2")

    assert login(client, "bcd2").status_code == 302


def test_switching_off_needs_a_current_code(client):
    user = committee_member()
    device = enable(client, user)
    login_verified(client, user, device)

    refused = client.post("/org/xac-thuc-hai-buoc/", {"token": "000000"})
    wait_out_the_throttle(device)
    accepted = client.post("/org/xac-thuc-hai-buoc/", {"token": code_of(device, steps_ahead=1)})

    assert refused.status_code == 400
    assert accepted.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="two_factor_disable", object_id=str(user.pk)).exists()


@pytest.mark.parametrize("role", [Role.DESK_OFFICER, Role.PROCESSING_OFFICER, Role.UNIT_LEADER])
def test_other_roles_do_not_get_the_page(client, role):
    user = UserFactory()
    MembershipFactory(user=user, role=role)
    client.force_login(user)

    assert client.get("/org/xac-thuc-hai-buoc/").status_code == 403


def test_the_navbar_links_the_name_to_it_for_the_committee(client):
    client.force_login(committee_member())

    html = client.get("/").content.decode()

    assert re.search(r'href="/org/xac-thuc-hai-buoc/"', html)
