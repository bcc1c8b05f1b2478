"""Demo catalogue of `make run`: the 372 procedures of the seed district in Q1 2021, and one
new version of each from 1 July 2025, when the district level was abolished (which parts of
that are illustrative: ``make_catalogue.py``)."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from org.models import REFORM_DATE, Unit
from org.tabular import ImportResult, NumberedRow, RowErrors, read_rows
from procedures.imports import (
    BATCH_SIZE,
    _check_sectors,
    _check_units,
    _current_versions,
    _plan,
    _rows_parse,
    _Step,
    procedures_import,
)
from procedures.models import (
    ChannelProcessingTime,
    ProcedureLevel,
    ProcedureVersion,
    RequiredDocument,
    Sector,
    VersionStatus,
    search_normalise,
)
from procedures.services import ProcedureContent

DEMO_CATALOGUE = Path(__file__).resolve().parent / "procedures.csv"
DEMO_CATALOGUE_2025 = Path(__file__).resolve().parent / "procedures_2025.csv"


def demo_catalogue_load() -> ImportResult:
    """Import procedures.csv, then procedures_2025.csv (regenerate both with make_catalogue.py).

    All or nothing, and idempotent: the import compares a row with the newest version of its
    code, so once a procedure has its 2025 version its 2021 row is history and is not imported
    again (it would read as a change dated before the newest version); the 2025 rows are then
    unchanged. The counts are of the rows of both files: a first load creates 372 procedures
    and updates each with its 2025 version.
    """
    with transaction.atomic():
        reformed = set(
            ProcedureVersion.objects.filter(
                status=VersionStatus.PUBLISHED, valid_from__gte=REFORM_DATE
            ).values_list("procedure__code", flat=True)
        )
        rows_2021 = [row for row in read_rows(DEMO_CATALOGUE) if row[1]["code"] not in reformed]
        before = _imported(procedures_import(rows=rows_2021)) if rows_2021 else ImportResult()
        after = _imported(new_versions_import(rows=list(read_rows(DEMO_CATALOGUE_2025))))
    return ImportResult(
        created=before.created + after.created,
        updated=before.updated + after.updated,
        unchanged=before.unchanged + after.unchanged,
    )


def _imported(result: ImportResult) -> ImportResult:
    if not result.ok:
        raise ValueError("\n".join(result.errors.lines()))
    return result


def new_versions_import(*, rows: list[NumberedRow]) -> ImportResult:
    """``procedures_import`` of rows that give existing procedures a new version, in bulk.

    The rows are read, checked and compared exactly as ``procedures_import`` does; a changed
    row's new version is then written with a few bulk queries instead of the drafting and
    publishing services (about 57 queries a procedure: 19 s for the 372 of the demo on SQLite,
    against well under a second). The rows written are the services' (a test compares them),
    without their audit entries, as for the new codes ``procedures_import`` writes in bulk.
    Anything else in the file (a new code or a new or renamed sector) goes through
    ``procedures_import`` itself.
    """
    with transaction.atomic():
        errors = RowErrors()
        parsed = _rows_parse(rows=rows, errors=errors)
        sectors = {sector.code: sector for sector in Sector.objects.all()}
        unit_ids = dict(Unit.objects.values_list("code", "pk"))
        current = _current_versions(sectors)
        _check_units(parsed=parsed, unit_ids=unit_ids, errors=errors)
        _check_sectors(parsed=parsed, errors=errors)
        plan = _plan(
            parsed=parsed,
            sectors=sectors,
            unit_ids=unit_ids,
            current=current,
            default_valid_from=None,
            errors=errors,
        )
        if errors:
            return ImportResult(errors=errors)
        if any(
            step.action == "create"
            or step.content.sector.pk is None
            or step.content.sector.name != step.sector_name
            for step in plan
        ):
            return procedures_import(rows=rows)
        updates = [step for step in plan if step.action == "update"]
        _publish_in_bulk(steps=updates)
    return ImportResult(updated=len(updates), unchanged=len(plan) - len(updates))


def _publish_in_bulk(*, steps: list[_Step]) -> None:
    """What ``procedure_draft_new`` + ``procedure_draft_update`` + ``procedure_publish`` write
    for each step: the version in force ends the day before the new one starts, and the new
    one is published with the next number."""
    if not steps:
        return
    now = timezone.now()
    numbers = dict(
        ProcedureVersion.objects.filter(procedure_id__in=[step.procedure_id for step in steps])
        .values_list("procedure_id")
        .annotate(Max("number"))
        .order_by()
    )
    by_start = sorted(steps, key=lambda step: step.valid_from)
    for valid_from, group in groupby(by_start, key=lambda step: step.valid_from):
        day_before = valid_from - dt.timedelta(days=1)
        published = ProcedureVersion.objects.filter(
            procedure_id__in=[step.procedure_id for step in group],
            status=VersionStatus.PUBLISHED,
        )
        published.filter(valid_to__isnull=True).update(valid_to=day_before)
        published.filter(valid_to__gt=day_before).update(valid_to=day_before)
    versions = ProcedureVersion.objects.bulk_create(
        [
            ProcedureVersion(
                procedure_id=step.procedure_id,
                number=numbers[step.procedure_id] + 1,
                status=VersionStatus.PUBLISHED,
                valid_from=step.valid_from,
                published_at=now,
                search_text=search_normalise(f"{step.code} {step.content.name}"),
                **{name: getattr(step.content, name) for name in ProcedureContent.SCALAR_FIELDS},
            )
            for step in steps
        ],
        batch_size=BATCH_SIZE,
    )
    levels, documents, channel_times, units = [], [], [], []
    through = ProcedureVersion.implementing_units.through
    for step, version in zip(steps, versions, strict=True):
        content = step.content
        levels.extend(ProcedureLevel(version=version, level=level) for level in content.levels)
        documents.extend(
            RequiredDocument(
                version=version,
                position=position,
                name=doc.name,
                originals=doc.originals,
                certified_copies=doc.certified_copies,
                copies=doc.copies,
            )
            for position, doc in enumerate(content.documents, start=1)
        )
        channel_times.extend(
            ChannelProcessingTime(
                version=version,
                channel=spec.channel,
                processing_time=spec.processing_time,
                processing_unit=spec.processing_unit,
            )
            for spec in content.channel_times
        )
        units.extend(
            through(procedureversion_id=version.pk, unit_id=unit_id)
            for unit_id in sorted(content.implementing_unit_ids)
        )
    for model, objects in (
        (ProcedureLevel, levels),
        (RequiredDocument, documents),
        (ChannelProcessingTime, channel_times),
        (through, units),
    ):
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
