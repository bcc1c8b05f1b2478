"""Exports written by a Celery worker while the page shows their progress (DESIGN §2, §6).

A page calls :func:`export_job_request`: it stores an :class:`~reports.models.ExportJob` and,
once that is committed, enqueues :func:`reports.tasks.export_job_run`, which calls
:func:`export_job_run` here. The job then moves queued → running → done (a file in the default
storage, ``MEDIA_ROOT``) or failed, with its progress updated at each real step: the figures,
each sheet, the charts, every 1,000 dossiers. Only the user who asked may see or download it.

No request is lost:

- a broker that cannot be reached when the job is enqueued (Redis down: ``.delay()`` raises)
  leaves the job queued, with a message the page shows; :func:`export_jobs_sweep` (a beat job)
  enqueues again every job still queued after :data:`QUEUED_GRACE`;
- a worker killed in the middle (the task is ``acks_late``) leaves the job running; the sweep
  puts a job running for longer than the task time limit back in the queue, at most
  :data:`MAX_ATTEMPTS` times, then marks it failed;
- a job is claimed by one conditional ``UPDATE`` (queued → running), so a message delivered
  twice runs it once.

These are the rules of every background job, kept in :mod:`cchc_portal.jobs`.

With no broker (the embedded default, eager Celery) the job runs inside the request that asked
for it, and the page shows its download link at once.

:func:`export_jobs_cleanup` (a beat job) deletes the jobs older than
``EXPORT_JOBS_KEEP_DAYS`` days (default 7) with their files.

What is exported is checked again when the job runs, with the permissions the user has then.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterator
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

# MAX_ATTEMPTS and QUEUED_GRACE are part of this module's interface (the docstring, the tests).
from cchc_portal.jobs import MAX_ATTEMPTS as MAX_ATTEMPTS
from cchc_portal.jobs import QUEUED_GRACE as QUEUED_GRACE
from cchc_portal.jobs import JobQueue
from dossiers.models import DossierStatus
from org.models import Unit
from org.selectors import units_visible_to
from procedures.models import Channel

from . import charts, exports
from .dashboard import counter_label
from .drilldown import drilldown_dossiers
from .models import ExportJob
from .narrative import format_number
from .periods import Period
from .quarterly import quarterly_report

logger = logging.getLogger(__name__)

Status = ExportJob.Status
Kind = ExportJob.Kind

# Steps and outcomes, stored in ExportJob.message as English msgids and translated when shown.
MESSAGE_QUEUED = gettext_noop("Waiting for a worker")
MESSAGE_QUEUE_DOWN = gettext_noop(
    "The job queue cannot be reached; the export will start as soon as it is back."
)
MESSAGE_RETRYING = gettext_noop("Interrupted; starting again")
MESSAGE_FIGURES = gettext_noop("Reading the figures")
MESSAGE_SHEETS = gettext_noop("Writing the sheets")
MESSAGE_CHARTS = gettext_noop("Drawing the charts")
MESSAGE_DOCUMENT = gettext_noop("Writing the report")
MESSAGE_DOSSIERS = gettext_noop("Writing the dossiers")
MESSAGE_SAVING = gettext_noop("Saving the file")
MESSAGE_DONE = gettext_noop("Ready")
MESSAGE_FAILED = gettext_noop("The export failed. Try again, or tell the administrator.")
MESSAGE_GAVE_UP = gettext_noop("The export was interrupted too many times. Try again later.")
MESSAGE_NOT_ALLOWED = gettext_noop("You may no longer see this unit.")
MESSAGE_INVALID = gettext_noop("The export's parameters are no longer valid.")


JOBS = JobQueue(
    model=ExportJob,
    task="reports.tasks.export_job_run",
    name="Export job",
    message_queue_down=MESSAGE_QUEUE_DOWN,
    message_retrying=MESSAGE_RETRYING,
    gave_up=lambda: {"message": MESSAGE_GAVE_UP},
    requeued={"progress": 0},
)


class _Refused(Exception):
    """The job cannot be done as asked (a permission or a parameter): it fails with this."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Asking -----------------------------------------------------------------------------------


