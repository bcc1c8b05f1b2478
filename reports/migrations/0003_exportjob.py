"""Export jobs: files written by a Celery worker while the page shows their progress."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_rollupdirty_procedure_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ExportJob",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("report_xlsx", "Form II.06a (XLSX)"),
                            ("report_docx", "Word report (DOCX)"),
                            ("dossiers_xlsx", "List of dossiers (XLSX)"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("parameters", models.JSONField(default=dict, verbose_name="parameters")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Running"),
                            ("done", "Done"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "progress",
                    models.PositiveSmallIntegerField(default=0, verbose_name="progress (%)"),
                ),
                ("message", models.CharField(blank=True, max_length=200, verbose_name="message")),
                ("filename", models.CharField(max_length=200, verbose_name="file name")),
                (
                    "file",
                    models.FileField(
                        blank=True, max_length=300, upload_to="exports/", verbose_name="file"
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="created at"
                    ),
                ),
                (
                    "started_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="started at"),
                ),
                (
                    "finished_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
            ],
            options={
                "verbose_name": "export job",
                "verbose_name_plural": "export jobs",
                "ordering": ["-created_at"],
                "indexes": [
                    models.Index(
                        fields=["requested_by", "-created_at"], name="export_job_owner_recent"
                    ),
                    models.Index(fields=["status", "created_at"], name="export_job_status_created"),
                ],
            },
        ),
    ]
