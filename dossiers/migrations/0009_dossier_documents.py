"""The dossier's checklist of papers handed in (Mẫu 01 prints it).

Its reference to the dossier is declared without a database constraint and made here by hand:
a plain foreign key on a plain table, the pair of triggers of
``dossiers.partitioning.reference_sql`` on a partitioned one (docs/partitioning.md). On
PostgreSQL the rows are append-only in the database too, like the events.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "dossiers_dossierdocument"
CONSTRAINT = "dossiers_dossierdocument_dossier_id_fk"
APPEND_ONLY = f"""
CREATE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'dossier documents are append-only (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {TABLE}_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
"""


def reference_create(apps, schema_editor) -> None:
    from dossiers.partitioning import dossier_reference_add

    dossier_reference_add(schema_editor, table=TABLE, constraint=CONSTRAINT)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY)


def reference_drop(apps, schema_editor) -> None:
    from dossiers.partitioning import dossier_reference_drop

    dossier_reference_drop(schema_editor, constraint=CONSTRAINT)
    # Dropping the table (the reverse of CreateModel) takes its triggers along; the functions
    # of the triggers stay unless dropped here.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {TABLE}_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0008_ended_unit"),
    ]

    operations = [
        migrations.CreateModel(
            name="DossierDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("name", models.CharField(max_length=500, verbose_name="name")),
                (
                    "originals",
                    models.PositiveSmallIntegerField(default=0, verbose_name="originals"),
                ),
                (
                    "certified_copies",
                    models.PositiveSmallIntegerField(default=0, verbose_name="certified copies"),
                ),
                ("copies", models.PositiveSmallIntegerField(default=0, verbose_name="copies")),
                (
                    "dossier",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="dossiers.dossier",
                        verbose_name="dossier",
                    ),
                ),
                (
                    "supplement_request",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="dossiers.supplementrequest",
                        verbose_name="supplement request",
                    ),
                ),
            ],
            options={
                "verbose_name": "document received",
                "verbose_name_plural": "documents received",
                "ordering": ["dossier", "position", "id"],
                "indexes": [
                    models.Index(fields=["dossier", "position"], name="dossier_document_order")
                ],
            },
        ),
        migrations.RunPython(reference_create, reference_drop),
    ]
