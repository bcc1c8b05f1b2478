"""``manage.py dossiers_hand_over --from CODE --to CODE [--at ISO]``: hand every open dossier
of an ended unit over to one of its successors in force (all or nothing, one event each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossiers.services import dossiers_hand_over
from org.commands import moment_argument_parse
from org.models import Unit


def _moment(text: str) -> dt.datetime:
    return moment_argument_parse(text, option="--at", example="2025-07-01T08:00")


def _unit(code: str, option: str) -> Unit:
    unit = Unit.objects.filter(code=code.strip()).first()
    if unit is None:
        raise CommandError(f"{option}: no unit has the code {code!r}.")
    return unit


class Command(BaseCommand):
    help = (
        "Hand every open dossier handled by an ended unit over to one of its successors in "
        "force, as of --at (default: now). Nothing is written if any dossier cannot be."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="from_code", required=True, help="the ended unit")
        parser.add_argument("--to", dest="to_code", required=True, help="its successor")
        parser.add_argument(
            "--at",
            help="ISO 8601 date-time of the hand-over; without an offset it is local time",
        )

    def handle(
        self, *args: Any, from_code: str, to_code: str, at: str | None, **options: Any
    ) -> None:
        from_unit, to_unit = _unit(from_code, "--from"), _unit(to_code, "--to")
        moment = _moment(at) if at else None
        try:
            count = dossiers_hand_over(from_unit=from_unit, to_unit=to_unit, by=None, at=moment)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"{count} open dossier(s) of {from_unit.code} handed over to {to_unit.code}."
        )
