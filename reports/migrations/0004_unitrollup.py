"""Unit totals of the rollups (period × receiving unit), filled from the existing cells.

The fill is one ``INSERT … SELECT … SUM … GROUP BY`` in the database (portable SQL: SQLite and
PostgreSQL), so existing deployments and benchmark databases get the table without a rebuild.
From then on reports.services writes it with the cells, in the same transaction.
"""

import django.db.models.deletion
from django.db import migrations, models

COUNTERS = (
    "received_online",
    "received_direct",
    "received_postal",
    "received_in_period",
    "carried_over",
    "received_total",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress",
    "in_progress_within",
    "in_progress_overdue",
    "paused",
    "withdrawn",
    "refused",
    "digitised",
    "digitised_received",
)


def unit_rollups_fill(apps, schema_editor):
    quote = schema_editor.connection.ops.quote_name
    group = [quote(name) for name in ("period_key", "scheme", "kind", "year", "index", "unit_id")]
    names = [quote(name) for name in COUNTERS]
    schema_editor.execute(
        f"INSERT INTO {quote('reports_unitrollup')} "
        f"({', '.join([*group, *names, quote('computed_at')])}) "
        f"SELECT {', '.join(group)}, "
        + ", ".join(f"SUM({name})" for name in names)
        + f", MAX({quote('computed_at')}) FROM {quote('reports_rollup')} "
        f"GROUP BY {', '.join(group)}"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("reports", "0003_exportjob"),
    ]

    operations = [
        migrations.CreateModel(
            name="UnitRollup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period_key", models.CharField(max_length=40, verbose_name="period")),
                ("scheme", models.CharField(max_length=10, verbose_name="scheme")),
                ("kind", models.CharField(max_length=10, verbose_name="kind")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("index", models.PositiveSmallIntegerField(verbose_name="index")),
                ("received_online", models.PositiveIntegerField(default=0)),
                ("received_direct", models.PositiveIntegerField(default=0)),
                ("received_postal", models.PositiveIntegerField(default=0)),
                ("received_in_period", models.PositiveIntegerField(default=0)),
                ("carried_over", models.PositiveIntegerField(default=0)),
                ("received_total", models.PositiveIntegerField(default=0)),
                ("resolved", models.PositiveIntegerField(default=0)),
                ("resolved_early", models.PositiveIntegerField(default=0)),
                ("resolved_on_time", models.PositiveIntegerField(default=0)),
                ("resolved_late", models.PositiveIntegerField(default=0)),
                ("in_progress", models.PositiveIntegerField(default=0)),
                ("in_progress_within", models.PositiveIntegerField(default=0)),
                ("in_progress_overdue", models.PositiveIntegerField(default=0)),
                ("paused", models.PositiveIntegerField(default=0)),
                ("withdrawn", models.PositiveIntegerField(default=0)),
                ("refused", models.PositiveIntegerField(default=0)),
                ("digitised", models.PositiveIntegerField(default=0)),
                ("digitised_received", models.PositiveIntegerField(default=0)),
                ("computed_at", models.DateTimeField(verbose_name="computed at")),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.unit",
                        verbose_name="receiving unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "unit rollup",
                "verbose_name_plural": "unit rollups",
                "ordering": ["period_key", "unit"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("period_key", "unit"), name="unit_rollup_period_unit"
                    )
                ],
            },
        ),
        migrations.RunPython(unit_rollups_fill, migrations.RunPython.noop, elidable=True),
    ]
