"""``manage.py backup [--output FILE]`` (``make backup``): a copy of the whole database.

PostgreSQL: ``pg_dump`` in its custom format (compressed, restorable table by table with
``pg_restore``; ``manage.py restore`` reads it). SQLite (the embedded default): the file is
copied with SQLite's online backup API, so a server writing meanwhile never leaves a torn copy.

Without ``--output`` the file goes to ``var/backups/<UTC timestamp>.dump`` (``.sqlite3`` for
SQLite). It is written under a temporary name and renamed when complete: a failed or
interrupted backup never leaves a file that looks like a good one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _


def backups_dir() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def postgresql_arguments(database: dict) -> tuple[list[str], dict[str, str]]:
    """Connection options of the PostgreSQL client tools for ``database`` (a DATABASES
    entry), and the environment that carries the password (never on the command line)."""
    arguments = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments.append(f"{option}={database[key]}")
    environ = dict(os.environ)
    if database.get("PASSWORD"):
        environ["PGPASSWORD"] = str(database["PASSWORD"])
    return arguments, environ


def client_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            _("%(tool)s was not found: install the PostgreSQL client tools.") % {"tool": name}
        )
    return path


class Command(BaseCommand):
    help = (
        "Back up the database: PostgreSQL with pg_dump (custom format), SQLite with its online "
        "backup API. Writes var/backups/<UTC timestamp>.dump (.sqlite3 for SQLite) unless "
        "--output is given; prints the file's path."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="the backup file to write (default: var/backups/…)")

    def handle(self, *args: Any, output: str | None = None, **options: Any) -> None:
        vendor = connection.vendor
        if vendor not in ("postgresql", "sqlite"):
            raise CommandError(
                _("Backups are made of PostgreSQL or SQLite databases, not %(vendor)s.")
                % {"vendor": vendor}
            )
        suffix = ".dump" if vendor == "postgresql" else ".sqlite3"
        if output:
            target = Path(output)
        else:
            target = backups_dir() / f"{timezone.now():%Y%m%dT%H%M%SZ}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        try:
            if vendor == "postgresql":
                self._pg_dump(partial)
            else:
                self._sqlite_copy(partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        size = target.stat().st_size
        self.stdout.write(
            _("Backup written: %(path)s (%(size)s bytes).") % {"path": target, "size": f"{size:,}"}
        )

    def _pg_dump(self, target: Path) -> None:
        database = connection.settings_dict
        arguments, environ = postgresql_arguments(database)
        command = [
            client_tool("pg_dump"),
            "--format=custom",
            f"--file={target}",
            *arguments,
            database["NAME"],
        ]
        result = subprocess.run(command, env=environ, capture_output=True, text=True)
        if result.returncode != 0:
            raise CommandError(
                _("pg_dump failed, no backup was written: %(error)s")
                % {"error": result.stderr.strip()}
            )

    def _sqlite_copy(self, target: Path) -> None:
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # From Django's own connection, so that an in-memory database is copied too.
            connection.connection.backup(copy)
        finally:
            copy.close()
