"""On PostgreSQL, the database itself refuses to change or delete a dossier event: the
history of a dossier is evidence, like the audit trail (see audit/migrations/0002)."""

from django.db import migrations

CREATE = """
CREATE FUNCTION dossiers_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'dossier events are append-only (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER dossiers_event_append_only
    BEFORE UPDATE OR DELETE ON dossiers_event
    FOR EACH ROW EXECUTE FUNCTION dossiers_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS dossiers_event_append_only ON dossiers_event;
DROP FUNCTION IF EXISTS dossiers_event_append_only();
"""


def create_trigger(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_dossier_running_due_indexes")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
