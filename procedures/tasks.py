"""Celery tasks of the catalogue. Tasks only call services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def procedure_import_job_run(*, job_id: int) -> str:
    """Import an uploaded catalogue file; returns the job's final status."""
    return services.procedure_import_job_run(job_id=job_id).status
