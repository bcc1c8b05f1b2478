"""Opt-in partitioning of the dossiers by year of receipt (PostgreSQL only, docs/partitioning.md).

``dossiers_dossier`` becomes a table partitioned by ``RANGE (received_date)`` with one partition
per calendar year (``dossiers_dossier_y2024`` holds 2024-01-01 ≤ received_date < 2025-01-01)
and a default partition (``dossiers_dossier_default``) that takes any year nobody created yet,
so an intake on 1 January never fails. The ORM keeps working unchanged: same table name, same
columns, same model state.

PostgreSQL requires the partition key in every unique constraint of a partitioned table, so:

- the primary key becomes ``(id, received_date)``; ``id`` stays unique because it comes from
  the table's one identity sequence;
- ``code`` is unique per ``(code, received_date)`` natively, and across years through a
  narrow plain table ``dossiers_dossier_codes`` (code primary key) that a trigger keeps, so
  ``unique=True`` keeps its meaning (SQLSTATE 23505 → Django's ``IntegrityError``) even for
  imported codes whose date part is not their date of receipt;
- a foreign key needs a unique ``id`` on the referenced table, which no longer exists: each
  foreign key to the dossiers (events, supplement requests, apologies, …) is replaced by a pair
  of constraint triggers named like the foreign key that enforce the same rule (NO ACTION,
  deferrable as Django declares them): the child row must name an existing dossier, a dossier
  still referenced may not be deleted nor change its id.

The child tables are not partitioned and not rewritten (see docs/partitioning.md for why), so
the conversion costs one copy of the dossiers and its indexes, and the append-only trigger on
the events stays as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from .models import Dossier

TABLE = Dossier._meta.db_table
KEY = "received_date"
DEFAULT_PARTITION = f"{TABLE}_default"
# The copy is built under this name, then takes the table's name.
BUILD_TABLE = f"{TABLE}_partitioned"
# Every dossier's code once, across all partitions (see _code_unique_sql).
CODES_TABLE = f"{TABLE}_codes"
CODE_UNIQUE = "dossiers_dossier_code_unique"
CODE_LENGTH = Dossier._meta.get_field("code").max_length
# One change of the partitions at a time (conversion, a new year).
PARTITIONS_LOCK = f"{TABLE}.partitions"


class PartitioningError(Exception):
    """The conversion or a yearly partition cannot be done; the message says why."""


def partition_name(year: int) -> str:
    return f"{TABLE}_y{year}"


def _bounds(year: int) -> tuple[str, str]:
    return f"{year:04d}-01-01", f"{year + 1:04d}-01-01"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Reference:
    """A foreign key of another table to the dossiers, replaced by constraint triggers."""

    name: str
    table: str
    column: str
    deferrable: bool
    deferred: bool


@dataclass
class ConversionPlan:
    """What ``--apply`` does: the years it creates partitions for and every SQL statement."""

    years: list[int]
    rows_by_year: dict[int, int]
    references: list[Reference]
    statements: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.rows_by_year.values())


def _require_postgresql(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor != "postgresql":
        raise PartitioningError(
            f"Partitioning needs PostgreSQL; this database is {connection.vendor}. "
            "SQLite and ordinary deployments keep the plain tables."
        )


def _relkind(cursor, name: str) -> str | None:
    cursor.execute("SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass(%s)", [_quote(name)])
    row = cursor.fetchone()
    return row[0] if row else None


def is_partitioned(connection: BaseDatabaseWrapper = default_connection) -> bool:
    """Whether the dossiers table is already partitioned (False on any other database)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        return _relkind(cursor, TABLE) == "p"


def partitions_list(
    connection: BaseDatabaseWrapper = default_connection,
) -> list[tuple[str, str]]:
    """(partition name, bound expression) of every partition, in name order."""
    _require_postgresql(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s) "
            "ORDER BY c.relname",
            [_quote(TABLE)],
        )
        return [(name, bound) for name, bound in cursor.fetchall()]


# --- the conversion -------------------------------------------------------------------------


