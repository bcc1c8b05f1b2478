"""Partial indexes for the desk's running queues (overdue, due soon): open dossiers only.

The queues select ``status IN ('received', 'processing')`` of the units a user sees (received
there or handled there) in due-date order; these indexes hold only those dossiers (a few percent
of the table), so the overdue and due-soon tabs read the same small set at 1 M or 10 M
dossiers. The predicate is the queue's own condition, so PostgreSQL and SQLite both use them.
Plain SQL, not declared on the model (the model's Meta belongs to the dossiers app's owner).
"""

from django.db import migrations

RUNNING = "status IN ('received', 'processing')"
INDEXES = {
    "dossier_running_handling_due": f"(handling_unit_id, due_at) WHERE {RUNNING}",
    "dossier_running_receiving_due": f"(receiving_unit_id, due_at) WHERE {RUNNING}",
}


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0003_dossier_cell_index"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON dossiers_dossier {definition}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES.items()
    ]
