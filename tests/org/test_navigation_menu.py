"""The bar offers each role only what it may open, grouped so that it fits 1366 pixels."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from org.models import Role
from org.navigation import NavGroup, navigation_for
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def entries_of(user) -> list:
    return [
        (str(entry.label), [item.url_name for item in entry.items])
        if isinstance(entry, NavGroup)
        else entry.url_name
        for entry in navigation_for(user).entries
    ]


def test_the_administrator_finds_the_admin_and_the_api_in_one_dropdown(district) -> None:
    admin = MembershipFactory(role=Role.ADMINISTRATOR, unit=district).user
    entries = entries_of(admin)
    assert entries[:3] == ["home", "dossiers:queue", "reports:dashboard"]
    assert ("Quản trị", ["admin:index", "api-docs"]) in entries
    assert len(entries) == 6


def test_a_superuser_at_a_unit_is_not_offered_the_desks_pages(district) -> None:
    """The intake refuses anyone but desk officers and unit leaders, superusers included."""
    user = UserFactory(is_superuser=True, is_staff=True)
    MembershipFactory(user=user, role=Role.ADMINISTRATOR, unit=district)
    names = {item.url_name for item in navigation_for(user)}
    assert "admin:index" in names
    assert not names & {"dossiers:intake", "dossier_forms:register"}
    client = Client()
    client.force_login(user)
    assert client.get(reverse("dossiers:intake")).status_code == 403


def test_a_superuser_without_a_unit_administers(db) -> None:
    user = UserFactory(is_superuser=True, is_staff=True)
    names = {item.url_name for item in navigation_for(user)}
    assert {"home", "admin:index", "api-docs"} <= names
    assert "dossiers:intake" not in names


def test_a_desk_officer_sees_no_administration(district) -> None:
    desk = MembershipFactory(role=Role.DESK_OFFICER, unit=district).user
    entries = entries_of(desk)
    assert "dossiers:intake" in entries
    assert not [entry for entry in entries if isinstance(entry, tuple) and entry[0] == "Quản trị"]


def test_the_bar_shows_the_language_by_its_short_code_and_names_it_in_full(district) -> None:
    client = Client()
    client.force_login(MembershipFactory(role=Role.DESK_OFFICER, unit=district).user)
    text = client.get(reverse("home")).content.decode()
    assert 'aria-label="Tiếng Việt" title="Tiếng Việt">VI</button>' in text
    assert 'aria-label="English" title="English">EN</button>' in text
