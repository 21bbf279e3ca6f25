"""Create the full-text index for the database in use (FTS5 table or tsvector table + GIN)."""

from django.db import migrations


def create_index(apps, schema_editor):
    from tickerwire.search.backends import backend_for

    backend_for(schema_editor.connection).create_schema(schema_editor)


def drop_index(apps, schema_editor):
    from tickerwire.search.backends import backend_for

    backend_for(schema_editor.connection).drop_schema(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_sections")]
    operations = [migrations.RunPython(create_index, drop_index)]
