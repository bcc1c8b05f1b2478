"""Indexes for the desk's work queues and search (DESIGN §5: p95 ≤ 150 ms at 10 M dossiers).

The queue page (``dossiers.queues``) lists a page of one queue in list order and counts every
queue only up to a cap. Each index below lets one of those reads stop early instead of reading
every dossier a desk sees (≈ 3 M for the provincial centre at 10 M dossiers):

- ``dossier_received_order``: the "all" tab and search results, newest first, and their
  keyset pages ("received_at, id" below a cursor).
- ``dossier_ready_order``: the "ready to return" tab and its count; finished but not returned
  dossiers are a few percent of the table. The units are included so that the count and the
  visibility test are answered from the index alone.
- ``dossier_open_status_due`` / ``dossier_running_due``: the open tabs (new, processing,
  supplement; due soon, overdue) in due-date order, and their counts; open dossiers are few.
- Search (``dossier_search``): Django writes ``code__istartswith`` as
  ``UPPER(code::text) LIKE UPPER('…%')`` (a prefix: a btree with pattern ops),
  ``applicant_name__icontains`` as ``UPPER(applicant_name::text) LIKE UPPER('%…%')`` and
  ``applicant_phone__contains`` as ``applicant_phone::text LIKE '%…%'`` (trigram GIN indexes,
  pg_trgm), and the ID number as an equality (a btree).

PostgreSQL only (INCLUDE, GIN, operator classes); SQLite, used for development and tests, has
no use for them. Not declared on the model: the migration state does not change.
"""

from django.db import migrations

OPEN = "('received', 'processing', 'supplement_requested')"
RUNNING = "('received', 'processing')"
UNITS = "INCLUDE (receiving_unit_id, handling_unit_id)"

INDEXES = {
    "dossier_received_order": "(received_at, id)",
    "dossier_ready_order": f"(received_at, id) {UNITS} WHERE status = 'finished'",
    "dossier_open_status_due": f"(status, due_at, id) {UNITS} WHERE status IN {OPEN}",
    "dossier_running_due": f"(due_at, id) {UNITS} WHERE status IN {RUNNING}",
    "dossier_code_upper_prefix": "(UPPER(code::text) text_pattern_ops)",
    "dossier_applicant_name_trgm": "USING gin (UPPER(applicant_name::text) gin_trgm_ops)",
    "dossier_applicant_phone_trgm": "USING gin (applicant_phone gin_trgm_ops)",
    "dossier_applicant_id_number": "(applicant_id_number)",
}


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON dossiers_dossier {definition}")
    # Statistics of the indexed expressions (upper(code), upper(applicant_name)): without them
    # the planner guesses 50,000 matches for a code prefix, walks the "all" order index for
    # the first page and reads the whole table (10 M dossiers: 6 s for a phone number, 50 ms
    # after ANALYZE). A sample of the table, about a second at 10 M.
    schema_editor.execute("ANALYZE dossiers_dossier")


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    # The extension stays: other objects may have come to depend on it.


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0006_import_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
