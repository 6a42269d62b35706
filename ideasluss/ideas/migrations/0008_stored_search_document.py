"""The ideas' full-text document stored beside the text (PostgreSQL), with its GIN index.

Migration 0006 indexed the expression `idea_search_document(…)`. A search that finds
many ideas (a common word) then had to compute the vector again for every match while
checking it, about 0.1 ms each: 60,000 matches took half a second before the first page
was shown. Stored in a generated column, the vector is computed once when the text
changes, the GIN index is built on the column, and checking a row costs microseconds,
so the idea bank can walk the newest ideas and test each (docs/search.md). SQLite stores
NULL (it searches the text itself).

Adding the column computes it for every idea while the table is locked: about 10 s at
100,000 ideas on modest hardware (docs/deploy.md, "Upgrades without downtime").
"""

import django.contrib.postgres.search
from django.db import migrations, models

import ideasluss.ideas.models

OLD_INDEX = "idea_search_compound_gin"
INDEX = "idea_search_document_gin"
OLD_INDEX_SQL = (
    f'CREATE INDEX IF NOT EXISTS "{OLD_INDEX}" ON "ideas_idea" USING gin '
    '((idea_search_document("title", "problem", "target_group", "description")))'
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "ideas_idea" USING gin ("search_document")'
    )
    schema_editor.execute(f'DROP INDEX IF EXISTS "{OLD_INDEX}"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(OLD_INDEX_SQL)
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("ideas", "0007_text_lengths_of_the_input_policy")]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=ideasluss.ideas.models.IdeaSearchDocument(),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True),
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
