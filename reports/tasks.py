"""Celery tasks of the reports app: they only call :mod:`reports.services` (the rollups) and
:mod:`reports.export_jobs` (the exports a page asked for).

The rollup tasks are idempotent: running one twice, or two at once, leaves the same rollups; an
export job is claimed once, so a message delivered twice writes its file once.
"""

from __future__ import annotations

from celery import shared_task

from . import export_jobs, services


@shared_task
def rollups_refresh_dirty() -> int:
    """Recompute the (period, unit) pairs that dossier changes marked stale; rows written."""
    return services.rollups_dirty_drain()


@shared_task
def rollups_sweep() -> int:
    """Beat job: recompute the current periods for all units (overdue status follows the
    clock), then drain any stale mark left behind (e.g. by a broker outage); rows written."""
    return services.rollups_sweep()


# acks_late (also the project default): a worker killed mid-export leaves the message to be
# delivered again; export_jobs_sweep is the safety net when it is not.
@shared_task(acks_late=True)
def export_job_run(job_id: str) -> str | None:
    """Write one export job's file; its status, or None when it was not queued any more."""
    job = export_jobs.export_job_run(job_id=job_id)
    return None if job is None else job.status


@shared_task
def export_jobs_sweep() -> int:
    """Beat job: enqueue again the export jobs left queued (broker outage) or running (killed
    worker); how many were enqueued."""
    return export_jobs.export_jobs_sweep()


@shared_task
def export_jobs_cleanup() -> int:
    """Beat job: delete the export jobs older than EXPORT_JOBS_KEEP_DAYS days with their
    files; how many were deleted."""
    return export_jobs.export_jobs_cleanup()
