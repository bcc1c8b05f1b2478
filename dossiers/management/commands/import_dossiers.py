"""``manage.py import_dossiers FILE [--by USERNAME]``: load dossiers from another one-stop
system (CSV/XLSX)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from dossiers.imports import (
    DOSSIER_OPTIONAL_COLUMNS,
    DOSSIER_REQUIRED_COLUMNS,
    dossiers_import_path,
)
from org.commands import import_arguments_add, import_run


class Command(BaseCommand):
    help = (
        "Import dossiers from a CSV (UTF-8) or XLSX file with a header row. Required columns: "
        f"{', '.join(DOSSIER_REQUIRED_COLUMNS)}; optional: {', '.join(DOSSIER_OPTIONAL_COLUMNS)}. "
        "Times are ISO 8601, local time (Asia/Ho_Chi_Minh) without an offset. Dossiers are "
        "matched by code (or, without one, by unit, procedure, applicant and received time): "
        "re-importing a file changes nothing. A resolved row may give returned_at without "
        "finished_at (finished = returned). Refused: a new row with a step dated in a frozen "
        "(reported) period, a unit not in force on the received or hand-over day. The events "
        "and the import's audit entry are recorded as made by the --by user. All or "
        "nothing: on any bad row every error is printed as 'row N: column: message', nothing "
        "is written and the exit status is 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        import_arguments_add(parser)

    def handle(self, *args: Any, file: str, by: str | None = None, **options: Any) -> None:
        result, elapsed = import_run(
            self, by, lambda actor: dossiers_import_path(path=file, by=actor)
        )
        self.stdout.write(
            _("Dossiers: %(created)d created, %(unchanged)d unchanged (%(seconds).1f s).")
            % {"created": result.created, "unchanged": result.unchanged, "seconds": elapsed}
        )
