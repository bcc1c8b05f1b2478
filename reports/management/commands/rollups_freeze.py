"""``manage.py rollups_freeze``: keep a closed period's statistics as they are, for good."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from reports.periods import period_from_key
from reports.services import period_freeze


class Command(BaseCommand):
    help = (
        "Recompute a closed period's rollups one last time and freeze them: later dossier "
        "changes, refreshes and rebuilds no longer change its figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period", required=True, help="period key, e.g. calendar:quarter:2021:1"
        )
        parser.add_argument("--note", default="", help="why, e.g. the report's number")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = period_from_key(options["period"])
        except ValueError as error:
            raise CommandError(
                _("Unknown period %(key)s: %(error)s") % {"key": options["period"], "error": error},
                returncode=1,
            ) from error
        try:
            freeze = period_freeze(period=period, by=None, note=options["note"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=1) from error
        self.stdout.write(
            _("%(key)s  %(label)s frozen at %(at)s.")
            % {"key": period.key, "label": period.label, "at": freeze.frozen_at.isoformat()}
        )
