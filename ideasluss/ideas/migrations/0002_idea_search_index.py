"""A GIN index for full-text search of ideas, on PostgreSQL only.

The indexed expression is exactly what `ideasluss.ideas.search.idea_search_vector()`
compiles to, i.e. Django's

    SearchVector("title", "problem", "target_group", "description", config="swedish")

PostgreSQL only uses an expression index when a query's expression is the same, so
if either side changes, change the other (tests/ideas/test_search.py checks with
EXPLAIN that searches use this index). SQLite has no such index: this is a no-op there.
The index is not declared in Idea.Meta.indexes because SQLite cannot build it.
"""

from django.db import migrations

INDEX_NAME = "idea_search_gin"

SEARCH_VECTOR = (
    "to_tsvector('swedish'::regconfig, "
    "COALESCE(\"title\", '') || ' ' || "
    "COALESCE(\"problem\", '') || ' ' || "
    "COALESCE(\"target_group\", '') || ' ' || "
    "COALESCE(\"description\", ''))"
)

CREATE_INDEX = (
    f'CREATE INDEX IF NOT EXISTS "{INDEX_NAME}" ON "ideas_idea" USING gin (({SEARCH_VECTOR}))'
)
DROP_INDEX = f'DROP INDEX IF EXISTS "{INDEX_NAME}"'


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index, elidable=False),
    ]