def conversion_plan(
    *,
    connection: BaseDatabaseWrapper = default_connection,
    today: dt.date | None = None,
    lock_timeout: str = "10s",
) -> ConversionPlan:
    """Read the catalogue and build the conversion's SQL; changes nothing.

    Partitions: every year from the oldest received date to the next calendar year (no gap,
    so a late import of an old year finds its partition), plus the default partition.
    """
    _require_postgresql(connection)
    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        kind = _relkind(cursor, TABLE)
        if kind is None:
            raise PartitioningError(f"There is no table {TABLE}: run the migrations first.")
        if kind == "p":
            raise PartitioningError(
                f"{TABLE} is already partitioned; add a year with --add-year YYYY."
            )
        for leftover in (BUILD_TABLE, CODES_TABLE):
            if _relkind(cursor, leftover) is not None:
                raise PartitioningError(f"{leftover} exists (a failed run?): drop it first.")
        rows_by_year = _rows_by_year(cursor)
        first = min([*rows_by_year, today.year])
        last = max([*rows_by_year, today.year + 1])
        years = list(range(first, last + 1))
        columns = _columns(cursor)
        references = _references(cursor)
        plan = ConversionPlan(years=years, rows_by_year=rows_by_year, references=references)
        plan.statements = _conversion_sql(cursor, plan, columns, lock_timeout)
    return plan


def conversion_apply(
    plan: ConversionPlan, *, connection: BaseDatabaseWrapper = default_connection
) -> None:
    """Run ``plan`` in one transaction: all of it or nothing."""
    _require_postgresql(connection)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # Checked again under the transaction, after any other run (or --add-year) ended.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [PARTITIONS_LOCK])
        if _relkind(cursor, TABLE) == "p":
            raise PartitioningError(f"{TABLE} is already partitioned.")
        for statement in plan.statements:
            cursor.execute(statement)


def _rows_by_year(cursor) -> dict[int, int]:
    cursor.execute(
        f"SELECT date_part('year', {KEY})::int, count(*) FROM {TABLE} GROUP BY 1 ORDER BY 1"
    )
    return {int(year): count for year, count in cursor.fetchall()}


def _columns(cursor) -> list[str]:
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        [_quote(TABLE)],
    )
    return [name for (name,) in cursor.fetchall()]


def _references(cursor) -> list[Reference]:
    cursor.execute(
        "SELECT con.conname, con.conrelid::regclass::text, att.attname, con.condeferrable, "
        "con.condeferred, con.confdeltype, con.confupdtype, array_length(con.conkey, 1) "
        "FROM pg_constraint con JOIN pg_attribute att "
        "ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1] "
        "WHERE con.contype = 'f' AND con.confrelid = to_regclass(%s) ORDER BY 2, 1",
        [_quote(TABLE)],
    )
    references = []
    for name, table, column, deferrable, deferred, on_delete, on_update, width in cursor:
        if width != 1 or on_delete != "a" or on_update != "a":
            # Django declares single-column NO ACTION foreign keys; anything else was added by
            # hand and needs a hand-made replacement.
            raise PartitioningError(
                f"Foreign key {name} on {table} is not a single-column NO ACTION key: "
                "replace it by hand before converting."
            )
        references.append(Reference(name, table.strip('"'), column, deferrable, deferred))
    return references


@dataclass
class _TableFacts:
    """What the conversion must carry over from the old table, read from the catalogue."""

    sequence: str
    identity: bool
    constraint_rows: list[tuple]
    index_rows: list[tuple]
    trigger_definitions: list[str]
    owner: str
    current_user: str
    grants: list[tuple]


def _conversion_sql(
    cursor, plan: ConversionPlan, columns: list[str], lock_timeout: str
) -> list[str]:
    facts = _table_facts(cursor)
    return [
        *_copy_sql(plan, columns, lock_timeout),
        *_swap_sql(plan, facts),
        *_restore_sql(plan, facts),
    ]


