"""Backup and restore (issue 9): ``make backup`` / ``make restore FILE=…`` round-trip the demo
database into a fresh one with identical report figures."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from org.models import Unit
from tests.conftest import ROOT, shared_database_url
from tests.factories import UnitFactory

from .conftest import celery_broker

# Tables whose every row is compared between the original and the restored database.
CHECKED_TABLES = {
    "org_unit": "code",
    "procedures_procedure": "code",
    "procedures_procedureversion": "id",
    "dossiers_dossier": "code",
    "dossiers_event": "id",
    "auth_user": "username",
}


def manage(*args: str, database_url: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``manage.py`` in its own process on ``database_url``."""
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def report_figures(database_url: str) -> dict:
    result = manage(
        "quarterly_report", "--year", "2021", "--quarter", "1", "--format", "json",
        database_url=database_url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def table_fingerprints(database_url: str) -> dict[str, tuple[int, str]]:
    """Each checked table's row count and a digest of all its rows, in key order."""
    fingerprints = {}
    with psycopg.connect(database_url) as database:
        for table, key in CHECKED_TABLES.items():
            fingerprints[table] = database.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.{key}), '')) "
                f"FROM {table} t"
            ).fetchone()
    return fingerprints


@pytest.fixture
def fresh_database(postgresql):
    """An empty PostgreSQL database (reliability_restore_…), dropped afterwards; its URL."""
    name = f"reliability_restore_{uuid.uuid4().hex[:8]}"
    server = shared_database_url().rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_it_round_trips_the_demo_database_with_identical_report_figures(fresh_database, tmp_path):
    from dossiers.demo import demo_dossiers_load
    from org.demo import demo_organisation_load
    from procedures.demo import demo_catalogue_load

    with celery_broker("memory://"):  # the rollups are computed by the report, not queued
        demo_organisation_load(password="cchc-demo")
        demo_catalogue_load()
        demo_dossiers_load()
    original = shared_database_url()
    dump = tmp_path / "demo.dump"

    backup = manage("backup", "--output", str(dump), database_url=original)
    assert backup.returncode == 0, backup.stderr
    assert str(dump) in backup.stdout  # the message is in the site's language (vi)
    assert dump.read_bytes()[:5] == b"PGDMP"
    restore = manage("restore", str(dump), "--no-input", database_url=fresh_database)
    assert restore.returncode == 0, restore.stderr

    figures = report_figures(original)
    assert figures["dossiers"]["total"]["received_total"] == 3329  # DESIGN §4, the demo
    assert report_figures(fresh_database) == figures
    fingerprints = table_fingerprints(original)
    assert fingerprints["dossiers_dossier"][0] == 3329
    assert table_fingerprints(fresh_database) == fingerprints

    # Restoring over a database that changed since (--clean) puts it back exactly.
    with psycopg.connect(fresh_database) as changed:
        # Checked at once: an applicant notice's deferred reference to an event would leave a
        # pending check that ALTER TABLE refuses to run under.
        changed.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Only a database owner who switches the append-only trigger off can delete events.
        changed.execute("ALTER TABLE dossiers_event DISABLE TRIGGER dossiers_event_append_only")
        changed.execute("DELETE FROM dossiers_event WHERE kind = 'imported'")
        changed.execute("ALTER TABLE dossiers_event ENABLE TRIGGER dossiers_event_append_only")
        changed.execute("UPDATE dossiers_dossier SET applicant_name = 'Đã sửa'")
    assert table_fingerprints(fresh_database) != fingerprints
    again = manage("restore", str(dump), "--no-input", database_url=fresh_database)
    assert again.returncode == 0, again.stderr
    assert table_fingerprints(fresh_database) == fingerprints
    assert report_figures(fresh_database) == figures

    # A damaged backup is refused by pg_restore in its one transaction: nothing changes.
    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    with psycopg.connect(fresh_database) as changed:
        changed.execute("UPDATE dossiers_dossier SET applicant_name = 'Sau bản sao'")
    before_failure = table_fingerprints(fresh_database)
    failed = manage("restore", str(damaged), "--no-input", database_url=fresh_database)
    assert failed.returncode == 1
    assert "pg_restore" in failed.stderr
    assert table_fingerprints(fresh_database) == before_failure
    print(
        f"\nbackup {dump.stat().st_size:,} bytes; restored twice into a fresh database: "
        + ", ".join(f"{table} {count} rows" for table, (count, _d) in fingerprints.items())
        + " identical; quarterly_report Q1 2021 JSON identical; a damaged backup changed nothing"
    )


def test_it_asks_before_restoring_and_cancels_without_yes(postgresql, tmp_path, monkeypatch):
    UnitFactory(code="REL-RS", name="UBND xã Tân Lập")
    dump = tmp_path / "one-unit.dump"
    call_command("backup", "--output", str(dump), stdout=StringIO())
    Unit.objects.filter(code="REL-RS").update(name="Đổi tên sau bản sao")
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "no")
    with (
        translation.override("en"),
        pytest.raises(CommandError, match="Restore cancelled; nothing was changed"),
    ):
        call_command("restore", str(dump))
    assert asked == [
        f"Every table of database {connection.settings_dict['NAME']} will be replaced by the "
        f"backup {dump}. Type 'yes' to continue: "
    ]
    assert Unit.objects.get(code="REL-RS").name == "Đổi tên sau bản sao"


def test_it_refuses_a_file_that_is_not_a_backup(tmp_path):
    not_a_dump = tmp_path / "units.csv"
    not_a_dump.write_text("code,name\n", encoding="utf-8")
    if connection.vendor != "postgresql":
        pytest.skip("the file is checked on PostgreSQL; SQLite refuses before")
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=r"is not a backup made by `manage\.py backup`"),
    ):
        call_command("restore", str(not_a_dump), "--no-input")
    with translation.override("en"), pytest.raises(CommandError, match="No such backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), "--no-input")


def test_it_refuses_to_restore_into_sqlite_with_a_clear_message(tmp_path):
    result = manage(
        "restore", str(tmp_path / "any.dump"), "--no-input",
        database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )  # fmt: skip
    assert result.returncode == 1
    assert "PostgreSQL" in result.stderr  # in the site's language (vi)
    assert str(tmp_path / "db.sqlite3") in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()


@pytest.mark.django_db(transaction=True)
def test_it_backs_up_sqlite_with_the_online_backup_api(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup path (PostgreSQL is covered by the round trip)")
    UnitFactory(code="REL-SQ", name="UBND xã Tân Quang")
    target = tmp_path / "copy.sqlite3"
    out = StringIO()
    with translation.override("en"):
        call_command("backup", "--output", str(target), stdout=out)
    assert f"Backup written: {target}" in out.getvalue()
    with sqlite3.connect(target) as copy:
        codes = [code for (code,) in copy.execute("SELECT code FROM org_unit ORDER BY code")]
    assert codes == list(Unit.objects.order_by("code").values_list("code", flat=True))
    assert "REL-SQ" in codes
    assert not list(Path(tmp_path).glob(".*.partial"))
