"""`idea_search_document` finds the `swedish_compound` configuration wherever it runs.

The function computes the stored column `search_document` (0008; before it, the GIN
index `idea_search_compound_gin`) and named the configuration without a schema, so it
depended on the caller's `search_path`. `pg_restore` runs with an empty one (as pg_dump
writes it), and restoring a backup failed there: `text search configuration
"swedish_compound" does not exist`.
The function now carries the search path it was created with, and a `pg_dump -Fc`
backup restores (docs/deploy.md, "Backups and restore"; tests/deploy/test_backup_restore.py).
"""

from django.db import migrations

FUNCTION = "idea_search_document(text, text, text, text)"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER FUNCTION {FUNCTION} SET search_path FROM CURRENT")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER FUNCTION {FUNCTION} RESET search_path")


class Migration(migrations.Migration):

    dependencies = [
        ("ideas", "0008_stored_search_document"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
