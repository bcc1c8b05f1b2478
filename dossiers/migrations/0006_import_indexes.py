"""Indexes the import path no longer writes (filled by the import work).

Every dossier and event written pays for each index of its table. These single-column foreign
key indexes duplicate the leading column of a composite index on the same table, which serves
every lookup by that column (the joins, the ``PROTECT`` checks, the selectors): receiving unit
(``dossier_unit_received``), handling unit (``dossier_handling_status``), the event's dossier
(``event_dossier_at``) and the code counter's unit (``dossier_code_counter_unique``).

Only the indexes are dropped, by the names Django gave them (the same on SQLite and
PostgreSQL): a plain ``AlterField`` would also drop and re-add each foreign key, and re-adding
one re-checks every row of its table (minutes at 10 M dossiers and their events).
"""

import django.db.models.deletion
from django.db import migrations, models

# (index, table, column) as created by 0001_initial.
INDEXES = (
    ("dossiers_dossier_handling_unit_id_09935d9b", "dossiers_dossier", "handling_unit_id"),
    ("dossiers_dossier_receiving_unit_id_0453b4b0", "dossiers_dossier", "receiving_unit_id"),
    (
        "dossiers_dossiercodecounter_unit_id_0ea8d7ce",
        "dossiers_dossiercodecounter",
        "unit_id",
    ),
    ("dossiers_event_dossier_id_f15f904a", "dossiers_event", "dossier_id"),
)


def _unindexed(to: str, related_name: str, verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to=to,
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0005_event_append_only_trigger"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {name}",
                    f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})",
                )
                for name, table, column in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="dossier",
                    name="handling_unit",
                    field=_unindexed("org.unit", "dossiers_handled", "handling unit"),
                ),
                migrations.AlterField(
                    model_name="dossier",
                    name="receiving_unit",
                    field=_unindexed("org.unit", "dossiers_received", "receiving unit"),
                ),
                migrations.AlterField(
                    model_name="dossiercodecounter",
                    name="unit",
                    field=_unindexed("org.unit", "+", "unit"),
                ),
                migrations.AlterField(
                    model_name="event",
                    name="dossier",
                    field=_unindexed("dossiers.dossier", "events", "dossier"),
                ),
            ],
        )
    ]
