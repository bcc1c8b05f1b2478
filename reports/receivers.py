"""The ``dossier_changed`` receiver: mark the touched rollups stale and schedule their refresh.

The signal is sent inside the dossier's transaction, so the marks are written in it: a change
commits with its marks or not at all (a mark that cannot be written fails the change). Only
the Celery enqueue waits for the commit, and nothing there may fail the request: errors are
logged and the beat job ``reports.tasks.rollups_sweep`` drains what is left.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction

from dossiers.models import EventKind

from .selectors import dossier_rollup_cell
from .services import rollups_dirty_drain, rollups_dirty_mark

logger = logging.getLogger(__name__)

# A burst of changes schedules one refresh: the first change of a window schedules the task to
# run after the window, every later change of the window only marks its pairs stale.
REFRESH_SCHEDULED_KEY = "reports:refresh-scheduled"
DEBOUNCE_SECONDS = 5

# ``event_kind`` values of the steps after intake whose statistics change starts at the dates
# the signal carries besides the received date (see rollups_dirty_on_change).
STEP_KINDS = frozenset(
    {
        EventKind.TRANSFERRED,
        EventKind.SUPPLEMENT_REQUESTED,
        EventKind.SUPPLEMENT_COMPLETED,
        EventKind.FINISHED,
        EventKind.RETURNED,
        EventKind.WITHDRAWN,
        EventKind.STOPPED,
        EventKind.APOLOGY_ISSUED,
    }
)


def rollups_dirty_on_change(
    sender, *, unit_ids=frozenset(), dates=frozenset(), dossier_id=None, **kwargs
) -> None:
    """Receiver of ``dossier_changed``.

    A change of one dossier marks only its own cell (receiving unit × procedure): the rollups
    group by receiving unit and procedure, and neither changes after intake, so no other row
    can depend on it. A bulk change (``dossier_id`` None) marks every cell of ``unit_ids``.

    A later step of a known kind (:data:`STEP_KINDS`) changes the counters only from its own
    dates on: the received date, which the signal always carries, is left out then, so that
    finishing a dossier received three months ago marks the periods containing today, not the
    ~30 periods since its receipt. (Why each kind is safe: a finish, withdrawal, stop or return
    sets the end from ``at``; a supplement request pauses from ``at``; a completed supplement
    moves the due date, which only matters to periods ending after the earlier due date,
    carried in ``dates``; a transfer or an apology changes no counter.)

    Runs inside the change's transaction (see the module docstring): no error is caught here.
    """
    cell = dossier_rollup_cell(dossier_id) if dossier_id is not None else None
    if cell is None:
        rollups_dirty_mark(dates=dates, unit_ids=unit_ids)
    else:
        unit_id, procedure_id, received_date = cell
        if kwargs.get("event_kind") in STEP_KINDS and set(dates) - {received_date}:
            dates = set(dates) - {received_date}
        rollups_dirty_mark(dates=dates, cells=[(unit_id, procedure_id)])
    transaction.on_commit(rollups_refresh_schedule, robust=True)


_deferred = threading.local()


@contextmanager
def rollups_refresh_deferred() -> Iterator[None]:
    """Within the block changes only mark their rollups stale; one drain at the end refreshes
    them all (a bulk load of thousands of changes would otherwise refresh after each one when
    tasks run in-process)."""
    outer = getattr(_deferred, "active", False)
    _deferred.active = True
    try:
        yield
    finally:
        _deferred.active = outer
    if not outer:
        rollups_dirty_drain()


def rollups_refresh_schedule() -> None:
    """Queue ``rollups_refresh_dirty`` once per debounce window; never raises."""
    from .tasks import rollups_refresh_dirty

    if getattr(_deferred, "active", False):
        return
    # In-process (eager) tasks run at once: nothing to debounce, and every change must show.
    eager = rollups_refresh_dirty.app.conf.task_always_eager
    try:
        if not eager and not cache.add(REFRESH_SCHEDULED_KEY, 1, timeout=DEBOUNCE_SECONDS):
            return
        # One second past the window: every change that found the window open is marked by then.
        rollups_refresh_dirty.apply_async(countdown=DEBOUNCE_SECONDS + 1)
    except Exception as error:
        # The broker (or the cache) is down: the marks stay for the sweep. One line per request
        # during an outage; the traceback only for an in-process run, where it is a real error.
        logger.warning(
            "Could not queue the rollup refresh (%s); the sweep will catch up.",
            error,
            exc_info=eager,
        )
        if not eager:
            try:
                cache.delete(REFRESH_SCHEDULED_KEY)
            except Exception as cache_error:
                logger.warning("Could not reset the rollup refresh debounce (%s).", cache_error)