def _table_facts(cursor) -> _TableFacts:
    cursor.execute(
        "SELECT pg_get_serial_sequence(%s, 'id'), attidentity <> '' FROM pg_attribute "
        "WHERE attrelid = to_regclass(%s) AND attname = 'id'",
        [_quote(TABLE), _quote(TABLE)],
    )
    sequence, identity = cursor.fetchone()
    if not sequence:
        raise PartitioningError(f"{TABLE}.id has no sequence: its ids cannot stay unique.")
    constraint_rows, index_rows = _constraints_and_indexes(cursor)
    cursor.execute(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
        "AND NOT tgisinternal ORDER BY tgname",
        [_quote(TABLE)],
    )
    trigger_definitions = [definition for (definition,) in cursor.fetchall()]
    cursor.execute(
        "SELECT pg_get_userbyid(relowner), current_user FROM pg_class WHERE oid = to_regclass(%s)",
        [_quote(TABLE)],
    )
    owner, current_user = cursor.fetchone()
    cursor.execute(
        "SELECT grantee, string_agg(privilege_type, ', ') "
        "FROM information_schema.role_table_grants WHERE table_name = %s "
        "AND table_schema = current_schema() AND grantee <> %s GROUP BY 1",
        [TABLE, owner],
    )
    return _TableFacts(
        sequence=sequence,
        identity=identity,
        constraint_rows=constraint_rows,
        index_rows=index_rows,
        trigger_definitions=trigger_definitions,
        owner=owner,
        current_user=current_user,
        grants=cursor.fetchall(),
    )


def _constraints_and_indexes(cursor) -> tuple[list[tuple], list[tuple]]:
    # Unique constraints and the primary key get the partition key; other constraints (foreign
    # keys of the dossiers to units and procedure versions) are recreated as they were.
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid), conindid, condeferrable, "
        "condeferred, ARRAY(SELECT attname FROM unnest(conkey) k JOIN pg_attribute a "
        "ON a.attrelid = conrelid AND a.attnum = k ORDER BY array_position(conkey, k)) "
        "FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype IN ('p', 'u', 'f') "
        "ORDER BY contype DESC, conname",
        [_quote(TABLE)],
    )
    constraint_rows = cursor.fetchall()
    constraint_indexes = {row[3] for row in constraint_rows if row[1] in "pu"}
    cursor.execute(
        "SELECT i.indexrelid, c.relname, i.indisunique, pg_get_indexdef(i.indexrelid) "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = to_regclass(%s) ORDER BY c.relname",
        [_quote(TABLE)],
    )
    index_rows = [row for row in cursor.fetchall() if row[0] not in constraint_indexes]
    for _oid, name, unique, _definition in index_rows:
        if unique:
            raise PartitioningError(
                f"Unique index {name} is not a constraint: it cannot be converted "
                "automatically (a partitioned table's unique index must include received_date)."
            )
    return constraint_rows, index_rows


