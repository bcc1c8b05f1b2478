"""``manage.py export_procedures FILE``: the catalogue in force on a day, in import columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from procedures.exports import write_csv, write_xlsx
from procedures.selectors import versions_in_force


def iso_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class Command(BaseCommand):
    help = (
        "Export the procedure versions in force on a day (default today) to a .csv (UTF-8) or "
        ".xlsx file with the columns of import_procedures, so the file re-imports unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path of the .csv or .xlsx file to write")
        parser.add_argument("--on", type=iso_date, default=None, help="YYYY-MM-DD (default today)")

    def handle(self, *args: Any, file: str, on: dt.date | None, **options: Any) -> None:
        path = Path(file)
        versions = versions_in_force(on=on or dt.date.today())
        suffix = path.suffix.lower()
        try:
            if suffix == ".csv":
                with path.open("w", encoding="utf-8", newline="") as stream:
                    count = write_csv(versions, stream)
            elif suffix == ".xlsx":
                count = write_xlsx(versions, path)
            else:
                raise CommandError(
                    _("%(file)s: unsupported file type '%(suffix)s', use .csv or .xlsx")
                    % {"file": path.name, "suffix": suffix or path.name},
                    returncode=1,
                )
        except OSError as exc:
            raise CommandError(
                _("%(file)s: cannot write the file (%(error)s)")
                % {"file": path.name, "error": exc.strerror or exc},
                returncode=1,
            ) from exc
        self.stdout.write(_("%(count)d procedure(s) exported.") % {"count": count})
