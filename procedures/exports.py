"""Exporting catalogue versions in the import's own columns, so an export re-imports unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db.models import Prefetch, QuerySet

from org.text import control_characters_removed

from .imports import DOCUMENT_FIELD_SEPARATOR, LIST_SEPARATOR, PROCEDURE_COLUMNS
from .models import ProcedureVersion, RequiredDocument

# Text a spreadsheet would run as a formula (CWE-1236), also behind a tab or carriage return
# (OWASP's list); see procedures.imports.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
# Columns written as numbers in XLSX; every other column is text.
_NUMBER_COLUMNS = frozenset({"processing_time", "fee"})


def text_neutralised(text: str) -> str:
    """The text as every export writes it: without the control characters a spreadsheet file
    cannot hold (one stored before the entry points refused them must not break an official
    form), and with an apostrophe in front when a spreadsheet would read it as a formula."""
    text = control_characters_removed(text)
    return "'" + text if _FORMULA_START.match(text) else text


def export_queryset(versions: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    """The versions with everything an export row reads, in a fixed number of queries."""
    return (
        versions.select_related("procedure", "sector")
        .prefetch_related(
            "levels",
            "implementing_units",
            Prefetch("documents", queryset=RequiredDocument.objects.order_by("position", "id")),
        )
        .order_by("procedure__code")
    )


def procedures_export_rows(versions: Iterable[ProcedureVersion]) -> Iterator[dict[str, Any]]:
    """One dict per version, keyed by the import's column names (values not yet neutralised).

    A queryset is prefetched (see ``export_queryset``) so the query count does not grow with
    the number of rows.
    """
    if isinstance(versions, QuerySet):
        versions = export_queryset(versions).iterator(chunk_size=1000)
    for version in versions:
        yield {
            "code": version.procedure.code,
            "name": version.name,
            "sector_code": version.sector.code,
            "sector_name": version.sector.name,
            "level": LIST_SEPARATOR.join(sorted(level.level for level in version.levels.all())),
            "online_level": version.online_level,
            "processing_time": _number_text(version.processing_time),
            "processing_unit": version.processing_unit,
            "fee": "" if version.fee is None else _number_text(version.fee),
            "fee_description": version.fee_description,
            "fully_online_eligible": "1" if version.fully_online_eligible else "0",
            "paper_result_required": "1" if version.paper_result_required else "0",
            "result": version.result_description,
            "legal_basis": version.legal_basis,
            "decision_number": version.decision_number,
            "decision_date": _date_text(version.decision_date),
            "decision_effective_date": _date_text(version.decision_effective_date),
            "valid_from": _date_text(version.valid_from),
            "implementing_unit_codes": LIST_SEPARATOR.join(
                sorted(unit.code for unit in version.implementing_units.all())
            ),
            "documents": LIST_SEPARATOR.join(
                DOCUMENT_FIELD_SEPARATOR.join(
                    [doc.name, str(doc.originals), str(doc.certified_copies), str(doc.copies)]
                )
                for doc in version.documents.all()
            ),
        }


def write_csv(versions: Iterable[ProcedureVersion], stream: IO[str]) -> int:
    """Write a UTF-8 CSV (the caller opens ``stream`` with ``newline=""``); returns the rows."""
    writer = csv.writer(stream)
    writer.writerow(PROCEDURE_COLUMNS)
    count = 0
    for row in procedures_export_rows(versions):
        writer.writerow(text_neutralised(str(row[column])) for column in PROCEDURE_COLUMNS)
        count += 1
    return count


def write_xlsx(versions: Iterable[ProcedureVersion], path_or_stream: str | Path | IO[bytes]) -> int:
    """Write a one-sheet XLSX workbook, streaming (openpyxl write-only); returns the rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("procedures")
    sheet.append(list(PROCEDURE_COLUMNS))
    count = 0
    for row in procedures_export_rows(versions):
        sheet.append([_xlsx_cell(column, row[column]) for column in PROCEDURE_COLUMNS])
        count += 1
    workbook.save(path_or_stream)
    return count


def _xlsx_cell(column: str, text: str) -> Any:
    if column in _NUMBER_COLUMNS and text:
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() else float(number)
    return text_neutralised(text) if text else None


def _number_text(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date_text(value: dt.date | None) -> str:
    return value.isoformat() if value else ""
