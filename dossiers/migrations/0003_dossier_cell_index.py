"""An index on (receiving unit, procedure version, received date) for the rollup cells.

A change of one dossier recomputes only its rollup cell (receiving unit × procedure, see
``reports.services``): this index finds the cell's dossiers without reading the rest of the
unit. Plain SQL that SQLite and PostgreSQL both accept; it is not declared on the model (the
model's Meta belongs to the dossiers app's owner), so ``makemigrations`` does not see it.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS dossier_unit_version_received "
    "ON dossiers_dossier (receiving_unit_id, procedure_version_id, received_date)"
)
DROP = "DROP INDEX IF EXISTS dossier_unit_version_received"


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_dossier_due_finished_dates"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP, elidable=False)]
