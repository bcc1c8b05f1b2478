"""The navigation bar each role sees. Later apps add their entries to ``NAV_ITEMS``."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Membership, Role
from .selectors import membership_of

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    # Items of one group share a dropdown, so the bar fits a 1366-pixel office screen.
    group: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class NavGroup:
    label: str
    items: tuple[NavItem, ...]

    @property
    def url_names(self) -> frozenset[str]:
        return frozenset(item.url_name for item in self.items)


COMMITTEE = _("Steering committee")
REFERENCE = _("Reference")
ADMINISTRATION = _("Administration")


NAV_ITEMS = (
    NavItem(_("Home"), "home", ALL_ROLES),
    NavItem(
        _("Dossiers"),
        "dossiers:queue",
        frozenset(
            {
                Role.DESK_OFFICER,
                Role.PROCESSING_OFFICER,
                Role.UNIT_LEADER,
                Role.COMMITTEE_MEMBER,
                Role.ADMINISTRATOR,
            }
        ),
    ),
    NavItem(
        _("Receive dossier"), "dossiers:intake", frozenset({Role.DESK_OFFICER, Role.UNIT_LEADER})
    ),
    # The desk's register (Mẫu 06 / 07), this month unless told.
    NavItem(
        _("Register"), "dossier_forms:register", frozenset({Role.DESK_OFFICER, Role.UNIT_LEADER})
    ),
    # Everyone sees the figures of their own subtree (committee members: the whole tree).
    NavItem(_("Dashboard"), "reports:dashboard", ALL_ROLES),
    NavItem(_("Assigned tasks"), "committee:index", ALL_ROLES, COMMITTEE),
    NavItem(_("PAR index"), "parindex:index", ALL_ROLES, COMMITTEE),
    NavItem(_("Procedures"), "procedures:catalogue", ALL_ROLES, REFERENCE),
    NavItem(_("Units"), "org:unit_list", ALL_ROLES, REFERENCE),
    NavItem(_("Working calendar"), "org:calendar", ALL_ROLES, REFERENCE),
    NavItem(
        _("Administration home"), "admin:index", frozenset({Role.ADMINISTRATOR}), ADMINISTRATION
    ),
    NavItem(_("API"), "api-docs", frozenset({Role.ADMINISTRATOR}), ADMINISTRATION),
)


# What a visitor who is not logged in sees: the public catalogue and the dossier lookup.
PUBLIC_ITEMS = (
    NavItem(_("Procedures"), "procedures:catalogue", frozenset()),
    NavItem(_("Dossier lookup"), "lookup:search", frozenset()),
)


class Navigation(list):
    """The items a user may see, plus who they are for the navbar's "who am I" line.

    A list, so templates and callers iterate it as before; ``membership`` saves every page
    from looking the membership up again (it is cached on the user by ``membership_of``).
    """

    def __init__(
        self,
        items: list[NavItem],
        membership: Membership | None = None,
        user_name: str = "",
    ) -> None:
        super().__init__(items)
        self.membership = membership
        self.user_name = user_name

    @property
    def entries(self) -> list[NavItem | NavGroup]:
        """The bar in order: plain items, and each group where its first item stands."""
        entries: list[NavItem | NavGroup] = []
        grouped: dict[str, list[NavItem]] = {}
        for item in self:
            if not item.group:
                entries.append(item)
                continue
            if item.group not in grouped:
                grouped[item.group] = []
                entries.append(NavGroup(item.group, ()))
            grouped[item.group].append(item)
        return [
            NavGroup(entry.label, tuple(grouped[entry.label]))
            if isinstance(entry, NavGroup)
            else entry
            for entry in entries
        ]

    @property
    def two_factor_allowed(self) -> bool:
        """Whether the user's role may switch on two-step login (the name links to it)."""
        return self.membership is not None and self.membership.role in settings.TWO_FACTOR_ROLES


def user_display_name(user: AbstractBaseUser) -> str:
    """Vietnamese order, family name first ("Nguyễn Văn An"); the username if no name is set."""
    name = f"{getattr(user, 'last_name', '')} {getattr(user, 'first_name', '')}".strip()
    return name or user.get_username()


def navigation_for(user: AbstractBaseUser | AnonymousUser) -> Navigation:
    if not user.is_authenticated:
        return Navigation(list(PUBLIC_ITEMS))
    membership = membership_of(user)
    name = user_display_name(user)
    # Only what the role may open: a superuser at a unit is still refused the desk's intake.
    role = membership.role if membership else (Role.ADMINISTRATOR if user.is_superuser else None)
    if role is None:
        return Navigation([item for item in NAV_ITEMS if item.url_name == "home"], None, name)
    items = [item for item in NAV_ITEMS if role in item.roles]
    return Navigation(items, membership, name)
