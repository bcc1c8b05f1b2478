"""User accounts changed in the Django admin leave audit entries (issue 17, item 9): who made
whom a superuser, staff member or inactive, who changed a password — and never the hash."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from tests.factories import VN, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
JOINED = dt.datetime(2021, 1, 4, 8, 0, tzinfo=VN)
NEW_PASSWORD = "Mat-khau-moi-2026!"


@pytest.fixture
def superuser():
    return UserFactory(username="quantri", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    """The superuser signed in with the second factor, as the portal's login leaves them."""
    device = TOTPDevice.objects.create(user=superuser, name="authenticator", confirmed=True)
    client.force_login(superuser)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def officer():
    return UserFactory(username="motcua1", first_name="Thị", last_name="Lê", date_joined=JOINED)


def entries_for(user) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
        ).order_by("id")
    )


def change_form(user, **overrides) -> dict:
    """The change page's fields as the browser sends them back unchanged, with overrides."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2021-01-04",
        "date_joined_1": "08:00:00",
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_it_records_a_user_created_in_the_admin_without_the_password(admin_client):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "motcua2",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="motcua2")
    [entry] = entries_for(user)
    assert (entry.action, entry.actor_name) == ("create", "quantri")
    assert entry.changes["username"] == [None, "motcua2"]
    assert entry.changes["is_superuser"] == [None, False]
    assert entry.changes["is_staff"] == [None, False]
    assert entry.changes["is_active"] == [None, True]
    assert entry.changes["groups"] == [None, []]
    assert entry.changes["password"] == [None, "set"]
    assert user.password not in json.dumps(entry.changes)


def test_it_records_superuser_staff_and_groups_before_and_after(admin_client, officer):
    leaders = Group.objects.create(name="Lãnh đạo")

    response = admin_client.post(
        f"/admin/auth/user/{officer.pk}/change/",
        change_form(officer, is_staff="on", is_superuser="on", groups=[leaders.pk]),
    )

    assert response.status_code == 302
    [entry] = entries_for(officer)
    assert (entry.action, entry.actor_name) == ("update", "quantri")
    assert entry.changes == {
        "groups": [[], ["Lãnh đạo"]],
        "is_staff": [False, True],
        "is_superuser": [False, True],
    }


def test_it_records_a_deactivation(admin_client, officer):
    admin_client.post(
        f"/admin/auth/user/{officer.pk}/change/", change_form(officer, is_active=None)
    )

    officer.refresh_from_db()
    assert officer.is_active is False
    assert [entry.changes for entry in entries_for(officer)] == [{"is_active": [True, False]}]


def test_a_save_that_changes_nothing_writes_no_entry(admin_client, officer):
    response = admin_client.post(f"/admin/auth/user/{officer.pk}/change/", change_form(officer))

    assert response.status_code == 302
    assert entries_for(officer) == []


def test_it_records_a_password_change_as_changed_only(admin_client, officer):
    old_hash = officer.password

    response = admin_client.post(
        f"/admin/auth/user/{officer.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    [entry] = entries_for(officer)
    assert (entry.action, entry.actor_name) == ("password_change", "quantri")
    assert entry.changes == {"password": [None, "changed"]}
    assert old_hash not in json.dumps(entry.changes)
    assert officer.password not in json.dumps(entry.changes)


def test_a_refused_password_change_writes_no_entry(admin_client, officer):
    response = admin_client.post(
        f"/admin/auth/user/{officer.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": "something-else-1"},
    )

    assert response.status_code == 200  # the form again, with its error
    assert entries_for(officer) == []


def test_it_records_disabling_the_password(admin_client, officer):
    admin_client.post(
        f"/admin/auth/user/{officer.pk}/password/",
        {"usable_password": "false", "unset-password": "1"},
    )

    officer.refresh_from_db()
    assert not officer.has_usable_password()
    assert [entry.changes for entry in entries_for(officer)] == [{"password": [None, "disabled"]}]


def test_it_records_a_deletion(admin_client):
    leaver = UserFactory(username="nghiviec", date_joined=JOINED)
    pk = leaver.pk

    admin_client.post(f"/admin/auth/user/{pk}/delete/", {"post": "yes"})

    assert not User.objects.filter(pk=pk).exists()
    [entry] = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(pk)
    )
    assert (entry.action, entry.actor_name) == ("delete", "quantri")
    assert entry.changes["username"] == ["nghiviec", None]
    assert "password" not in entry.changes


def test_it_records_an_administrator_changing_their_own_password(admin_client, superuser):
    response = admin_client.post(
        "/admin/password_change/",
        {
            "old_password": "cchc-test-password",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    superuser.refresh_from_db()
    assert superuser.check_password(NEW_PASSWORD)
    [entry] = entries_for(superuser)
    assert (entry.action, entry.actor_name) == ("password_change", "quantri")
    assert entry.changes == {"password": [None, "changed"]}
    # Still signed in: the session follows the new password.
    assert admin_client.get("/admin/").status_code == 200


def test_a_wrong_old_password_changes_nothing_and_writes_nothing(admin_client, superuser):
    response = admin_client.post(
        "/admin/password_change/",
        {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert entries_for(superuser) == []
