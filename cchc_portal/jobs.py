"""One pattern for the background jobs a page or the admin asks for (exports, catalogue imports).

A job is a row with a ``status`` (queued → running → done or failed), a ``message`` (an English
msgid naming the step or the reason, translated when shown), ``attempts``, ``started_at`` and
``finished_at``. :class:`JobQueue` holds what every such job does the same way:

- **enqueue** once the row is committed; a broker that cannot be reached (Redis down:
  ``.delay()`` raises one of :data:`~cchc_portal.celery.BROKER_ERRORS`) leaves the job queued
  with the queue-down message, which the page shows at once; nothing runs in the request;
- **claim** by one conditional ``UPDATE`` (queued → running), so a message delivered twice
  runs the job once;
- **progress** and **finish** as short autocommitted updates;
- **sweep** (a beat job): enqueue again the jobs still queued after :data:`QUEUED_GRACE`, put
  back in the queue the jobs a killed worker left running past the task time limit, and mark
  failed those that were run :data:`MAX_ATTEMPTS` times.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from .celery import BROKER_ERRORS

logger = logging.getLogger(__name__)

QUEUED, RUNNING, FAILED = "queued", "running", "failed"

# A job still queued this long after it was asked for is enqueued again by the sweep.
QUEUED_GRACE = dt.timedelta(minutes=2)
# Runs of one job before the sweep gives up on it.
MAX_ATTEMPTS = 3
# Jobs enqueued again by one sweep, at most.
SWEEP_BATCH = 1000


def running_timeout() -> dt.timedelta:
    """How long a job may be running: past the hard time limit its worker has been killed."""
    return dt.timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 12 * 60) + 60)


@dataclass(frozen=True)
class JobQueue:
    """The shared life of one kind of job (its model and the Celery task that runs it).

    ``task`` is the dotted path of the Celery task, imported when it is sent (the tasks
    module imports the services that use this). ``gave_up`` gives the fields of a job the
    sweep stops retrying; ``requeued`` the fields reset when the sweep puts a running job
    back in the queue.
    """

    model: type[models.Model]
    task: str
    name: str
    message_queue_down: str
    message_retrying: str
    gave_up: Callable[[], dict[str, Any]]
    requeued: dict[str, Any] = field(default_factory=dict)

    def enqueue_on_commit(self, job_id: Any) -> None:
        # robust: whatever happens while enqueuing, the request that asked has succeeded.
        transaction.on_commit(lambda: self.enqueue(job_id), robust=True)

    def enqueue(self, job_id: Any) -> bool:
        """Send the job to the workers (run it now under eager Celery); False when the broker
        cannot be reached: the job then stays queued, saying so, for the sweep."""
        try:
            # JSON carries an int as it is; a UUID as text.
            argument = job_id if isinstance(job_id, int) else str(job_id)
            import_string(self.task).delay(job_id=argument)
        except BROKER_ERRORS as error:
            logger.warning(
                "%s %s: the broker cannot be reached (%s: %s); left queued.",
                self.name,
                job_id,
                type(error).__name__,
                error,
            )
            self.model.objects.filter(pk=job_id, status=QUEUED).update(
                message=self.message_queue_down
            )
            return False
        return True

    def claim(self, job_id: Any, **fields: Any) -> bool:
        """Queued → running in one ``UPDATE``, counting the attempt; False when the job is not
        queued (finished, or claimed by another delivery of the same message)."""
        claimed = self.model.objects.filter(pk=job_id, status=QUEUED).update(
            status=RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, **fields
        )
        return bool(claimed)

    def progress(self, job_id: Any, **fields: Any) -> None:
        """Write a running job's progress (nothing once it finished or was swept)."""
        self.model.objects.filter(pk=job_id, status=RUNNING).update(**fields)

    def finish(self, job_id: Any, *, status: str, **fields: Any) -> None:
        self.model.objects.filter(pk=job_id).update(
            status=status, finished_at=timezone.now(), **fields
        )

    def sweep(self, *, now: dt.datetime | None = None) -> int:
        """Enqueue again the jobs still queued after :data:`QUEUED_GRACE` and those a killed
        worker left running (failed after :data:`MAX_ATTEMPTS` runs); how many were sent."""
        now = now or timezone.now()
        jobs = self.model.objects
        stale = jobs.filter(status=RUNNING, started_at__lt=now - running_timeout())
        stale.filter(attempts__gte=MAX_ATTEMPTS).update(
            status=FAILED, finished_at=now, **self.gave_up()
        )
        restarted = list(stale.values_list("pk", flat=True))
        jobs.filter(pk__in=restarted, status=RUNNING).update(
            status=QUEUED, message=self.message_retrying, **self.requeued
        )
        waiting = list(
            jobs.filter(status=QUEUED, created_at__lt=now - QUEUED_GRACE)
            .exclude(pk__in=restarted)
            .order_by("created_at")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        for job_id in [*restarted, *waiting]:
            self.enqueue(job_id)
        return len(restarted) + len(waiting)
