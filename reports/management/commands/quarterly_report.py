"""``manage.py quarterly_report``: the steering committee's quarterly figures (DESIGN §4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from org.models import Unit
from reports.charts import quarter_trend, report_chart_pngs
from reports.exports import report_docx, report_xlsx
from reports.periods import PeriodKind, Scheme, period_make
from reports.quarterly import quarterly_report, report_root_unit

FORMATS = ("json", "xlsx", "docx")
# Formats written as bytes: never to the terminal.
BINARY_FORMATS = ("xlsx", "docx")


class Command(BaseCommand):
    help = (
        "The quarterly report of a unit and everything under it: catalogue counts, the "
        "official dossier counters in total, by level and by unit, and the narrative."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=(1, 2, 3, 4))
        parser.add_argument("--unit", default=None, help="unit code (default: the root unit)")
        parser.add_argument(
            "--scheme", default=Scheme.CALENDAR, choices=[scheme.value for scheme in Scheme]
        )
        parser.add_argument(
            "--format",
            default="json",
            choices=FORMATS,
            help="json, xlsx (form II.06a) or docx (the written report); xlsx and docx need "
            "--output",
        )
        parser.add_argument("--output", default=None, help="file to write (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["format"] in BINARY_FORMATS and not options["output"]:
            raise CommandError(
                _("The %(format)s format is a binary file: give its name with --output.")
                % {"format": options["format"]},
                returncode=1,
            )
        if not 2000 <= options["year"] <= 2100:
            raise CommandError(_("The year must be between 2000 and 2100."), returncode=1)
        try:
            # With no --unit, the root in force on the quarter's last day (the province
            # before or after the 2025 reform).
            last_day = period_make(
                kind=PeriodKind.QUARTER,
                year=options["year"],
                index=options["quarter"],
                scheme=options["scheme"],
            ).end
            unit = report_root_unit(options["unit"], on=last_day)
            report = quarterly_report(
                year=options["year"],
                quarter=options["quarter"],
                unit=unit,
                scheme=options["scheme"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=1) from error
        if options["format"] == "json" and not options["output"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n", ending="")
            return
        try:
            self._write(report, unit=unit, options=options)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s (%(error)s).")
                % {"file": options["output"], "error": error.strerror or error},
                returncode=1,
            ) from error

    def _write(self, report: dict, *, unit: Unit, options: dict[str, Any]) -> None:
        path = Path(options["output"])
        if options["format"] == "json":
            path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
        elif options["format"] == "xlsx":
            with path.open("wb") as stream:
                report_xlsx(report, stream)
        else:
            trend = quarter_trend(
                unit=unit,
                year=options["year"],
                quarter=options["quarter"],
                scheme=options["scheme"],
            )
            charts = report_chart_pngs(report, trend)
            with path.open("wb") as stream:
                report_docx(report, stream, charts)
