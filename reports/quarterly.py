"""The quarterly report of DESIGN §4: figures of a unit's whole lineage for one quarter.

Read from the rollups (computed first, by :func:`reports.services.rollups_compute_missing`,
only for a quarter never computed before), so the command, the dashboard and the exports give
the same figures. The shape is a contract other tools parse: change it only together with
DESIGN §4.

**One rule for whose dossiers count for a unit:** :func:`org.selectors.unit_lineage_ids`, its
subtree and, transitively, the units it succeeded with their subtrees. A commune formed in the
2025 reform reports, for a period before it existed, the sum of the communes it absorbed, and
the report says so (:class:`LineageNote`, and a last paragraph of the narrative); its own
periods include what its predecessors carried over. A unit without predecessors (every unit of
the seed's 2021 tree) reports its subtree exactly as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from org.models import Unit
from org.selectors import unit_lineage_ids
from procedures.selectors import procedure_counts

from .counters import counters_add, with_rates, zero_counters
from .narrative import format_date, report_narrative
from .periods import Period, PeriodKind, period_make
from .selectors import period_counters
from .services import rollups_compute_missing


def report_root_unit(code: str | None = None, *, on: dt.date | None = None) -> Unit:
    """The unit named by ``code``, or the root of the unit tree when no code is given.

    With several roots (the province before the 2025 reform, ended on 30/06/2025, and the
    province since 01/07/2025), the one in force on ``on`` (the period's last day): a report of
    Q1 2021 is the old province's, one of Q4 2026 the new one's.
    """
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise ValidationError(_("Unknown unit %(code)s.") % {"code": code}, code="unit")
        return unit
    roots = Unit.objects.filter(parent__isnull=True).order_by("code")
    if not roots.exists():
        raise ValidationError(_("There is no unit yet: import the units first."), code="unit")
    root = root_in_force(roots, on=on)
    if root is None:
        raise ValidationError(
            _("There are several unit trees: choose the unit with --unit."), code="unit"
        )
    return root


def root_in_force(roots: QuerySet[Unit], *, on: dt.date | None) -> Unit | None:
    """The one unit of ``roots``, or the one of them in force on ``on``; None when that is
    not one unit (no date given, none or several in force then)."""
    found = list(roots[:2])
    if len(found) == 1:
        return found[0]
    if on is None:
        return None
    in_force = list(roots.valid_on(on)[:2])
    return in_force[0] if len(in_force) == 1 else None


def units_in_period(units: QuerySet[Unit], period: Period) -> QuerySet[Unit]:
    """Units of ``units`` that existed at some time during ``period`` (as they were then)."""
    return units.valid_during(period.start, period.end)


@dataclass(frozen=True)
class LineageNote:
    """Part of a period before the report's unit existed: from ``before`` back, its figures
    are those of the predecessor ``units`` (each with its subtree)."""

    before: dt.date
    units: tuple[Unit, ...]

    @property
    def names(self) -> str:
        return ", ".join(unit.name for unit in self.units)

    def text(self) -> str:
        """The note in the active language, for the page."""
        return _("Before %(date)s: figures summed from the predecessor units: %(units)s.") % {
            "date": f"{self.before:%d/%m/%Y}",
            "units": self.names,
        }

    def narrative(self) -> str:
        """The note as the (Vietnamese, untranslated) narrative writes it."""
        return (
            f"Trước ngày {format_date(self.before)}, số liệu được cộng từ các đơn vị "
            f"tiền thân: {self.names}."
        )


def lineage_notes(unit: Unit, units: Iterable[Unit], period: Period) -> list[LineageNote]:
    """What the report of ``unit`` over ``period`` inherits: ``units`` is its lineage (the
    units of :func:`~org.selectors.unit_lineage_ids`). The predecessors named are the tops of
    the inherited subtrees (a district, not its communes) that existed during ``period``,
    grouped by the day after they ended, earliest first."""
    inherited = [other for other in units if not other.path.startswith(unit.path)]
    inherited_ids = {other.id for other in inherited}
    tops = [
        other
        for other in inherited
        if other.parent_id not in inherited_ids
        and other.valid_to is not None
        and other.is_valid_during(period.start, period.end)
    ]
    by_day: dict[dt.date, list[Unit]] = {}
    for top in tops:
        by_day.setdefault(top.valid_to + dt.timedelta(days=1), []).append(top)
    return [
        LineageNote(before=day, units=tuple(sorted(found, key=lambda u: (u.path, u.code))))
        for day, found in sorted(by_day.items())
    ]


@dataclass(frozen=True)
class QuarterlyReport:
    """The report of DESIGN §4 and what the page says besides: whose figures it inherits."""

    report: dict
    notes: list[LineageNote]
    unit_ids: frozenset[int]


def quarterly_report(
    *,
    year: int,
    quarter: int,
    unit: Unit,
    scheme: str = "calendar",
    unit_ids: Collection[int] | None = None,
) -> dict:
    """The JSON-ready report of ``unit``'s lineage for one quarter (DESIGN §4).

    ``unit_ids``: ``unit_lineage_ids(unit)`` when the caller has it already."""
    return quarterly_report_build(
        year=year, quarter=quarter, unit=unit, scheme=scheme, unit_ids=unit_ids
    ).report


def quarterly_report_build(
    *,
    year: int,
    quarter: int,
    unit: Unit,
    scheme: str = "calendar",
    unit_ids: Collection[int] | None = None,
) -> QuarterlyReport:
    """:func:`quarterly_report` with its lineage notes. Queries: the lineage (unless given),
    its units, the rollups (computed first for the units never computed:
    :func:`reports.services.rollups_compute_missing`), the catalogue counts; none per unit or
    per dossier."""
    period = period_make(kind=PeriodKind.QUARTER, year=year, index=quarter, scheme=scheme)
    ids = frozenset(unit_lineage_ids(unit) if unit_ids is None else unit_ids)
    lineage = list(Unit.objects.filter(id__in=ids).order_by("path"))
    rollups_compute_missing(periods=[period], unit_ids=ids)
    by_unit_id = period_counters(period=period, unit_ids=ids, group_by="unit")
    report = {
        "period": {
            "year": year,
            "quarter": quarter,
            "scheme": period.scheme,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "unit": {"code": unit.code, "name": unit.name},
        "procedures": procedure_counts(on=period.end, units=Unit.objects.filter(id__in=ids)),
        "dossiers": _dossiers_section(lineage, by_unit_id, period),
    }
    notes = lineage_notes(unit, lineage, period)
    report["narrative"] = "\n\n".join(
        [report_narrative(report), *(note.narrative() for note in notes)]
    )
    return QuarterlyReport(report=report, notes=notes, unit_ids=ids)


def _dossiers_section(lineage: list[Unit], by_unit_id: dict[int, dict], period: Period) -> dict:
    """The report's ``dossiers``: the total, by level and by unit (in ``lineage`` order) of the
    counters ``by_unit_id``, each with its rates."""
    total = zero_counters()
    by_level: dict[str, dict] = {}
    by_unit = []
    for listed_unit in lineage:
        # The units as they were during the period, and any other that counted in it (a
        # predecessor's dossiers carried over into its successor's first quarter).
        if (
            not listed_unit.is_valid_during(period.start, period.end)
            and listed_unit.id not in by_unit_id
        ):
            continue
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
    return {
        "total": with_rates(total),
        "by_level": {level: with_rates(c) for level, c in by_level.items()},
        "by_unit": by_unit,
    }
