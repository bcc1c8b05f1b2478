"""Reads of the catalogue."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from org.models import Unit

from .models import (
    GovernmentLevel,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    ProcedureVersion,
    VersionStatus,
    search_normalise,
)


def in_force_condition(on: dt.date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status": VersionStatus.PUBLISHED,
            f"{prefix}valid_from__lte": on,
        }
    ) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on}))


def versions_in_force(*, on: dt.date, units: QuerySet[Unit] | None = None) -> QuerySet:
    """The published version of each procedure in force on a day (at most one per code).

    With ``units``, only procedures implemented by one of those units.
    """
    versions = ProcedureVersion.objects.filter(in_force_condition(on))
    if units is not None:
        versions = versions.filter(
            pk__in=ProcedureVersion.implementing_units.through.objects.filter(
                unit__in=units
            ).values("procedureversion_id")
        )
    return versions


def procedure_version_on(*, procedure: Procedure, on: dt.date) -> ProcedureVersion | None:
    """The version a dossier received on ``on`` falls under."""
    return procedure.versions.filter(in_force_condition(on)).first()


def procedure_counts(*, on: dt.date, units: QuerySet[Unit] | None = None) -> dict:
    """Catalogue entries in force on a day: total, by level, by online level.

    A procedure handled at several levels counts once in the total and once under each level.
    Every level and online level appears, with 0 where none.
    """
    versions = versions_in_force(on=on, units=units)
    by_level = Counter(
        dict(
            ProcedureLevel.objects.filter(version__in=versions)
            .values_list("level")
            .annotate(n=Count("id"))
        )
    )
    by_online_level = Counter(
        dict(versions.values_list("online_level").annotate(n=Count("id")).order_by())
    )
    return {
        "total": versions.count(),
        "by_level": {level: by_level.get(level, 0) for level in GovernmentLevel.values},
        "by_online_level": {level: by_online_level.get(level, 0) for level in OnlineLevel.values},
    }


def catalogue_search(
    *,
    on: dt.date,
    query: str = "",
    sector_id: int | None = None,
    level: str = "",
    online_level: str = "",
) -> QuerySet[ProcedureVersion]:
    """Procedures in force, searched by code or name with or without diacritics."""
    versions = versions_in_force(on=on).select_related("procedure", "sector")
    for word in search_normalise(query).split():
        versions = versions.filter(search_text__contains=word)
    if sector_id:
        versions = versions.filter(sector_id=sector_id)
    if level:
        versions = versions.filter(levels__level=level)
    if online_level:
        versions = versions.filter(online_level=online_level)
    return versions.order_by("procedure__code")


def latest_versions() -> QuerySet[ProcedureVersion]:
    """The newest version of every procedure, draft or published (the admin's working list)."""
    newest = (
        ProcedureVersion.objects.filter(procedure=OuterRef("procedure"))
        .order_by("-number")
        .values("id")[:1]
    )
    return ProcedureVersion.objects.filter(id=Subquery(newest))
