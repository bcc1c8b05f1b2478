"""``manage.py import_par_framework FILE --name NAME --year 2021[-2025]``: a PAR-index framework
from CSV/XLSX, as a new draft version (``--publish`` to publish it at once)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from committee.parindex.imports import (
    FRAMEWORK_OPTIONAL_COLUMNS,
    FRAMEWORK_REQUIRED_COLUMNS,
    framework_import,
)
from committee.parindex.services import framework_publish
from org.commands import import_arguments_add, import_errors_fail, import_failures_reported
from org.models import UnitLevel
from org.tabular import TabularFile

_YEARS = re.compile(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?")


def bands(text: str) -> list[dict]:
    """``"90:Tốt,80:Khá,65:Trung bình,0:Yếu"`` → ``[{"min": "90", "label": "Tốt"}, …]``."""
    result = []
    for part in text.split(","):
        minimum, _sep, label = part.partition(":")
        if not _sep:
            raise ValueError(text)
        result.append({"min": minimum.strip(), "label": label.strip()})
    return result


def years(text: str) -> tuple[int, int]:
    match = _YEARS.fullmatch(text.strip())
    if not match:
        raise ValueError(text)
    first = int(match[1])
    return first, int(match[2] or first)


class Command(BaseCommand):
    help = (
        "Import a PAR-index framework from a CSV (UTF-8) or XLSX file with a header row. "
        f"Required columns: {', '.join(FRAMEWORK_REQUIRED_COLUMNS)}; optional: "
        f"{', '.join(FRAMEWORK_OPTIONAL_COLUMNS)}. Codes are outline numbers (1, 1.1, 1.1.2); "
        "the points of the children must add up to the parent's. All or nothing: on any bad "
        "row every error is printed as 'row N: column: message', nothing is written and the "
        "exit status is 1. Each import is a new draft version of the named framework."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        import_arguments_add(parser, by=False)
        parser.add_argument("--name", required=True, help="name of the framework")
        parser.add_argument(
            "--year", required=True, type=years, help="the year it applies to, or a range 2021-2025"
        )
        parser.add_argument(
            "--level",
            default=UnitLevel.COMMUNE,
            choices=UnitLevel.values,
            help="level of the units assessed (default: commune)",
        )
        parser.add_argument(
            "--bands",
            type=bands,
            default=None,
            help='groups of this framework, e.g. "90:Tốt,80:Khá,65:Trung bình,0:Yếu" '
            "(default: settings.PARINDEX_BANDS)",
        )
        parser.add_argument("--publish", action="store_true", help="publish it at once")

    def handle(
        self,
        *args: Any,
        file: str,
        name: str,
        year: tuple[int, int],
        level: str,
        bands: list[dict] | None,
        publish: bool,
        **options: Any,
    ) -> None:
        with import_failures_reported():
            try:
                with TabularFile(file, required=FRAMEWORK_REQUIRED_COLUMNS) as table:
                    result = framework_import(
                        rows=table,
                        name=name,
                        year_from=year[0],
                        year_to=year[1],
                        level=level,
                        bands=bands,
                        source_filename=Path(file).name,
                    )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages), returncode=1) from exc
        import_errors_fail(self, result.errors)
        framework = result.framework
        if publish:
            framework = framework_publish(framework=framework, by=None)
        self.stdout.write(
            _("Framework %(framework)s: %(count)d criteria imported (%(status)s).")
            % {
                "framework": framework,
                "count": result.criteria,
                "status": framework.get_status_display(),
            }
        )
