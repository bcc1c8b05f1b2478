"""Accounts: lockout after repeated failures, password rules, session expiry (issue 9)."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "cchc-test-password"


def attempt(client, username: str, password: str, ip: str = "10.0.0.5"):
    return client.post("/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_it_locks_a_username_after_five_wrong_passwords(client):
    UserFactory(username="motcua1")
    for _ in range(4):
        assert attempt(client, "motcua1", "wrong-guess").status_code == 200

    fifth = attempt(client, "motcua1", "wrong-guess")
    right_password_now = attempt(client, "motcua1", PASSWORD)

    assert fifth.status_code == 429
    assert right_password_now.status_code == 429
    assert "15" in right_password_now.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_address_and_username(client):
    UserFactory(username="motcua2")
    UserFactory(username="motcua3")
    for _ in range(5):
        attempt(client, "motcua2", "wrong-guess", ip="10.0.0.6")

    other_user = attempt(client, "motcua3", PASSWORD, ip="10.0.0.6")

    assert other_user.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_success_resets_the_count(client):
    UserFactory(username="motcua4")
    for _ in range(4):
        attempt(client, "motcua4", "wrong-guess")
    assert attempt(client, "motcua4", PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        attempt(client, "motcua4", "wrong-guess")

    assert attempt(client, "motcua4", PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["ngan-qua", "1234567890123", "password1234", "motcua5-2021"])
def test_it_refuses_weak_passwords(password):
    user = UserFactory(username="motcua5", first_name="Lan", last_name="Nguyen")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_it_accepts_a_long_unusual_password():
    validate_password("Tan-Phu-mot-cua-2021!", UserFactory(username="motcua6"))


def test_sessions_end_with_the_office_day_and_the_browser():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
