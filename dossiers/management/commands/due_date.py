"""``manage.py due_date --procedure CODE --received ISO [--channel C]`` (DESIGN §4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dossiers.deadlines import due_at_compute
from dossiers.models import local_date
from org.commands import moment_argument_parse
from procedures.models import Channel, Procedure
from procedures.selectors import procedure_version_on


def received_at_parse(text: str) -> dt.datetime:
    """An ISO 8601 date-time; without an offset it is local time (DESIGN §4)."""
    return moment_argument_parse(text, option="--received", example="2021-02-09T16:30")


class Command(BaseCommand):
    help = (
        "Print the legal due date-time (ISO 8601, local offset) of a dossier for a procedure "
        "received at a given moment, under the procedure version in force that day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--procedure", required=True, help="procedure code, e.g. 1.000948")
        parser.add_argument(
            "--received",
            required=True,
            help="ISO 8601 date-time; without an offset it is local time (Asia/Ho_Chi_Minh)",
        )
        parser.add_argument(
            "--channel", choices=Channel.values, default=Channel.DIRECT, help="default: direct"
        )

    def handle(
        self, *args: Any, procedure: str, received: str, channel: str, **options: Any
    ) -> None:
        received_at = received_at_parse(received)
        found = Procedure.objects.filter(code=procedure.strip()).first()
        if found is None:
            raise CommandError(f"Unknown procedure code {procedure!r}.")
        day = local_date(received_at)
        version = procedure_version_on(procedure=found, on=day)
        if version is None:
            raise CommandError(
                f"Procedure {found.code} has no published version in force on {day:%Y-%m-%d}."
            )
        due_at = due_at_compute(version=version, channel=channel, received_at=received_at)
        self.stdout.write(due_at.astimezone(timezone.get_default_timezone()).isoformat())
