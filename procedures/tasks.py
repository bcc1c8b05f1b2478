"""Celery tasks of the catalogue. Tasks only call services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def procedure_import_job_run(*, job_id: int) -> str:
    """Import an uploaded catalogue file; returns the job's final status."""
    return services.procedure_import_job_run(job_id=job_id).status


@shared_task
def procedure_import_jobs_sweep() -> int:
    """Beat job: enqueue again the import jobs left queued (broker outage) or running (killed
    worker); how many were enqueued."""
    return services.procedure_import_jobs_sweep()
