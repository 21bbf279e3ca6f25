"""Drop the foreign key from PostgreSQL's search_document (see PostgresBackend for why)."""

from django.db import migrations


def drop_foreign_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_document DROP CONSTRAINT IF EXISTS search_document_article_id_fkey")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]
    operations = [migrations.RunPython(drop_foreign_key, migrations.RunPython.noop)]
