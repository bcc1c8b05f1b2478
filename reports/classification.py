"""The 06a classification of one dossier in one period (DESIGN §3), as a pure function.

This is the rule in readable form; :func:`reports.aggregate.counters_query` is the same rule in
SQL, and the tests prove the two agree on random dossiers and periods: change both or neither.

For a period [start, end] (inclusive local dates; every comparison is by local date):

- A refused dossier counts only in ``refused``, when its received date is in the period.
- A dossier ends at its finished date: for status finished / returned the earlier of result
  ready and returned ("whichever comes first"), as a resolution; for withdrawn / stopped
  ``finished_at``, as a withdrawal; an open dossier has not ended.
- ``received_*`` by channel: received in the period; ``carried_over``: received before the
  start and not ended before it; ``received_total`` = both.
- Of ``received_total``, each dossier is exactly one of: ``resolved`` (ended with a result in
  the period; early / on time / late comparing the finished date with the due date), ``withdrawn``
  (ended without a result in the period), ``in_progress`` (not ended by the end; ``within`` when
  the due date ≥ end, or when paused for supplement at the end by a request made on or before
  the due date; else ``overdue``). ``paused``: in progress with a supplement request open at the
  end (requested on or before the end, completed — if ever — after it).
- ``digitised``: of ``received_total``, those recorded in the electronic one-stop system.

The due date is the local date of ``due_at``, the legal due date after every pause; an apology's
rescheduled date is ignored (a late dossier stays late). As ``due_at`` holds the final due date,
a recompute of an old period can differ from the figure at the time (see
:mod:`reports.aggregate`): closed periods are frozen by the rollups.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dossiers.models import (
    ENDED_WITHOUT_RESULT_STATUSES,
    RESULT_STATUSES,
    DossierStatus,
    finished_date_of,
    local_date,
)
from procedures.models import Channel

from .counters import zero_counters
from .periods import Period

_RECEIVED_BY_CHANNEL = {
    Channel.ONLINE: "received_online",
    Channel.DIRECT: "received_direct",
    Channel.POSTAL: "received_postal",
}


@dataclass(frozen=True)
class DossierFacts:
    """What the classification needs to know of a dossier (aware datetimes)."""

    channel: str
    status: str
    received_at: dt.datetime
    due_at: dt.datetime
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    digitised: bool
    # Supplement requests: (requested_at, completed_at or None while still open).
    pauses: tuple[tuple[dt.datetime, dt.datetime | None], ...] = ()


def _paused_at_end(facts: DossierFacts, end: dt.date) -> tuple[bool, bool]:
    """(paused at the end of the period, and by a request made on or before the due date)."""
    due_date = local_date(facts.due_at)
    paused = within = False
    for requested_at, completed_at in facts.pauses:
        requested = local_date(requested_at)
        if requested <= end and (completed_at is None or local_date(completed_at) > end):
            paused = True
            within = within or requested <= due_date
    return paused, within


def dossier_counters(facts: DossierFacts, period: Period) -> dict[str, int]:
    """Every counter of :data:`reports.counters.COUNTERS` (0 or 1) for one dossier."""
    counters = zero_counters()
    start, end = period.start, period.end
    received = local_date(facts.received_at)
    if facts.status == DossierStatus.REFUSED:
        counters["refused"] = int(start <= received <= end)
        return counters

    ended = finished_date_of(
        status=facts.status, finished_at=facts.finished_at, returned_at=facts.returned_at
    )
    if received > end or (ended is not None and ended < start):
        return counters

    counters["received_total"] = 1
    counters["digitised"] = int(facts.digitised)
    if received < start:
        counters["carried_over"] = 1
    else:
        counters["received_in_period"] = 1
        counters[_RECEIVED_BY_CHANNEL[facts.channel]] = 1

    if ended is None or ended > end:
        paused, paused_within = _paused_at_end(facts, end)
        counters["in_progress"] = 1
        counters["paused"] = int(paused)
        if local_date(facts.due_at) >= end or paused_within:
            counters["in_progress_within"] = 1
        else:
            counters["in_progress_overdue"] = 1
    elif facts.status in RESULT_STATUSES:
        due = local_date(facts.due_at)
        counters["resolved"] = 1
        if ended < due:
            counters["resolved_early"] = 1
        elif ended == due:
            counters["resolved_on_time"] = 1
        else:
            counters["resolved_late"] = 1
    elif facts.status in ENDED_WITHOUT_RESULT_STATUSES:
        counters["withdrawn"] = 1
    return counters
