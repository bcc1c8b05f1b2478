"""``manage.py dossiers_partition --plan | --apply | --add-year YYYY | --list``.

Opt-in partitioning of the dossiers by year of receipt for large deployments on PostgreSQL
(docs/partitioning.md); SQLite and ordinary deployments keep the plain tables.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from dossiers.partitioning import (
    DEFAULT_PARTITION,
    PartitioningError,
    conversion_apply,
    conversion_plan,
    partition_name,
    partition_year_add,
    partitions_list,
)


class Command(BaseCommand):
    help = (
        "Partition the dossiers by year of receipt (PostgreSQL only): --plan prints what "
        "--apply would do; --apply converts in one transaction; --add-year creates a year's "
        "partition (idempotent); --list shows the partitions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--plan", action="store_true", help="print the SQL and partitions; change nothing"
        )
        action.add_argument(
            "--apply", action="store_true", help="convert the table in one transaction"
        )
        action.add_argument(
            "--add-year", type=int, metavar="YYYY", help="create the partition of a year"
        )
        action.add_argument("--list", action="store_true", help="list the partitions")
        parser.add_argument(
            "--lock-timeout",
            default="10s",
            help="give up --apply if the tables stay locked by others this long (default 10s)",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        try:
            if options["add_year"] is not None:
                year = options["add_year"]
                if partition_year_add(year, connection=connection):
                    self.stdout.write(f"Created {partition_name(year)}.")
                else:
                    self.stdout.write(f"{partition_name(year)} exists already.")
                return
            if options["list"]:
                for name, bound in partitions_list(connection):
                    self.stdout.write(f"{name}  {bound}")
                return
            plan = conversion_plan(connection=connection, lock_timeout=options["lock_timeout"])
            if options["plan"]:
                self._plan_print(plan)
                return
            started = time.monotonic()
            conversion_apply(plan, connection=connection)
        except PartitioningError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Partitioned {plan.rows} dossiers into {len(plan.years)} yearly partitions "
            f"({plan.years[0]}–{plan.years[-1]}) and {DEFAULT_PARTITION} "
            f"in {time.monotonic() - started:.1f} s."
        )

    def _plan_print(self, plan) -> None:
        self.stdout.write("-- Partitions (dossiers now):")
        for year in plan.years:
            self.stdout.write(f"--   {partition_name(year)}: {plan.rows_by_year.get(year, 0)}")
        self.stdout.write(f"--   {DEFAULT_PARTITION}: 0 (years not created yet)")
        for reference in plan.references:
            self.stdout.write(
                f"-- Foreign key {reference.table}.{reference.column} → constraint triggers "
                f"{reference.name}"
            )
        self.stdout.write("-- SQL run in one transaction by --apply:")
        self.stdout.write("BEGIN;")
        for statement in plan.statements:
            self.stdout.write(f"{statement};")
        self.stdout.write("COMMIT;")
