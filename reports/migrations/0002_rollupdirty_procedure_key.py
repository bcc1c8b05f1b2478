"""Stale marks per (period, unit, procedure): a change of one dossier recomputes its cell only;
``Rollup.digitised_received`` and ``RollupRun.as_of``: longer periods derived from their months."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="rollup",
            name="digitised_received",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="rolluprun",
            name="as_of",
            field=models.DateField(blank=True, null=True, verbose_name="counted up to"),
        ),
        migrations.RemoveConstraint(model_name="rollupdirty", name="rollup_dirty_period_unit"),
        migrations.AddField(
            model_name="rollupdirty",
            name="procedure_key",
            field=models.PositiveIntegerField(default=0, verbose_name="procedure"),
        ),
        migrations.AddConstraint(
            model_name="rollupdirty",
            constraint=models.UniqueConstraint(
                fields=("period_key", "unit", "procedure_key"), name="rollup_dirty_period_cell"
            ),
        ),
    ]
