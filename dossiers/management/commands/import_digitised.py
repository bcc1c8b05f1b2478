"""``manage.py import_digitised FILE [--unit CODE] [--by USERNAME]``: mark the dossiers recorded in
iGate."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dossiers.digitisation import (
    DIGITISED_CODE_COLUMNS,
    DIGITISED_OPTIONAL_COLUMNS,
    dossiers_digitised_import_path,
)
from org.commands import by_argument_add, import_actor, import_failures_reported
from org.models import Unit


class Command(BaseCommand):
    help = (
        "Mark dossiers as recorded in the electronic one-stop system (iGate) from its export: "
        "a CSV (UTF-8) or XLSX file with a header row. Required column: "
        f"{' or '.join(DIGITISED_CODE_COLUMNS)} (the portal's dossier code); optional: "
        f"{', '.join(DIGITISED_OPTIONAL_COLUMNS)} (ISO date or date-time, not stored). "
        "Headers are matched without diacritics, case or spacing, so the iGate export's "
        "'Mã hồ sơ' or 'Số hồ sơ' are accepted. "
        "Dossiers already marked are left unchanged. The import is recorded in the audit "
        "trail, made by the --by user. All or nothing: on any bad row every "
        "error is printed as 'row N: column: message', nothing is written and the exit "
        "status is 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path of the .csv or .xlsx file")
        parser.add_argument(
            "--unit",
            metavar="CODE",
            help="accept only dossiers received in this unit's subtree",
        )
        by_argument_add(parser)

    def handle(
        self, *args: Any, file: str, unit: str | None = None, by: str | None = None, **options: Any
    ) -> None:
        started = time.perf_counter()
        actor = import_actor(by)
        scope = None
        if unit:
            scope = Unit.objects.filter(code=unit).first()
            if scope is None:
                raise CommandError(_("unknown unit '%(code)s'") % {"code": unit}, returncode=1)
        with import_failures_reported():
            result = dossiers_digitised_import_path(path=file, unit=scope, by=actor)
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
            _("Digitised: %(marked)d marked, %(unchanged)d unchanged (%(seconds).1f s).")
            % {"marked": result.updated, "unchanged": result.unchanged, "seconds": elapsed}
        )
