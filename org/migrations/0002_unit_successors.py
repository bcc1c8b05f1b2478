"""A unit may have several successors (a commune split between two new communes)."""

from django.db import migrations, models


def successor_to_successors(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    Link = Unit.successors.through
    Link.objects.bulk_create(
        Link(from_unit_id=unit_id, to_unit_id=successor_id)
        for unit_id, successor_id in Unit.objects.filter(successor__isnull=False).values_list(
            "id", "successor_id"
        )
    )


def successors_to_successor(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    for link in Unit.successors.through.objects.order_by("to_unit_id"):
        Unit.objects.filter(pk=link.from_unit_id, successor__isnull=True).update(
            successor_id=link.to_unit_id
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="successors",
            field=models.ManyToManyField(
                blank=True,
                help_text="The units that took over after a merge, split or reorganisation.",
                related_name="+",
                to="org.unit",
                verbose_name="successors",
            ),
        ),
        migrations.RunPython(successor_to_successors, successors_to_successor),
        migrations.RemoveField(model_name="unit", name="successor"),
        migrations.AlterField(
            model_name="unit",
            name="successors",
            field=models.ManyToManyField(
                blank=True,
                help_text="The units that took over after a merge, split or reorganisation.",
                related_name="predecessors",
                to="org.unit",
                verbose_name="successors",
            ),
        ),
    ]
