"""Reads of the catalogue."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from org.models import Unit, UnitLevel

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

    With ``units``, only procedures one of those units may receive (:func:`receivable_condition`:
    listed as an implementing unit, or of its level when the version lists none).
    """
    versions = ProcedureVersion.objects.filter(in_force_condition(on))
    if units is not None:
        versions = versions.filter(receivable_condition(units=units))
    return versions


# The government level whose procedures a unit's desk receives when a version names no
# implementing units. A department or the provincial one-stop centre receives province-level
# procedures on the province's behalf.
RECEIVED_LEVEL_OF_UNIT: dict[str, str] = {
    UnitLevel.COMMUNE: GovernmentLevel.COMMUNE,
    UnitLevel.DISTRICT: GovernmentLevel.DISTRICT,
    UnitLevel.PROVINCE: GovernmentLevel.PROVINCE,
    UnitLevel.DEPARTMENT: GovernmentLevel.PROVINCE,
    UnitLevel.CENTRE: GovernmentLevel.PROVINCE,
}


def receivable_condition(*, units: QuerySet[Unit] | Iterable[Unit]) -> Q:
    """The competence rule, as a condition on ``ProcedureVersion``: may the desk of (one of)
    ``units`` receive dossiers under the version?

    A version that lists implementing units is received by those units only (the seed's 2021
    catalogue lists them on every row: the district desk received its 47 province-level
    procedures that way). A version that lists none is received by every unit of the matching
    level (:data:`RECEIVED_LEVEL_OF_UNIT`), as the catalogue of the two-tier government from
    1 July 2025 does. Whether the version is in force is a separate condition
    (:func:`in_force_condition`); whether the unit itself is, too.
    """
    if isinstance(units, QuerySet):
        unit_levels = set(units.order_by().values_list("level", flat=True).distinct())
    else:
        units = list(units)
        unit_levels = {unit.level for unit in units}
    levels = sorted(
        {RECEIVED_LEVEL_OF_UNIT[level] for level in unit_levels if level in RECEIVED_LEVEL_OF_UNIT}
    )
    listed = ProcedureVersion.implementing_units.through.objects.filter(
        procedureversion_id=OuterRef("pk")
    )
    at_level = ProcedureLevel.objects.filter(version_id=OuterRef("pk"), level__in=levels)
    return Exists(listed.filter(unit__in=units)) | (~Exists(listed) & Exists(at_level))


def procedure_versions_receivable(*, unit: Unit, on: dt.date) -> QuerySet[ProcedureVersion]:
    """Versions in force on ``on`` that ``unit``'s desk may receive that day."""
    return ProcedureVersion.objects.filter(in_force_condition(on)).filter(
        receivable_condition(units=[unit])
    )


def procedure_version_receivable(*, version: ProcedureVersion, unit: Unit, on: dt.date) -> bool:
    """Whether ``unit``'s desk may receive a dossier under ``version`` on ``on`` (in force that
    day and within the unit's competence: :func:`receivable_condition`)."""
    return procedure_versions_receivable(unit=unit, on=on).filter(pk=version.pk).exists()


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


class MatchQuality:
    """How well a procedure matches a typed query, best first (see :func:`match_quality`)."""

    WHOLE_WORDS = 0
    PREFIXES = 1
    CODE = 2
    PARTS_OF_WORDS = 3


_WORD = re.compile(r"\w+")


def match_quality(*, query: str, code: str, name: str) -> tuple[int, int, int]:
    """A sort key for a procedure that ``catalogue_search`` found for ``query``: lower is better.

    First the kind of match, diacritic-insensitive (:class:`MatchQuality`): every typed word
    is a whole word of the name ("khai sinh"); else each is at least the start of one
    ("dang k"); else the query is (part of) the code ("1.000948", "000948"); else the words are
    only inside other words. Then, among equals: the words typed one after another in the
    name before scattered ones, and shorter names (fewer words the applicant did not ask for)
    before longer ones — so "khai sinh" puts "Đăng ký khai sinh" before "Đăng ký lại khai
    sinh" and "Đăng ký khai sinh lưu động".
    """
    typed = _WORD.findall(search_normalise(query))
    words = _WORD.findall(search_normalise(name))
    if typed and all(word in words for word in typed):
        kind = MatchQuality.WHOLE_WORDS
    elif typed and all(any(w.startswith(word) for w in words) for word in typed):
        kind = MatchQuality.PREFIXES
    elif typed and search_normalise(query).replace(" ", "") in code.lower():
        kind = MatchQuality.CODE
    else:
        kind = MatchQuality.PARTS_OF_WORDS
    phrase = " ".join(typed)
    together = 0 if phrase and f" {phrase}" in f" {' '.join(words)}" else 1
    return kind, together, len(words)


def latest_versions() -> QuerySet[ProcedureVersion]:
    """The newest version of every procedure, draft or published (the admin's working list)."""
    newest = (
        ProcedureVersion.objects.filter(procedure=OuterRef("procedure"))
        .order_by("-number")
        .values("id")[:1]
    )
    return ProcedureVersion.objects.filter(id=Subquery(newest))
