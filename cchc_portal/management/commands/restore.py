"""``manage.py restore FILE`` (``make restore FILE=…``): put a ``manage.py backup`` back.

PostgreSQL only: ``pg_restore --clean --if-exists`` into the configured database, in one
transaction, so a restore that fails half-way leaves the database as it was. Every table of the
backup is dropped and recreated: stop the web server and the Celery workers first (their open
sessions would make the restore wait). A SQLite database is a file: it is not restored by this
command; stop the server and copy the backup file over it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from .backup import client_tool, postgresql_arguments

# The first bytes of a pg_dump custom-format file.
CUSTOM_FORMAT_MAGIC = b"PGDMP"


class Command(BaseCommand):
    help = (
        "Restore a PostgreSQL backup made by `manage.py backup` (pg_dump custom format) into "
        "the configured database, replacing its tables, in one transaction. Stop the web "
        "server and workers first. Refused on SQLite: copy the backup file instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .dump file written by `manage.py backup`")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args: Any, file: str, interactive: bool = True, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                _(
                    "restore works on PostgreSQL only. This database is %(vendor)s: stop the "
                    "server and copy the backup file over %(name)s instead."
                )
                % {"vendor": connection.vendor, "name": connection.settings_dict["NAME"]}
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such backup file: %(path)s") % {"path": path})
        with path.open("rb") as dump:
            if dump.read(len(CUSTOM_FORMAT_MAGIC)) != CUSTOM_FORMAT_MAGIC:
                raise CommandError(
                    _(
                        "%(path)s is not a backup made by `manage.py backup` "
                        "(pg_dump custom format)."
                    )
                    % {"path": path}
                )
        database = connection.settings_dict
        if interactive:
            answer = input(
                _(
                    "Every table of database %(name)s will be replaced by the backup %(path)s. "
                    "Type 'yes' to continue: "
                )
                % {"name": database["NAME"], "path": path}
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("Restore cancelled; nothing was changed."))
        # Our own session would hold locks on the tables being dropped.
        connection.close()
        arguments, environ = postgresql_arguments(database)
        command = [
            client_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            # The backup may come from another server: objects belong to whoever restores.
            "--no-owner",
            "--no-privileges",
            f"--dbname={database['NAME']}",
            *arguments,
            str(path),
        ]
        result = subprocess.run(command, env=environ, capture_output=True, text=True)
        if result.returncode != 0:
            raise CommandError(
                _("pg_restore failed; the database was left as it was: %(error)s")
                % {"error": result.stderr.strip()}
            )
        self.stdout.write(
            _("Restored %(path)s into database %(name)s.")
            % {"path": path, "name": database["NAME"]}
        )