def export_job_request(
    *, user: AbstractBaseUser, kind: str, parameters: dict, filename: str
) -> ExportJob:
    """Store a queued job for ``user`` and enqueue it once the transaction commits.

    ``parameters`` are what the page validated: for the report kinds ``year``, ``quarter``,
    ``scheme`` and ``unit`` (a code); for ``dossiers_xlsx`` the drill-down's ``period`` (a
    key), ``unit``, ``counter``, ``level`` and ``own``.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown export kind {kind!r}.")
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=user,
            kind=kind,
            parameters=parameters,
            filename=filename,
            message=MESSAGE_QUEUED,
        )
        JOBS.enqueue_on_commit(job.pk)
    return job


def export_job_enqueue(*, job_id: uuid.UUID) -> bool:
    """Send the job to the workers (run it now under eager Celery); False when the broker
    cannot be reached, the job then stays queued for the sweep."""
    return JOBS.enqueue(job_id)


# --- Running ----------------------------------------------------------------------------------


def export_job_run(*, job_id: uuid.UUID | str) -> ExportJob | None:
    """Write the job's file and mark it done (or failed, with the reason); None when the job
    is not queued any more (done, or being run by another delivery of the same message)."""
    if not JOBS.claim(job_id, progress=0, message=MESSAGE_FIGURES):
        return None
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    progress = _Progress(job.pk)
    writer = WRITERS[job.kind]
    try:
        # The files are Vietnamese documents whatever the language of the page that asked.
        with translation.override(settings.LANGUAGE_CODE), tempfile.TemporaryFile() as handle:
            writer(job, handle, progress)
            progress(99, MESSAGE_SAVING)
            handle.seek(0)
            name = _storage_name(job)
            if default_storage.exists(name):
                default_storage.delete(name)  # written by a run killed before it finished
            name = default_storage.save(name, File(handle))
    except _Refused as refusal:
        _finish(job, status=Status.FAILED, message=refusal.message)
    except Exception:
        # Also the soft time limit: the page says it failed instead of running for ever.
        logger.exception("Export job %s (%s) failed.", job.pk, job.kind)
        _finish(job, status=Status.FAILED, message=MESSAGE_FAILED)
    else:
        _finish(job, status=Status.DONE, message=MESSAGE_DONE, file=name, progress=100)
    job.refresh_from_db()
    return job


def _finish(job: ExportJob, *, status: str, message: str, **fields) -> None:
    JOBS.finish(job.pk, status=status, message=message, **fields)


def _storage_name(job: ExportJob) -> str:
    suffix = job.filename.rsplit(".", 1)[-1]
    return f"exports/{job.created_at:%Y/%m}/{job.pk}.{suffix}"


class _Progress:
    """Writes the job's progress (0–99 while running) and step, only when they change."""

    def __init__(self, job_id: uuid.UUID) -> None:
        self.job_id = job_id
        self.percent = 0
        self.message = MESSAGE_FIGURES

    def __call__(self, percent: float, message: str | None = None) -> None:
        percent = max(0, min(99, int(percent)))
        message = message or self.message
        if percent == self.percent and message == self.message:
            return
        self.percent, self.message = percent, message
        JOBS.progress(self.job_id, progress=percent, message=message)


def _visible_unit(job: ExportJob, code: str) -> Unit:
    unit = units_visible_to(job.requested_by).filter(code=code).first()
    if unit is None:
        raise _Refused(MESSAGE_NOT_ALLOWED)
    return unit


