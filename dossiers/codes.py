"""Dossier codes ``<unit code>-<YYMMDD>-<NNNN>`` (Circular 01/2018 Art. 19).

The sequence restarts at 0001 per receiving unit and local day. It must be gap-free and never
repeat under concurrent desks, so a counter row per (unit, day) is bumped with one
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` inside the intake transaction (DESIGN §6): the
row lock is held until the intake commits, and a rolled-back intake gives its number back.
``MAX()+1`` collides and database sequences leave gaps, so neither is used.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

from django.db import connection, transaction
from django.db.models import F

from org.models import Unit

from .models import DossierCodeCounter, local_date

# SQLite learned RETURNING in 3.35; older builds take the ORM path below.
_SQLITE_HAS_RETURNING = sqlite3.sqlite_version_info >= (3, 35, 0)

# Native codes have 4 digits; imports from older one-stop systems bring up to 7.
_CODE_PATTERN = re.compile(r"^(?P<unit>\S+)-(?P<date>\d{6})-(?P<n>\d{4,7})$")


def dossier_code_format(*, unit_code: str, day: dt.date, n: int) -> str:
    return f"{unit_code}-{day:%y%m%d}-{n:04d}"


def dossier_code_next(*, unit: Unit, on: dt.datetime) -> str:
    """The next code of ``unit`` for the local day of ``on``; call inside the intake transaction."""
    assert transaction.get_connection().in_atomic_block, (
        "dossier_code_next must run inside the intake transaction (transaction.atomic())."
    )
    day = local_date(on)
    if connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and _SQLITE_HAS_RETURNING
    ):
        n = _counter_bump_upsert(unit_id=unit.pk, day=day)
    else:
        n = _counter_bump_orm(unit_id=unit.pk, day=day)
    return dossier_code_format(unit_code=unit.code, day=day, n=n)


def _counter_bump_upsert(*, unit_id: int, day: dt.date) -> int:
    meta = DossierCodeCounter._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    unit_column = quote(meta.get_field("unit").column)
    day_column = quote(meta.get_field("day").column)
    last_column = quote(meta.get_field("last").column)
    sql = (
        f"INSERT INTO {table} ({unit_column}, {day_column}, {last_column}) VALUES (%s, %s, 1) "
        f"ON CONFLICT ({unit_column}, {day_column}) "
        f"DO UPDATE SET {last_column} = {table}.{last_column} + 1 "
        f"RETURNING {last_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit_id, day])
        return cursor.fetchone()[0]


def _counter_bump_orm(*, unit_id: int, day: dt.date) -> int:
    counter, _created = DossierCodeCounter.objects.select_for_update().get_or_create(
        unit_id=unit_id, day=day
    )
    DossierCodeCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last


def dossier_code_parse(code: str) -> tuple[str, dt.date, int]:
    """Split a code into (unit code, local day, sequence number); ``ValueError`` if malformed."""
    match = _CODE_PATTERN.match(code.strip())
    if match is None:
        raise ValueError(f"{code!r} is not a dossier code of the form <unit code>-<YYMMDD>-<NNNN>.")
    try:
        day = dt.datetime.strptime(match["date"], "%y%m%d").date()
    except ValueError:
        raise ValueError(f"{code!r} has no valid date: {match['date']}.") from None
    n = int(match["n"])
    if n == 0:
        raise ValueError(f"{code!r}: sequence numbers start at 0001.")
    return match["unit"], day, n