def _copy_sql(plan: ConversionPlan, columns: list[str], lock_timeout: str) -> list[str]:
    """Lock, build the partitioned copy and fill it."""
    children = sorted({reference.table for reference in plan.references})
    column_list = ", ".join(_quote(column) for column in columns)
    statements = [
        # Deferred checks of earlier work in this transaction run now: a table with pending
        # trigger events cannot be altered.
        "SET CONSTRAINTS ALL IMMEDIATE",
        f"SET LOCAL lock_timeout = '{lock_timeout}'",
        "SET LOCAL statement_timeout = 0",
        f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE",
    ]
    if children:
        # Writes to the children wait: none may name a dossier while the foreign keys change.
        statements.append(f"LOCK TABLE {', '.join(children)} IN SHARE ROW EXCLUSIVE MODE")
    statements.append(
        f"CREATE TABLE {BUILD_TABLE} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        f"INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ({KEY})"
    )
    for year in plan.years:
        start, end = _bounds(year)
        statements.append(
            f"CREATE TABLE {partition_name(year)} PARTITION OF {BUILD_TABLE} "
            f"FOR VALUES FROM ('{start}') TO ('{end}')"
        )
    statements.append(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {BUILD_TABLE} DEFAULT")
    statements.append(
        f"INSERT INTO {BUILD_TABLE} ({column_list}) SELECT {column_list} FROM {TABLE}"
    )
    return statements


def _swap_sql(plan: ConversionPlan, facts: _TableFacts) -> list[str]:
    """Carry the id sequence over, drop the old table and give the copy its name."""
    sequence = facts.sequence
    statements = []
    if facts.identity:
        # The copy's own identity sequence goes on from the old one, read under the lock (an
        # intake may have come between --plan and --apply).
        statements.append(
            f"SELECT setval(pg_get_serial_sequence('{BUILD_TABLE}', 'id'), GREATEST("
            f"(SELECT last_value FROM {sequence}), (SELECT max(id) FROM {TABLE}), 1))"
        )
    else:
        # A serial column (a database from before Django 4.1): the copy's default already
        # reads the same sequence, which must outlive the old table.
        statements.append(f"ALTER SEQUENCE {sequence} OWNED BY NONE")
    for reference in plan.references:
        statements.append(f"ALTER TABLE {reference.table} DROP CONSTRAINT {_quote(reference.name)}")
    statements += [f"DROP TABLE {TABLE}", f"ALTER TABLE {BUILD_TABLE} RENAME TO {TABLE}"]
    if facts.identity:
        # The old name back (dumps and operators know it), whatever PostgreSQL named the copy's.
        statements.append(
            "DO $$ BEGIN EXECUTE 'ALTER SEQUENCE ' || "
            f"pg_get_serial_sequence('{TABLE}', 'id') || ' RENAME TO {sequence.split('.')[-1]}'; "
            "END $$"
        )
    else:
        statements.append(f"ALTER SEQUENCE {sequence} OWNED BY {TABLE}.id")
    return statements


def _restore_sql(plan: ConversionPlan, facts: _TableFacts) -> list[str]:
    """Constraints, indexes, triggers, references, owner and grants as the old table had them."""
    statements = []
    for name, kind, definition, _index, deferrable, deferred, keys in facts.constraint_rows:
        if kind == "f":
            statements.append(f"ALTER TABLE {TABLE} ADD CONSTRAINT {_quote(name)} {definition}")
            continue
        keys = [*keys, KEY] if KEY not in keys else keys
        word = "PRIMARY KEY" if kind == "p" else "UNIQUE"
        timing = _timing(deferrable, deferred)
        statements.append(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {_quote(name)} "
            f"{word} ({', '.join(_quote(key) for key in keys)}){timing}"
        )
    statements += [definition for _oid, _name, _unique, definition in facts.index_rows]
    statements += facts.trigger_definitions
    statements += _code_unique_sql()
    for reference in plan.references:
        statements += reference_sql(reference)
    owner = facts.owner
    if owner != facts.current_user:
        statements.append(f"ALTER TABLE {TABLE} OWNER TO {_quote(owner)}")
        statements += [
            f"ALTER TABLE {partition_name(year)} OWNER TO {_quote(owner)}" for year in plan.years
        ]
        statements.append(f"ALTER TABLE {DEFAULT_PARTITION} OWNER TO {_quote(owner)}")
        statements.append(f"ALTER TABLE {CODES_TABLE} OWNER TO {_quote(owner)}")
    for grantee, privileges in facts.grants:
        role = "PUBLIC" if grantee == "PUBLIC" else _quote(grantee)
        # The codes table is written by the trigger, as the user writing the dossiers.
        statements.append(f"GRANT {privileges} ON {TABLE}, {CODES_TABLE} TO {role}")
    statements += [f"ANALYZE {TABLE}, {CODES_TABLE}", "SET CONSTRAINTS ALL DEFERRED"]
    return statements


def _timing(deferrable: bool, deferred: bool) -> str:
    if not deferrable:
        return ""
    return " DEFERRABLE INITIALLY DEFERRED" if deferred else " DEFERRABLE"


def _code_unique_sql() -> list[str]:
    """``code`` unique across all years. The native constraint covers one year (it must hold
    the partition key); a narrow plain table of every code with a primary key covers them all,
    kept by triggers. A unique index, not a lookup: a second transaction inserting the same
    code waits for the first and then fails, and a bulk import takes no lock per row.

    Inserts and deletes are statement triggers over the transition table (one set-based
    statement per import chunk, not one per row); a cross-partition move is an UPDATE, which
    only a change of code or id concerns. Write through ``dossiers_dossier``, never into a
    partition directly: statement triggers fire on the table named in the statement.
    """
    fill = f"INSERT INTO {CODES_TABLE} (code, dossier_id) SELECT code, id FROM"
    return [
        f"CREATE TABLE {CODES_TABLE} (code varchar({CODE_LENGTH}) NOT NULL, "
        "dossier_id bigint NOT NULL)",
        f"{fill} {TABLE}",
        # Built after the fill: one sort instead of a million index insertions.
        f"ALTER TABLE {CODES_TABLE} ADD CONSTRAINT {CODE_UNIQUE} PRIMARY KEY (code)",
        f"""CREATE OR REPLACE FUNCTION {CODE_UNIQUE}_insert() RETURNS trigger AS $$
BEGIN
    {fill} inserted;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql""",
        f"CREATE TRIGGER {CODE_UNIQUE}_insert AFTER INSERT ON {TABLE} "
        "REFERENCING NEW TABLE AS inserted "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {CODE_UNIQUE}_insert()",
        f"""CREATE OR REPLACE FUNCTION {CODE_UNIQUE}_delete() RETURNS trigger AS $$
BEGIN
    DELETE FROM {CODES_TABLE} c USING deleted d WHERE c.code = d.code AND c.dossier_id = d.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql""",
        f"CREATE TRIGGER {CODE_UNIQUE}_delete AFTER DELETE ON {TABLE} "
        "REFERENCING OLD TABLE AS deleted "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {CODE_UNIQUE}_delete()",
        f"""CREATE OR REPLACE FUNCTION {CODE_UNIQUE}_update() RETURNS trigger AS $$
BEGIN
    IF NEW.code IS DISTINCT FROM OLD.code OR NEW.id IS DISTINCT FROM OLD.id THEN
        DELETE FROM {CODES_TABLE} WHERE code = OLD.code AND dossier_id = OLD.id;
        INSERT INTO {CODES_TABLE} (code, dossier_id) VALUES (NEW.code, NEW.id);
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql""",
        f"CREATE TRIGGER {CODE_UNIQUE}_update BEFORE UPDATE OF code, id ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {CODE_UNIQUE}_update()",
        f"""CREATE OR REPLACE FUNCTION {CODE_UNIQUE}_truncate() RETURNS trigger AS $$
BEGIN
    TRUNCATE {CODES_TABLE};
    RETURN NULL;
END;
$$ LANGUAGE plpgsql""",
        f"CREATE TRIGGER {CODE_UNIQUE}_truncate AFTER TRUNCATE ON {TABLE} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {CODE_UNIQUE}_truncate()",
    ]


def reference_sql(reference: Reference) -> list[str]:
    """The two halves of a foreign key from ``reference.table`` to the dossiers; also for a
    later model's foreign key to ``Dossier`` (declared with ``db_constraint=False``) on a
    partitioned database."""
    child, column = reference.table, _quote(reference.column)
    check = f"{child}_{reference.column}_ref_check"[:63]
    protect = f"{child}_{reference.column}_ref_protect"[:63]
    timing = _timing(reference.deferrable, reference.deferred) or " NOT DEFERRABLE"
    return [
        # The child names an existing dossier; FOR KEY SHARE holds it until commit, as the
        # built-in foreign key does.
        f"""CREATE OR REPLACE FUNCTION {check}() RETURNS trigger AS $$
BEGIN
    IF NEW.{column} IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM {TABLE} WHERE id = NEW.{column} FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'foreign_key_violation',
            MESSAGE = '{child}.{reference.column} = ' || NEW.{column} || ': no such dossier',
            TABLE = '{child}',
            CONSTRAINT = '{reference.name}';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql""",
        f"CREATE CONSTRAINT TRIGGER {_quote(reference.name)} AFTER INSERT OR UPDATE OF {column} "
        f"ON {child}{timing} FOR EACH ROW EXECUTE FUNCTION {check}()",
        # A dossier still referenced keeps its id. A dossier moved to another year's partition
        # fires a delete on the old partition, but its id still exists: that is allowed.
        f"""CREATE OR REPLACE FUNCTION {protect}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM {TABLE} WHERE id = OLD.id) THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM {child} WHERE {column} = OLD.id) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'foreign_key_violation',
            MESSAGE = 'dossier ' || OLD.id
                || ' is still referenced from {child}.{reference.column}',
            TABLE = '{TABLE}',
            CONSTRAINT = '{reference.name}';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql""",
        f"CREATE CONSTRAINT TRIGGER {_quote(reference.name)} AFTER DELETE OR UPDATE OF id "
        f"ON {TABLE}{timing} FOR EACH ROW EXECUTE FUNCTION {protect}()",
    ]


def dossier_reference_add(schema_editor, *, table: str, constraint: str) -> None:
    """For a migration: make the reference of ``table.dossier_id`` to the dossiers (declared
    with ``db_constraint=False``), deferred: a plain foreign key on a plain database, the
    triggers of :func:`reference_sql` on a partitioned one; nothing on SQLite (no constraint
    added after the table)."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    if is_partitioned(connection):
        reference = Reference(
            name=constraint, table=table, column="dossier_id", deferrable=True, deferred=True
        )
        for statement in reference_sql(reference):
            schema_editor.execute(statement)
    else:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {constraint} FOREIGN KEY (dossier_id) "
            f"REFERENCES {TABLE} (id) DEFERRABLE INITIALLY DEFERRED"
        )


def dossier_reference_drop(schema_editor, *, constraint: str) -> None:
    """The reverse of :func:`dossier_reference_add` before its table is dropped (which takes
    its own constraint and triggers along): the protecting half on the dossiers."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_quote(constraint)} ON {TABLE}")


