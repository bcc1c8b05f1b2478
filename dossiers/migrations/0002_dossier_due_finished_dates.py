"""Derived local dates for the period statistics: ``due_date`` and ``finished_date``."""

from django.db import migrations, models
from django.utils import timezone

BATCH = 2000


def _local_date(moment):
    return timezone.localdate(moment, timezone=timezone.get_default_timezone())


def _finished_date(status, finished_at, returned_at):
    # Frozen copy of dossiers.models.finished_date_of as of this migration.
    if status in ("finished", "returned"):
        moments = [moment for moment in (finished_at, returned_at) if moment is not None]
        return _local_date(min(moments)) if moments else None
    if status in ("withdrawn", "stopped") and finished_at is not None:
        return _local_date(finished_at)
    return None


def fill_dates(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    batch = []
    rows = Dossier.objects.only("id", "status", "due_at", "finished_at", "returned_at")
    for dossier in rows.order_by("id").iterator(chunk_size=BATCH):
        dossier.due_date = _local_date(dossier.due_at)
        dossier.finished_date = _finished_date(
            dossier.status, dossier.finished_at, dossier.returned_at
        )
        batch.append(dossier)
        if len(batch) >= BATCH:
            Dossier.objects.bulk_update(batch, ["due_date", "finished_date"])
            batch = []
    if batch:
        Dossier.objects.bulk_update(batch, ["due_date", "finished_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="due_date",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="due date"),
        ),
        migrations.AddField(
            model_name="dossier",
            name="finished_date",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="finished date"
            ),
        ),
        migrations.RunPython(fill_dates, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="dossier",
            name="due_date",
            field=models.DateField(blank=True, editable=False, verbose_name="due date"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["finished_date", "received_date"], name="dossier_finished_received"
            ),
        ),
    ]
