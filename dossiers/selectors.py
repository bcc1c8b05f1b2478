"""Reads of dossiers. Every page, form and API endpoint starts from :func:`dossiers_visible_to`."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from org.selectors import unit_ids_visible_to

from .models import Dossier


def dossiers_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Dossier]:
    """Dossiers received or now handled by a unit the user may see (``units_visible_to``).

    A dossier outside this set answers 404 everywhere, so nobody learns that it exists.
    """
    unit_ids = unit_ids_visible_to(user)
    if unit_ids is None:
        return Dossier.objects.all()
    # Literal ids, in a stable order: PostgreSQL then reads each unit through its indexes (a
    # commune's page at 1 M dossiers: 25 ms instead of 350–500 ms with a subquery).
    unit_ids = sorted(unit_ids)
    return Dossier.objects.filter(Q(receiving_unit__in=unit_ids) | Q(handling_unit__in=unit_ids))
