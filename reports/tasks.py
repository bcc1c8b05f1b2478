"""Celery tasks of the reports app: they only call :mod:`reports.services`.

Both are idempotent: running one twice, or two at once, leaves the same rollups.
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def rollups_refresh_dirty() -> int:
    """Recompute the (period, unit) pairs that dossier changes marked stale; rows written."""
    return services.rollups_dirty_drain()


@shared_task
def rollups_sweep() -> int:
    """Beat job: recompute the current periods for all units (overdue status follows the
    clock), then drain any stale mark left behind (e.g. by a broker outage); rows written."""
    return services.rollups_sweep()
