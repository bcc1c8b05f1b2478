"""``manage.py rollups_rebuild``: recompute the statistics rollups of every period overlapping a
date range (frozen periods are skipped and listed as such)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from org.models import Unit
from reports.periods import Period, PeriodKind, Scheme
from reports.services import rollups_rebuild


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("%(text)s is not a date: write YYYY-MM-DD.") % {"text": text}, returncode=1
        ) from None


class Command(BaseCommand):
    help = (
        "Recompute the statistics rollups of every period overlapping --from … --to, for both "
        "schemes and all kinds unless told; frozen periods are left as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD")
        parser.add_argument(
            "--scheme",
            action="append",
            choices=[scheme.value for scheme in Scheme],
            help="calendar or cutoff (default: both); may be repeated",
        )
        parser.add_argument(
            "--kind",
            action="extend",
            nargs="+",
            choices=[kind.value for kind in PeriodKind],
            help="period kinds (default: all)",
        )
        parser.add_argument(
            "--unit", default=None, help="code of a receiving unit: it and its whole subtree"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = _date(options["first"]), _date(options["last"])
        if last < first:
            raise CommandError(
                _("--from %(first)s is after --to %(last)s.")
                % {"first": first.isoformat(), "last": last.isoformat()},
                returncode=1,
            )
        unit_ids = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(
                    _("No unit has the code %(code)s.") % {"code": options["unit"]}, returncode=1
                )
            unit_ids = list(
                Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)
            )
        periods = 0

        def progress(period: Period, rows: int | None) -> None:
            nonlocal periods
            periods += 1
            if rows is None:
                self.stdout.write(
                    _("%(key)s  %(label)s: frozen, skipped")
                    % {"key": period.key, "label": period.label}
                )
            else:
                self.stdout.write(
                    ngettext(
                        "%(key)s  %(label)s: %(rows)d row",
                        "%(key)s  %(label)s: %(rows)d rows",
                        rows,
                    )
                    % {"key": period.key, "label": period.label, "rows": rows}
                )

        started = time.perf_counter()
        written = rollups_rebuild(
            first=first,
            last=last,
            schemes=options["scheme"] or tuple(Scheme),
            kinds=options["kind"] or tuple(PeriodKind),
            unit_ids=unit_ids,
            progress=progress,
        )
        self.stdout.write(
            _("%(periods)d periods, %(rows)d rows written in %(seconds).2f s.")
            % {"periods": periods, "rows": written, "seconds": time.perf_counter() - started}
        )
