"""Demo catalogue of `make run`: the 372 procedures of the seed district in Q1 2021, and one
new version of each from 1 July 2025, when the district level was abolished (which parts of
that are illustrative: ``make_catalogue.py``)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from org.models import REFORM_DATE
from org.tabular import ImportResult, read_rows
from procedures.imports import new_versions_import, procedures_import
from procedures.models import ProcedureVersion, VersionStatus

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
