"""The navigation bar each role sees. Later apps add their entries here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role
from .selectors import membership_of

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS = (
    NavItem(_("Home"), "home", ALL_ROLES),
    NavItem(_("Units"), "org:unit_list", ALL_ROLES),
    NavItem(_("Working calendar"), "org:calendar", ALL_ROLES),
    NavItem(_("Administration"), "admin:index", frozenset({Role.ADMINISTRATOR})),
    NavItem(_("API"), "api-docs", frozenset({Role.ADMINISTRATOR})),
)


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(NAV_ITEMS)
    membership = membership_of(user)
    if membership is None:
        return [item for item in NAV_ITEMS if item.url_name == "home"]
    return [item for item in NAV_ITEMS if membership.role in item.roles]
