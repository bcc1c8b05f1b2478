"""Reads of dossiers. Every page, form and API endpoint starts from :func:`dossiers_visible_to`."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from org.selectors import units_visible_to

from .models import Dossier


def dossiers_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Dossier]:
    """Dossiers received or now handled by a unit the user may see (``units_visible_to``).

    A dossier outside this set answers 404 everywhere, so nobody learns that it exists.
    """
    units = units_visible_to(user).values("id")
    return Dossier.objects.filter(Q(receiving_unit__in=units) | Q(handling_unit__in=units))
