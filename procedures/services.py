"""Writes to the catalogue: drafting, publishing, abolishing procedure versions."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import audit_record, snapshot
from cchc_portal.jobs import JobQueue
from org.models import Unit
from org.tabular import NumberedRow, TabularError, TabularFile

from .models import (
    CONTENT_SCALAR_FIELDS,
    ChannelProcessingTime,
    GovernmentLevel,
    ImportJobStatus,
    Procedure,
    ProcedureImportJob,
    ProcedureLevel,
    ProcedureVersion,
    RequiredDocument,
    Sector,
    VersionStatus,
)


@dataclass(frozen=True)
class DocumentSpec:
    """A paper and how many of each kind: a line of a version's required documents, or of what
    an applicant handed in (a dossier's checklist)."""

    name: str
    originals: int = 0
    certified_copies: int = 0
    copies: int = 0

    @property
    def total(self) -> int:
        return self.originals + self.certified_copies + self.copies


def version_documents(version: ProcedureVersion) -> tuple[DocumentSpec, ...]:
    """The required documents of a version, in their order (also a dossier's pre-filled
    checklist)."""
    return tuple(
        DocumentSpec(d.name, d.originals, d.certified_copies, d.copies)
        for d in version.documents.all()
    )


@dataclass(frozen=True)
class ChannelTimeSpec:
    channel: str
    processing_time: Decimal
    processing_unit: str


@dataclass(frozen=True)
class ProcedureContent:
    """Everything a version says about a procedure, independent of how it was entered."""

    name: str
    sector: Sector
    levels: tuple[str, ...]
    online_level: str
    processing_time: Decimal
    processing_unit: str
    fully_online_eligible: bool = False
    fee: Decimal | None = None
    fee_description: str = ""
    result_description: str = ""
    paper_result_required: bool = False
    legal_basis: str = ""
    decision_number: str = ""
    decision_date: dt.date | None = None
    decision_effective_date: dt.date | None = None
    documents: tuple[DocumentSpec, ...] = ()
    channel_times: tuple[ChannelTimeSpec, ...] = ()
    implementing_unit_ids: frozenset[int] = field(default_factory=frozenset)

    SCALAR_FIELDS = CONTENT_SCALAR_FIELDS

    @classmethod
    def of(cls, version: ProcedureVersion) -> ProcedureContent:
        return cls(
            **{name: getattr(version, name) for name in cls.SCALAR_FIELDS},
            levels=tuple(sorted(level.level for level in version.levels.all())),
            documents=version_documents(version),
            channel_times=tuple(
                sorted(
                    (
                        ChannelTimeSpec(c.channel, c.processing_time, c.processing_unit)
                        for c in version.channel_times.all()
                    ),
                    key=lambda spec: spec.channel,
                )
            ),
            implementing_unit_ids=frozenset(u.pk for u in version.implementing_units.all()),
        )

    def normalised(self) -> ProcedureContent:
        """The same content in a canonical form, so that equal content compares equal."""
        return ProcedureContent(
            **{name: getattr(self, name) for name in self.SCALAR_FIELDS},
            levels=tuple(sorted(set(self.levels))),
            documents=tuple(self.documents),
            channel_times=tuple(sorted(self.channel_times, key=lambda spec: spec.channel)),
            implementing_unit_ids=frozenset(self.implementing_unit_ids),
        )


_Row = TypeVar("_Row", bound=Model)


def document_rows(model: type[_Row], lines: Iterable[DocumentSpec], **fields: Any) -> list[_Row]:
    """``lines`` as unsaved rows of ``model`` (a version's required documents, a dossier's
    checklist), numbered from 1, each also given ``fields``."""
    return [
        model(
            **fields,
            position=position,
            name=line.name,
            originals=line.originals,
            certified_copies=line.certified_copies,
            copies=line.copies,
        )
        for position, line in enumerate(lines, start=1)
    ]


def channel_time_rows(
    version: ProcedureVersion, content: ProcedureContent
) -> list[ChannelProcessingTime]:
    """The unsaved processing times by channel of ``content``, for ``version``."""
    return [
        ChannelProcessingTime(version=version, **asdict(spec)) for spec in content.channel_times
    ]


def _write_content(version: ProcedureVersion, content: ProcedureContent) -> None:
    for name in ProcedureContent.SCALAR_FIELDS:
        setattr(version, name, getattr(content, name))
    if not content.levels or set(content.levels) - set(GovernmentLevel.values):
        raise ValidationError({"levels": _("Choose one or more of province, district, commune.")})
    version.full_clean(exclude=["procedure", "number"])
    version.save()
    version.levels.all().delete()
    ProcedureLevel.objects.bulk_create(
        ProcedureLevel(version=version, level=level) for level in sorted(set(content.levels))
    )
    version.documents.all().delete()
    RequiredDocument.objects.bulk_create(
        document_rows(RequiredDocument, content.documents, version=version)
    )
    version.channel_times.all().delete()
    ChannelProcessingTime.objects.bulk_create(channel_time_rows(version, content))
    version.implementing_units.set(Unit.objects.filter(pk__in=content.implementing_unit_ids))


def procedure_create(
    *, code: str, content: ProcedureContent, by: AbstractBaseUser | None
) -> ProcedureVersion:
    """A new procedure code with its first version, as a draft."""
    with transaction.atomic():
        procedure = Procedure(code=code)
        procedure.full_clean()
        procedure.save()
        version = ProcedureVersion(procedure=procedure, number=1, created_by=by)
        _write_content(version, content)
        audit_record(actor=by, action="create", instance=version)
    return version


def procedure_draft_update(
    *, version: ProcedureVersion, content: ProcedureContent, by: AbstractBaseUser | None
) -> ProcedureVersion:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("A published version cannot be changed; draft a new version."))
    with transaction.atomic():
        before = snapshot(version)
        _write_content(version, content)
        audit_record(
            actor=by, action="update", instance=version, before=before, after=snapshot(version)
        )
    return version


