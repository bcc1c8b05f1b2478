"""``manage.py import_procedures FILE [--by USERNAME]``: load or update the procedure catalogue
from CSV/XLSX."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from org.commands import import_arguments_add, import_run
from org.tabular import ImportResult, TabularFile
from procedures.imports import (
    PROCEDURE_OPTIONAL_COLUMNS,
    PROCEDURE_REQUIRED_COLUMNS,
    procedures_import,
)


def iso_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class Command(BaseCommand):
    help = (
        "Import the procedure catalogue from a CSV (UTF-8) or XLSX file with a header row. "
        f"Required columns: {', '.join(PROCEDURE_REQUIRED_COLUMNS)}; optional: "
        f"{', '.join(PROCEDURE_OPTIONAL_COLUMNS)}. Procedures are matched by code: a new code "
        "is published, a changed one gets a new version from its valid_from, an unchanged one "
        "is left alone. New versions and the import's audit entry are recorded as made by the "
        "--by user. All or nothing: on any bad row every error is printed as "
        "'row N: column: message', nothing is written and the exit status is 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        import_arguments_add(parser)
        parser.add_argument(
            "--valid-from",
            type=iso_date,
            default=None,
            help="YYYY-MM-DD: when new versions start, for rows without a valid_from",
        )

    def handle(
        self,
        *args: Any,
        file: str,
        valid_from: dt.date | None,
        by: str | None = None,
        **options: Any,
    ) -> None:
        def run(actor: AbstractBaseUser | None) -> ImportResult:
            with TabularFile(file, required=PROCEDURE_REQUIRED_COLUMNS) as table:
                return procedures_import(
                    rows=table, valid_from=valid_from, by=actor, source=table.path.name
                )

        result, _seconds = import_run(self, by, run)
        self.stdout.write(
            _("Procedures: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
        )
