"""``manage.py import_dossiers FILE [--by USERNAME]``: load dossiers from another one-stop
system (CSV/XLSX)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dossiers.imports import (
    DOSSIER_OPTIONAL_COLUMNS,
    DOSSIER_REQUIRED_COLUMNS,
    dossiers_import_path,
)
from org.commands import by_argument_add, import_actor, import_failures_reported


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
        parser.add_argument("file", help="path of the .csv or .xlsx file")
        by_argument_add(parser)

    def handle(self, *args: Any, file: str, by: str | None = None, **options: Any) -> None:
        started = time.perf_counter()
        actor = import_actor(by)
        with import_failures_reported():
            result = dossiers_import_path(path=file, by=actor)
        if result.errors:
            for line in result.errors.lines():
                self.stderr.write(line)
            raise CommandError(
                _("Nothing was imported: %(count)d error(s) in %(rows)d row(s).")
                % {"count": len(result.errors), "rows": len(result.errors.rows())},
                returncode=1,
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            _("Dossiers: %(created)d created, %(unchanged)d unchanged (%(seconds).1f s).")
            % {"created": result.created, "unchanged": result.unchanged, "seconds": elapsed}
        )