def procedure_draft_new(*, procedure: Procedure, by: AbstractBaseUser | None) -> ProcedureVersion:
    """A new draft that starts as a copy of the latest version."""
    with transaction.atomic():
        Procedure.objects.select_for_update().get(pk=procedure.pk)
        if procedure.versions.filter(status=VersionStatus.DRAFT).exists():
            raise ValidationError(_("This procedure already has a draft version."))
        latest = procedure.versions.order_by("-number").first()
        draft = ProcedureVersion(
            procedure=procedure, number=(latest.number + 1) if latest else 1, created_by=by
        )
        _write_content(draft, ProcedureContent.of(latest))
        audit_record(actor=by, action="create", instance=draft)
    return draft


def procedure_publish(
    *,
    version: ProcedureVersion,
    valid_from: dt.date,
    by: AbstractBaseUser | None,
    change_note: str = "",
) -> ProcedureVersion:
    """Publish a draft from ``valid_from``; the version in force before it ends the day before.

    Validity windows of one code never overlap, so a version cannot start on or before the
    start of an existing published version.
    """
    with transaction.atomic():
        Procedure.objects.select_for_update().get(pk=version.procedure_id)
        version.refresh_from_db()
        if version.status != VersionStatus.DRAFT:
            raise ValidationError(_("Only a draft can be published."))
        before = snapshot(version)
        published = ProcedureVersion.objects.filter(
            procedure_id=version.procedure_id, status=VersionStatus.PUBLISHED
        )
        if published.filter(valid_from__gte=valid_from).exists():
            raise ValidationError(
                _("A published version already starts on or after %(date)s.")
                % {"date": valid_from.strftime("%d/%m/%Y")}
            )
        day_before = valid_from - dt.timedelta(days=1)
        published.filter(valid_to__isnull=True).update(valid_to=day_before)
        published.filter(valid_to__gt=day_before).update(valid_to=day_before)
        ProcedureVersion.objects.filter(pk=version.pk).update(
            status=VersionStatus.PUBLISHED,
            valid_from=valid_from,
            published_by=by,
            published_at=timezone.now(),
            change_note=change_note,
        )
        version.refresh_from_db()
        audit_record(
            actor=by, action="publish", instance=version, before=before, after=snapshot(version)
        )
    return version


def procedure_abolish(
    *, procedure: Procedure, on: dt.date, by: AbstractBaseUser | None, change_note: str = ""
) -> ProcedureVersion:
    """The procedure is no longer in force from ``on``: its last version ends the day before."""
    with transaction.atomic():
        Procedure.objects.select_for_update().get(pk=procedure.pk)
        last = (
            procedure.versions.filter(status=VersionStatus.PUBLISHED)
            .order_by("-valid_from")
            .first()
        )
        if last is None:
            raise ValidationError(_("Only a published procedure can be abolished."))
        if on <= last.valid_from:
            raise ValidationError(
                _("The abolition date must be after %(date)s, when the current version started.")
                % {"date": last.valid_from.strftime("%d/%m/%Y")}
            )
        if last.abolished:
            raise ValidationError(_("This procedure is already abolished."))
        before = snapshot(last)
        ProcedureVersion.objects.filter(pk=last.pk).update(
            valid_to=on - dt.timedelta(days=1), abolished=True, change_note=change_note
        )
        last.refresh_from_db()
        audit_record(actor=by, action="abolish", instance=last, before=before, after=snapshot(last))
    return last


