"""``manage.py import_digitised FILE [--unit CODE] [--by USERNAME]``: mark the dossiers recorded in
iGate."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dossiers.digitisation import (
    DIGITISED_CODE_COLUMNS,
    DIGITISED_OPTIONAL_COLUMNS,
    dossiers_digitised_import_path,
)
from org.commands import import_arguments_add, import_run
from org.models import Unit
from org.tabular import unknown_unit_message


def _scope(code: str | None) -> Unit | None:
    """The unit named by ``--unit`` (None without it)."""
    if not code:
        return None
    scope = Unit.objects.filter(code=code).first()
    if scope is None:
        raise CommandError(unknown_unit_message(code), returncode=1)
    return scope


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
        import_arguments_add(parser)
        parser.add_argument(
            "--unit",
            metavar="CODE",
            help="accept only dossiers received in this unit's subtree",
        )

    def handle(
        self, *args: Any, file: str, unit: str | None = None, by: str | None = None, **options: Any
    ) -> None:
        result, elapsed = import_run(
            self,
            by,
            lambda actor: dossiers_digitised_import_path(path=file, unit=_scope(unit), by=actor),
        )
        self.stdout.write(
            _("Digitised: %(marked)d marked, %(unchanged)d unchanged (%(seconds).1f s).")
            % {"marked": result.updated, "unchanged": result.unchanged, "seconds": elapsed}
        )
