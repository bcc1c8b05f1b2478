"""Reads of dossiers. Every page, form and API endpoint starts from :func:`dossiers_visible_to`."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from org.models import Unit, UnitLevel
from org.selectors import membership_of, unit_ids_visible_to, units_visible_to
from procedures.models import ProcedureVersion, search_normalise
from procedures.selectors import match_quality, procedure_versions_receivable

from .models import Dossier, DossierStatus, local_midnight

# The type-ahead ranks a desk's procedures by how often it received them over this many days.
SUGGESTION_FREQUENCY_DAYS = 90


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


def procedure_receipt_counts(*, unit: Unit, on: dt.date) -> dict[int, int]:
    """Procedure id → how many dossiers ``unit``'s desk received (not refused at intake) over
    the :data:`SUGGESTION_FREQUENCY_DAYS` days that end with ``on``, in one grouped query.

    It reads the unit's dossiers of those days through the (receiving_unit, received_at)
    index; the received_date bounds let a partitioned table skip the other years.
    """
    first_day = on - dt.timedelta(days=SUGGESTION_FREQUENCY_DAYS - 1)
    rows = (
        Dossier.objects.filter(
            receiving_unit=unit,
            received_at__gte=local_midnight(first_day),
            received_at__lt=local_midnight(on + dt.timedelta(days=1)),
            received_date__range=(first_day, on),
        )
        .exclude(status=DossierStatus.REFUSED)
        .values_list("procedure_version__procedure_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def procedure_suggestions(
    *, unit: Unit, on: dt.date, query: str, limit: int
) -> list[ProcedureVersion]:
    """The intake type-ahead: versions ``unit``'s desk may receive on ``on`` whose code or name
    contains every typed word (with or without diacritics), best first.

    Best is the procedure this desk received most often over the last
    :data:`SUGGESTION_FREQUENCY_DAYS` days, then the better match
    (:func:`procedures.selectors.match_quality`), then the code. Four queries whatever the
    size of the catalogue or of the dossiers: the candidates (at most one unit's catalogue),
    the desk's counts, and the chosen versions with their levels.
    """
    words = search_normalise(query).split()
    if not words:
        return []
    candidates = procedure_versions_receivable(unit=unit, on=on)
    for word in words:
        candidates = candidates.filter(search_text__contains=word)
    rows = list(candidates.values_list("id", "procedure_id", "procedure__code", "name"))
    if not rows:
        return []
    counts = procedure_receipt_counts(unit=unit, on=on)
    rows.sort(
        key=lambda row: (
            -counts.get(row[1], 0),
            match_quality(query=query, code=row[2], name=row[3]),
            row[2],
        )
    )
    chosen = [row[0] for row in rows[:limit]]
    versions = ProcedureVersion.objects.filter(id__in=chosen).select_related("procedure")
    by_id = {version.pk: version for version in versions.prefetch_related("levels")}
    return [by_id[version_id] for version_id in chosen]


# A one-stop centre and a department work for the government above them (Decree 118/2025: the
# provincial centre hands dossiers to the competent department), so they hand over to any unit
# of that government, not only to units below them.
_HAND_OVER_WITHIN_PARENT = frozenset({UnitLevel.CENTRE, UnitLevel.DEPARTMENT})


def transfer_targets(user, dossier: Dossier) -> QuerySet[Unit]:
    """Units in force today (the day the step is taken) that the user hands dossiers to: those
    they may see, the desk that received the dossier and, from a centre or a department, the
    units of its government."""
    reach = Q(pk__in=units_visible_to(user).values("pk")) | Q(pk=dossier.receiving_unit_id)
    membership = membership_of(user)
    if membership is not None and membership.unit.level in _HAND_OVER_WITHIN_PARENT:
        unit_path = membership.unit.path
        parent_path = unit_path.rstrip("/").rsplit("/", 1)[0] + "/"
        if parent_path != "/":
            reach |= Q(path__startswith=parent_path)
    return (
        Unit.objects.valid_on(timezone.localdate())
        .filter(reach)
        .exclude(pk=dossier.handling_unit_id)
        .order_by("path")
    )