# --- catalogue import jobs (admin upload, run by a Celery task) ------------------------------
# The queue, claim, progress, finish and sweep rules of every background job: cchc_portal.jobs.

IMPORT_PROGRESS_EVERY = 200

MESSAGE_IMPORT_QUEUE_DOWN = gettext_noop(
    "The job queue cannot be reached; the import will start as soon as it is back."
)
MESSAGE_IMPORT_RETRYING = gettext_noop("Interrupted; starting again")
MESSAGE_IMPORT_GAVE_UP = gettext_noop("The import was interrupted too many times. Try again later.")
MESSAGE_IMPORT_STOPPED = gettext_noop("The import stopped unexpectedly; nothing was written.")

logger = logging.getLogger(__name__)


def _import_gave_up() -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        return {"message": "", "errors": _(MESSAGE_IMPORT_GAVE_UP)}


IMPORT_JOBS = JobQueue(
    model=ProcedureImportJob,
    task="procedures.tasks.procedure_import_job_run",
    name="Catalogue import job",
    message_queue_down=MESSAGE_IMPORT_QUEUE_DOWN,
    message_retrying=MESSAGE_IMPORT_RETRYING,
    gave_up=_import_gave_up,
)


def procedure_import_job_create(*, upload: File, by: AbstractBaseUser | None) -> ProcedureImportJob:
    """Store an uploaded catalogue file and queue its import once the upload is committed."""
    with transaction.atomic():
        job = ProcedureImportJob(
            upload=upload, filename=Path(upload.name).name[:255], created_by=by
        )
        job.full_clean()
        job.save()
    IMPORT_JOBS.enqueue_on_commit(job.pk)
    return job


def procedure_import_jobs_sweep(*, now: dt.datetime | None = None) -> int:
    """Enqueue again the import jobs left queued (broker down) or running (killed worker)."""
    return IMPORT_JOBS.sweep(now=now)


def procedure_import_job_run(*, job_id: int) -> ProcedureImportJob:
    """Import a job's file: count its rows, then check and write them all or nothing.

    Progress is written with short autocommitted updates while rows are read and checked,
    which ``procedures_import`` does before it opens its transaction. Only a queued job is
    run, so a task delivered twice imports once.
    """
    claimed = IMPORT_JOBS.claim(job_id, rows_total=None, rows_done=0, message="", errors="")
    job = ProcedureImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    outcome: dict = {"status": ImportJobStatus.FAILED}
    try:
        with translation.override(settings.LANGUAGE_CODE):
            outcome.update(_import_job_file(job))
    except TabularError as exc:
        outcome["errors"] = str(exc)
    except Exception:
        logger.exception("catalogue import job %s stopped", job_id)
        with translation.override(settings.LANGUAGE_CODE):
            outcome["errors"] = _(MESSAGE_IMPORT_STOPPED)
    IMPORT_JOBS.finish(job_id, **outcome)
    job.refresh_from_db()
    return job


def _import_job_file(job: ProcedureImportJob) -> dict:
    """Import the job's file; the job's final fields."""
    from .imports import PROCEDURE_REQUIRED_COLUMNS, procedures_import

    with TabularFile(job.upload.path, required=PROCEDURE_REQUIRED_COLUMNS) as table:
        rows_total = sum(1 for _row in table)
    IMPORT_JOBS.progress(job.pk, rows_total=rows_total)
    jobs = ProcedureImportJob.objects.filter(pk=job.pk)
    with TabularFile(job.upload.path, required=PROCEDURE_REQUIRED_COLUMNS) as table:
        result = procedures_import(
            rows=_rows_with_progress(table, jobs=jobs), by=job.created_by, source=job.filename
        )
    if result.errors:
        return {"errors": "\n".join(result.errors.lines())}
    return {
        "status": ImportJobStatus.SUCCEEDED,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


def _rows_with_progress(
    rows: Iterable[NumberedRow], *, jobs: QuerySet[ProcedureImportJob]
) -> Iterator[NumberedRow]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % IMPORT_PROGRESS_EVERY == 0:
            jobs.update(rows_done=done)
    # Runs when the import has taken the last row, just before its transaction starts.
    jobs.update(rows_done=done)
