"""The quarterly report of DESIGN §4: figures of a unit's whole subtree for one quarter.

Read from the rollups (computed on the spot only for a quarter never computed before), so the
command, the dashboard and the exports give the same figures. The shape is a contract other
tools parse: change it only together with DESIGN §4.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from org.models import Unit
from org.selectors import unit_subtree
from procedures.selectors import procedure_counts

from .counters import counters_add, with_rates, zero_counters
from .narrative import report_narrative
from .periods import Period, PeriodKind, period_make
from .selectors import period_counters_ensured


def report_root_unit(code: str | None = None) -> Unit:
    """The unit named by ``code``, or the one root of the unit tree when no code is given."""
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise ValidationError(_("Unknown unit %(code)s.") % {"code": code}, code="unit")
        return unit
    roots = list(Unit.objects.filter(parent__isnull=True).order_by("code")[:2])
    if not roots:
        raise ValidationError(_("There is no unit yet: import the units first."), code="unit")
    if len(roots) > 1:
        raise ValidationError(
            _("There are several unit trees: choose the unit with --unit."), code="unit"
        )
    return roots[0]


def units_in_period(units: QuerySet[Unit], period: Period) -> QuerySet[Unit]:
    """Units of ``units`` that existed at some time during ``period`` (as they were then)."""
    return units.filter(
        (Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
    )


def quarterly_report(*, year: int, quarter: int, unit: Unit, scheme: str = "calendar") -> dict:
    """The JSON-ready report of ``unit``'s subtree for one quarter (DESIGN §4)."""
    period = period_make(kind=PeriodKind.QUARTER, year=year, index=quarter, scheme=scheme)
    subtree = unit_subtree(unit).order_by("path")
    by_unit_id = period_counters_ensured(
        period=period, unit_ids=list(subtree.values_list("id", flat=True)), group_by="unit"
    )
    listed = list(units_in_period(subtree, period) | subtree.filter(id__in=list(by_unit_id)))
    total = zero_counters()
    by_level: dict[str, dict] = {}
    by_unit = []
    for listed_unit in sorted(set(listed), key=lambda u: u.path):
        counters = by_unit_id.get(listed_unit.id, zero_counters())
        total = counters_add(total, counters)
        by_level[listed_unit.level] = counters_add(
            by_level.get(listed_unit.level, zero_counters()), counters
        )
        by_unit.append(
            {
                "code": listed_unit.code,
                "name": listed_unit.name,
                "level": listed_unit.level,
                **with_rates(counters),
            }
        )
    report = {
        "period": {
            "year": year,
            "quarter": quarter,
            "scheme": period.scheme,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "unit": {"code": unit.code, "name": unit.name},
        "procedures": procedure_counts(on=period.end, units=subtree),
        "dossiers": {
            "total": with_rates(total),
            "by_level": {level: with_rates(c) for level, c in by_level.items()},
            "by_unit": by_unit,
        },
    }
    report["narrative"] = report_narrative(report)
    return report
