"""The Swedish search's groundwork on PostgreSQL (a no-op on SQLite but for the table):

- `pg_trgm`, for the trigram index that finds words similar to a misspelt one;
- the text search configuration `swedish_compound` (ideasluss/search/configuration.py):
  the Swedish Hunspell dictionary chained before the Snowball stemmer, or, when the
  dictionary files are not installed, a plain copy of `swedish`; the migration then says
  so and carries on (run `manage.py search_configuration` after installing hunspell-sv);
- the vocabulary `search_word` with a trigram index on its words.
"""

import sys

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from ideasluss.search.configuration import create_configuration, drop_configuration

TRIGRAM_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_word_trigram ON search_word USING gin (word gin_trgm_ops)"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    if not create_configuration(schema_editor.connection):
        sys.stderr.write(
            "\n  The Swedish Hunspell dictionary (sv_se.affix, sv_se.dict in PostgreSQL's "
            "tsearch_data) is missing:\n  search uses stemming only. Install hunspell-sv, "
            "run pg_updatedicts, then manage.py search_configuration.\n"
        )
    schema_editor.execute(TRIGRAM_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_word_trigram")
        drop_configuration(schema_editor.connection)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[("ideas", "ideas"), ("pages", "pages")], max_length=10
                    ),
                ),
                ("word", models.TextField()),
                ("documents", models.IntegerField(default=0)),
            ],
            options={
                "db_table": "search_word",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source", "word"), name="search_word_unique"
                    )
                ],
            },
        ),
        TrigramExtension(),
        migrations.RunPython(create, drop, elidable=False),
    ]
