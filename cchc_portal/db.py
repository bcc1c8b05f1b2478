"""Bulk writes below the ORM, for imports of many thousands of rows.

Rows are tuples of Python values in the order of the named model fields, written as they are:
the ORM's per-field preparation (``bulk_create``) costs most of a large import. On PostgreSQL
with psycopg 3, binary ``COPY`` (the server parses neither a statement with tens of thousands
of placeholders nor text dates); elsewhere multi-row ``INSERT`` statements, datetimes adapted
the way the backend stores them. Every database error surfaces as Django's
(``django.db.DatabaseError`` and its subclasses), whichever path wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection

# Bound parameters per statement: well under SQLite's 32,766 and PostgreSQL's 65,535.
MAX_PARAMETERS = 30000


def copy_available() -> bool:
    """Whether the connection can ``COPY`` and bind arrays in binary (PostgreSQL, psycopg 3)."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3


def copy_rows(model, fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """Write ``rows`` (values in the order of the model ``fields``) into the model's table."""
    if not rows:
        return
    if copy_available():
        _copy(model, fields, rows)
    else:
        insert_rows(model, fields, rows)


def insert_rows(
    model, fields: Sequence[str], rows: Sequence[tuple], *, returning: Sequence[str] = ()
) -> list[tuple]:
    """Multi-row ``INSERT``s of ``rows``; the ``returning`` fields of each row written."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    columns = ", ".join(quote(item.column) for item in model_fields)
    adapters = _adapters(model_fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = ""
    if returning:
        tail = " RETURNING " + ", ".join(quote(meta.get_field(name).column) for name in returning)
    batch = max(1, MAX_PARAMETERS // len(fields))
    result: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            part = rows[start : start + batch]
            params: list = []
            for row in part:
                values = list(row)
                for index, adapt in adapters:
                    if values[index] is not None:
                        values[index] = adapt(values[index])
                params.extend(values)
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                + ", ".join([one_row] * len(part))
                + tail,
                params,
            )
            if returning:
                result.extend(cursor.fetchall())
    return result


def ids_reserve(model, count: int) -> list[int]:
    """``count`` new ids from the model table's sequence, ascending (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def binary_execute(sql: str, params: Sequence) -> list[tuple]:
    """Run ``sql`` with its parameters bound on the server, in binary (``%b``), on Django's
    connection (same transaction): arrays of thousands of values cost a seventh of Django's
    quoted text. The rows it returns, if any. PostgreSQL with psycopg 3 only."""
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description is not None else []


def _copy(model, fields: Sequence[str], rows: Sequence[tuple]) -> None:
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    table = quote(meta.db_table)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # The column types, which a binary COPY must be told.
        cursor.execute(f"SELECT {columns} FROM {table} LIMIT 0")
        types = [column.type_code for column in cursor.description]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)


def _sqlite_datetime(value: dt.datetime) -> str:
    # What Django's SQLite backend stores for an aware datetime (USE_TZ): naive UTC as text.
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _adapters(model_fields: list) -> list[tuple[int, object]]:
    """(index, adapt) of the date-time and date columns, as the backend wants their values."""
    ops = connection.ops
    adapt_datetime = (
        _sqlite_datetime if connection.vendor == "sqlite" else ops.adapt_datetimefield_value
    )
    return [
        (index, adapt_datetime)
        for index, item in enumerate(model_fields)
        if item.get_internal_type() == "DateTimeField"
    ] + [
        (index, ops.adapt_datefield_value)
        for index, item in enumerate(model_fields)
        if item.get_internal_type() == "DateField"
    ]
