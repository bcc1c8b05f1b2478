"""The applicant's notices, one per notified step, owed until sent (the catch-up job re-sends
those a broker outage left behind).

Their reference to the dossier is declared without a database constraint and made here by hand,
as in 0009: a plain foreign key on a plain table, the pair of triggers of
``dossiers.partitioning.reference_sql`` on a partitioned one (docs/partitioning.md).
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

TABLE = "dossiers_applicantnotice"
CONSTRAINT = "dossiers_applicantnotice_dossier_id_fk"


def reference_create(apps, schema_editor) -> None:
    from dossiers.partitioning import dossier_reference_add

    dossier_reference_add(schema_editor, table=TABLE, constraint=CONSTRAINT)


def reference_drop(apps, schema_editor) -> None:
    from dossiers.partitioning import dossier_reference_drop

    dossier_reference_drop(schema_editor, constraint=CONSTRAINT)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0009_dossier_documents"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApplicantNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("received", "Received"),
                            ("refused", "Refused at intake"),
                            ("transferred", "Transferred"),
                            ("supplement_requested", "Supplement requested"),
                            ("supplement_completed", "Supplement completed"),
                            ("finished", "Result ready"),
                            ("returned", "Returned to the applicant"),
                            ("withdrawn", "Withdrawn"),
                            ("stopped", "Processing stopped"),
                            ("apology_issued", "Apology issued"),
                            ("imported", "Imported"),
                        ],
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="created at"
                    ),
                ),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                (
                    "given_up_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="given up at"),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
                (
                    "dossier",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applicant_notices",
                        to="dossiers.dossier",
                        verbose_name="dossier",
                    ),
                ),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applicant_notice",
                        to="dossiers.event",
                        verbose_name="event",
                    ),
                ),
            ],
            options={
                "verbose_name": "applicant notice",
                "verbose_name_plural": "applicant notices",
                "ordering": ["created_at", "id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(
                            ("given_up_at__isnull", True), ("sent_at__isnull", True)
                        ),
                        fields=["created_at"],
                        name="applicant_notice_pending",
                    )
                ],
            },
        ),
        migrations.RunPython(reference_create, reference_drop),
    ]