def _report_of(job: ExportJob, progress: _Progress) -> tuple[dict, Unit]:
    parameters = job.parameters
    unit = _visible_unit(job, str(parameters.get("unit") or ""))
    progress(5, MESSAGE_FIGURES)
    try:
        report = quarterly_report(
            year=int(parameters["year"]),
            quarter=int(parameters["quarter"]),
            unit=unit,
            scheme=str(parameters.get("scheme") or "calendar"),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise _Refused(MESSAGE_INVALID) from error
    return report, unit


def _report_xlsx_write(job: ExportJob, handle: IO[bytes], progress: _Progress) -> None:
    report, _unit = _report_of(job, progress)
    progress(40, MESSAGE_SHEETS)
    # The summary sheet, then one per level: 40 % → 95 %.
    exports.report_xlsx(
        report, handle, progress=lambda done, total: progress(40 + 55 * done / total)
    )


def _report_docx_write(job: ExportJob, handle: IO[bytes], progress: _Progress) -> None:
    report, unit = _report_of(job, progress)
    progress(30, MESSAGE_CHARTS)
    trend = charts.quarter_trend(
        unit=unit,
        year=report["period"]["year"],
        quarter=report["period"]["quarter"],
        scheme=report["period"]["scheme"],
    )
    progress(50)
    pictures = charts.report_chart_pngs(report, trend)
    progress(80, MESSAGE_DOCUMENT)
    exports.report_docx(report, handle, pictures)


def _dossiers_xlsx_write(job: ExportJob, handle: IO[bytes], progress: _Progress) -> None:
    from .forms import DrilldownForm

    form = DrilldownForm(job.parameters)
    if not form.is_valid():
        raise _Refused(MESSAGE_INVALID)
    data = form.cleaned_data
    unit = _visible_unit(job, data["unit"])
    period: Period = data["period"]
    today = timezone.localdate()
    if today < period.start:
        raise _Refused(MESSAGE_INVALID)
    counted = period.as_of(today)
    dossiers = drilldown_dossiers(
        user=job.requested_by,
        period=counted,
        unit=unit,
        counter=data["counter"],
        level=data["level"],
        own=data["own"],
    )
    total = dossiers.count()
    progress(5, MESSAGE_DOSSIERS)
    titles = [
        counter_label(data["counter"]),
        unit.name + (" (chỉ đơn vị này)" if data["own"] else ""),
        f"{period.label} (từ {counted.start:%d/%m/%Y} đến {counted.end:%d/%m/%Y})"
        f" · {format_number(total)} hồ sơ",
    ]
    exports.dossiers_xlsx(
        _dossier_rows(dossiers),
        handle,
        titles=titles,
        progress=lambda written: progress(5 + 90 * written / max(total, 1)),
    )


def _dossier_rows(dossiers) -> Iterator[tuple]:
    statuses = dict(DossierStatus.choices)
    channels = dict(Channel.choices)
    rows = dossiers.values_list(
        "code",
        "procedure_version__procedure__code",
        "procedure_version__name",
        "applicant_name",
        "receiving_unit__name",
        "channel",
        "received_at",
        "due_at",
        "finished_at",
        "status",
        "digitised",
    )
    # A server-side cursor on PostgreSQL: the rows are never all in memory.
    for row in rows.iterator(chunk_size=2000):
        *head, channel, received, due, finished, status, digitised = row
        yield (
            *head,
            str(channels.get(channel, channel)),
            received,
            due,
            finished,
            str(statuses.get(status, status)),
            "Có" if digitised else "Không",
        )


WRITERS: dict[str, Callable[[ExportJob, IO[bytes], _Progress], None]] = {
    Kind.REPORT_XLSX: _report_xlsx_write,
    Kind.REPORT_DOCX: _report_docx_write,
    Kind.DOSSIERS_XLSX: _dossiers_xlsx_write,
}


# --- Reading ----------------------------------------------------------------------------------


def export_jobs_recent(*, user: AbstractBaseUser, limit: int = 5) -> list[ExportJob]:
    """The user's latest jobs of the last day, newest first (the page's "my exports")."""
    since = timezone.now() - dt.timedelta(days=1)
    return list(ExportJob.objects.filter(requested_by=user, created_at__gte=since)[:limit])


def export_job_of(*, user: AbstractBaseUser, job_id: uuid.UUID) -> ExportJob | None:
    """The job if ``user`` asked for it; None for anybody else's (the page answers 404)."""
    return ExportJob.objects.filter(pk=job_id, requested_by=user).first()


# --- Upkeep (beat jobs) -----------------------------------------------------------------------


def export_jobs_sweep(*, now: dt.datetime | None = None) -> int:
    """Enqueue again the jobs still queued after :data:`QUEUED_GRACE`, and the jobs a killed
    worker left running (failed after :data:`MAX_ATTEMPTS` runs); how many were enqueued."""
    return JOBS.sweep(now=now)


def export_jobs_cleanup(
    *, older_than_days: int | None = None, now: dt.datetime | None = None
) -> int:
    """Delete the jobs asked for more than ``older_than_days`` days ago (default: the setting
    ``EXPORT_JOBS_KEEP_DAYS``, else 7) and their files; how many jobs were deleted."""
    if older_than_days is None:
        older_than_days = getattr(settings, "EXPORT_JOBS_KEEP_DAYS", 7)
    before = (now or timezone.now()) - dt.timedelta(days=older_than_days)
    deleted = 0
    while True:
        batch = list(
            ExportJob.objects.filter(created_at__lt=before).values_list("pk", "file")[:500]
        )
        if not batch:
            return deleted
        for _pk, name in batch:
            if name:
                default_storage.delete(name)
        ExportJob.objects.filter(pk__in=[pk for pk, _name in batch]).delete()
        deleted += len(batch)
