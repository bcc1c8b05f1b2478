"""The ``dossier_changed`` receiver: mark the touched rollups stale and schedule their refresh.

The signal is sent after the dossier's transaction committed, so nothing here may fail the
change: errors are logged and the beat job ``reports.tasks.rollups_sweep`` catches up.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

from .services import rollups_dirty_mark

logger = logging.getLogger(__name__)

# A burst of changes schedules one refresh: the first change of a window schedules the task to
# run after the window, every later change of the window only marks its pairs stale.
REFRESH_SCHEDULED_KEY = "reports:refresh-scheduled"
DEBOUNCE_SECONDS = 5


def rollups_dirty_on_change(sender, *, unit_ids=frozenset(), dates=frozenset(), **kwargs) -> None:
    """Receiver of ``dossier_changed``."""
    try:
        rollups_dirty_mark(dates=dates, unit_ids=unit_ids)
    except Exception:
        logger.warning(
            "Could not mark the rollups of units %s stale; the sweep will catch up.",
            sorted(unit_ids),
            exc_info=True,
        )
        return
    rollups_refresh_schedule()


def rollups_refresh_schedule() -> None:
    """Queue ``rollups_refresh_dirty`` once per debounce window; never raises."""
    from .tasks import rollups_refresh_dirty

    # In-process (eager) tasks run at once: nothing to debounce, and every change must show.
    eager = rollups_refresh_dirty.app.conf.task_always_eager
    try:
        if not eager and not cache.add(REFRESH_SCHEDULED_KEY, 1, timeout=DEBOUNCE_SECONDS):
            return
        # One second past the window: every change that found the window open is marked by then.
        rollups_refresh_dirty.apply_async(countdown=DEBOUNCE_SECONDS + 1)
    except Exception:
        # The broker is down (kombu raises after ~0.7 s): the marks stay for the sweep.
        logger.warning(
            "Could not queue the rollup refresh; the sweep will catch up.", exc_info=True
        )
        if not eager:
            try:
                cache.delete(REFRESH_SCHEDULED_KEY)
            except Exception:
                logger.warning("Could not reset the rollup refresh debounce.", exc_info=True)
