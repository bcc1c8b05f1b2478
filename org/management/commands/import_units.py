"""``manage.py import_units FILE [--by USERNAME]``: load or update the administrative tree from
CSV/XLSX."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import import_audit_record
from org.commands import import_arguments_add, import_errors_fail, import_run
from org.models import Unit
from org.services import UNIT_COLUMNS, UNIT_REQUIRED_COLUMNS, units_import
from org.tabular import ImportResult, TabularFile


class Command(BaseCommand):
    help = (
        "Import administrative units from a CSV (UTF-8) or XLSX file with a header row. "
        f"Columns: {', '.join(UNIT_COLUMNS)} (required: {', '.join(UNIT_REQUIRED_COLUMNS)}). "
        "Units are matched by code; parent_code and successor_code may name units of the "
        "database or of the same file, in any order. Dates are YYYY-MM-DD or DD/MM/YYYY. "
        "Each unit's audit entry and the import's are recorded as made by the --by user. "
        "All or nothing: on any bad row every error is printed as 'row N: column: message', "
        "nothing is written and the exit status is 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        import_arguments_add(parser)

    def handle(self, *args: Any, file: str, by: str | None = None, **options: Any) -> None:
        result, _seconds = import_run(self, by, lambda actor: units_import_file(file, actor))
        report_result(self, result)


def units_import_file(file: str, actor: AbstractBaseUser | None) -> ImportResult:
    """``units_import`` of a file, with the import's audit entry if it succeeded."""
    with (
        TabularFile(file, required=UNIT_REQUIRED_COLUMNS) as table,
        # units_import's own transaction becomes a savepoint: its rows and the import's
        # audit entry commit together or not at all.
        transaction.atomic(),
    ):
        result = units_import(rows=table, by=actor)
        if result.ok:
            import_audit_record(
                actor=actor,
                model=Unit,
                source=table.path.name,
                counts={
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
    return result


def report_result(command: BaseCommand, result: ImportResult) -> None:
    """Print the summary, or every error line and fail with exit status 1."""
    import_errors_fail(command, result.errors)
    command.stdout.write(
        _("Units: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
    )
