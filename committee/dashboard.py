"""The committee's panel on the quarterly dashboard: open and overdue tasks per lead unit.

Registered from ``CommitteeConfig.ready()`` through ``reports.dashboard.DASHBOARD_PANELS``, so
``reports`` never imports ``committee``. The counts are as of the period's last day, or today
while the period is still running; a fixed number of queries whatever the number of tasks.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone

from org.models import Unit
from org.selectors import membership_of, unit_lineage_ids, units_visible_to

from .models import Task
from .permissions import is_standing_office
from .selectors import task_counts_by_unit

# The panel lists at most this many units (most overdue first); the totals count them all.
PANEL_ROWS_MAX = 12


def committee_tasks_panel(*, user: AbstractBaseUser, unit: Unit, period) -> dict | None:
    """The panel's context, or None when no committee task concerns what the user sees."""
    standing_office = is_standing_office(user)
    if standing_office:
        units = list(
            Unit.objects.filter(id__in=unit_lineage_ids(unit))
            .filter(id__in=units_visible_to(user).values("id"))
            .valid_during(period.start, period.end)
            .order_by("path")
        )
    else:
        membership = membership_of(user)
        own = membership.unit if membership else None
        units = [own] if own is not None and own.path.startswith(unit.path) else []
    if not units:
        return None
    on = min(period.end, timezone.localdate())
    counts = task_counts_by_unit(units=units, on=on)
    if (
        not any(count["open"] for count in counts.values())
        and not Task.objects.filter(
            lead_unit__in=units, conclusion__meeting__held_on__lte=on
        ).exists()
    ):
        return None
    rows = [
        {
            "unit": listed,
            "open": counts[listed.pk]["open"],
            "overdue": counts[listed.pk]["overdue"],
            "url": _unit_url(listed, standing_office=standing_office, overdue=False),
            "overdue_url": _unit_url(listed, standing_office=standing_office, overdue=True),
        }
        for listed in units
        if counts[listed.pk]["open"]
    ]
    rows.sort(key=lambda row: (-row["overdue"], -row["open"], row["unit"].path))
    return {
        "on": on,
        "rows": rows[:PANEL_ROWS_MAX],
        "more": max(0, len(rows) - PANEL_ROWS_MAX),
        "open_total": sum(row["open"] for row in rows),
        "overdue_total": sum(row["overdue"] for row in rows),
        "list_url": reverse("committee:task_list" if standing_office else "committee:unit_tasks"),
        "overdue_list_url": reverse(
            "committee:overdue_list" if standing_office else "committee:unit_tasks"
        ),
    }


def _unit_url(unit: Unit, *, standing_office: bool, overdue: bool) -> str:
    if not standing_office:
        return reverse("committee:unit_tasks")
    name = "committee:overdue_list" if overdue else "committee:task_list"
    return f"{reverse(name)}?{urlencode({'unit': unit.pk})}"
