"""The dossiers behind one figure of the dashboard (the drill-down page and its XLSX export).

The same counting rules as the rollups (:func:`reports.aggregate.counter_conditions`), scoped by
what the user may see; only the query is built here, the page and the export read it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from dossiers.models import Dossier
from dossiers.selectors import dossiers_visible_to
from org.models import Unit
from org.selectors import unit_lineage_ids

from .aggregate import counter_conditions, relevant_q
from .counters import COMBINED_COLUMNS
from .periods import Period


def drilldown_condition(period: Period, counter: str) -> Q:
    """What a dossier must meet to be behind ``counter`` in ``period``: an official counter, a
    combined column, or ``not_digitised`` (counted in ``received_total`` but not recorded in
    the electronic one-stop system: the dossiers still to enter there)."""
    conditions = counter_conditions(period)
    if counter == "not_digitised":
        return conditions["received_total"] & Q(digitised=False)
    condition = Q()
    for name in COMBINED_COLUMNS.get(counter, (counter,)):
        condition |= conditions[name]
    return condition


def drilldown_dossiers(
    *,
    user: AbstractBaseUser | AnonymousUser,
    period: Period,
    unit: Unit,
    counter: str,
    level: str = "",
    own: bool = False,
) -> QuerySet[Dossier]:
    """The dossiers the user may see behind ``counter`` for ``unit``'s lineage (the units its
    figures count: :func:`org.selectors.unit_lineage_ids`; the unit's own desk with ``own``;
    receiving units of ``level`` with ``level``) in ``period`` as counted so far, oldest
    received first."""
    dossiers = dossiers_visible_to(user)
    if own:
        dossiers = dossiers.filter(receiving_unit=unit)
    else:
        dossiers = dossiers.filter(receiving_unit__in=sorted(unit_lineage_ids(unit)))
    if level:
        dossiers = dossiers.filter(receiving_unit__level=level)
    return dossiers.filter(relevant_q(period) & drilldown_condition(period, counter)).order_by(
        "received_at", "id"
    )