# --- the yearly partition -------------------------------------------------------------------


def partition_year_add(year: int, *, connection: BaseDatabaseWrapper = default_connection) -> bool:
    """Create the partition of ``year``; False when it exists already (idempotent).

    Dossiers of that year already in the default partition (nobody created the year in time)
    move into the new partition in the same transaction.
    """
    _require_postgresql(connection)
    if not 1900 <= year <= 9998:
        raise PartitioningError(f"{year} is not a plausible year of receipt.")
    name = partition_name(year)
    start, end = _bounds(year)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if _relkind(cursor, TABLE) != "p":
            raise PartitioningError(f"{TABLE} is not partitioned: convert it first with --apply.")
        # One yearly job at a time; a second one waits, then finds the partition there.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [PARTITIONS_LOCK])
        if _relkind(cursor, name) is not None:
            return False
        cursor.execute(
            f"SELECT count(*) FROM {DEFAULT_PARTITION} WHERE {KEY} >= %s AND {KEY} < %s",
            [start, end],
        )
        stranded = cursor.fetchone()[0]
        if not stranded:
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM ('{start}') TO ('{end}')"
            )
            return True
        # PostgreSQL refuses a new partition while the default holds its rows: move them into
        # a standalone table first. Deleting them from the default fires the deferred
        # reference checks, which pass at commit: the ids exist again in the new partition.
        # The codes table does not change: its statement triggers fire only for statements on
        # dossiers_dossier itself.
        bound = f"{name}_bound"
        for statement in (
            # No intake of that year may land in the default meanwhile; the other years'
            # partitions stay writable.
            f"LOCK TABLE {DEFAULT_PARTITION} IN ACCESS EXCLUSIVE MODE",
            f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
            "INCLUDING STORAGE)",
            f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE {KEY} >= '{start}' "
            f"AND {KEY} < '{end}' RETURNING *) INSERT INTO {name} SELECT * FROM moved",
            # With this check ATTACH trusts the rows instead of scanning them.
            f"ALTER TABLE {name} ADD CONSTRAINT {bound} "
            f"CHECK ({KEY} IS NOT NULL AND {KEY} >= '{start}' AND {KEY} < '{end}')",
            f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM ('{start}') TO ('{end}')",
            f"ALTER TABLE {name} DROP CONSTRAINT {bound}",
        ):
            cursor.execute(statement)
        return True


def partition_years_ensure(
    *, today: dt.date | None = None, connection: BaseDatabaseWrapper = default_connection
) -> list[int]:
    """The yearly routine: this year's and next year's partitions exist. Does nothing on a
    database that is not partitioned. Returns the years created."""
    if not is_partitioned(connection):
        return []
    today = today or timezone.localdate()
    return [
        year
        for year in (today.year, today.year + 1)
        if partition_year_add(year, connection=connection)
    ]
