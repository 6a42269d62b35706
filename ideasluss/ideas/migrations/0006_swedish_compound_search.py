"""Search of ideas with compounds: the GIN index on the `swedish_compound` configuration,
and the vocabulary of the ideas' words kept up to date by triggers (PostgreSQL only).

The index replaces migration 0002's `idea_search_gin` (on `swedish`). It is built on the
function `idea_search_document(title, problem, target_group, description)`, which is
`to_tsvector('swedish_compound', <the four fields joined by spaces>)` declared with its
real cost: with the Hunspell dictionary a vector takes about 0.1 ms to compute, a
hundred times PostgreSQL's default guess, and with the guess the planner would rather
test every row's text than use the index. Exactly this call is what
`ideasluss.ideas.search.idea_search_vector()` compiles to, and PostgreSQL only uses an
expression index when a query's expression is the same: if either side changes, change
the other (tests/ideas/test_search.py and test_search_corpus.py check with EXPLAIN).

The triggers keep `search_word` (source "ideas") counting, for every lexeme, the ideas
outside drafts that contain it; the empty word counts those ideas. They run once per
statement (transition tables), so a bulk insert costs one upsert, and an update that
changes neither the text nor whether the idea is a draft touches no word.
`idea_search_words_rebuild()` recounts from scratch (`manage.py search_configuration`).
The configuration's Hunspell dictionary is loaded by the first statement of a connection
that computes a vector: about 0.35 s (docs/search.md).
"""

from django.db import migrations

OLD_INDEX = "idea_search_gin"
INDEX_NAME = "idea_search_compound_gin"


def vector(config: str, row: str = "") -> str:
    prefix = f"{row}." if row else ""
    return (
        f"to_tsvector('{config}'::regconfig, "
        f"COALESCE({prefix}\"title\", '') || ' ' || "
        f"COALESCE({prefix}\"problem\", '') || ' ' || "
        f"COALESCE({prefix}\"target_group\", '') || ' ' || "
        f"COALESCE({prefix}\"description\", ''))"
    )


def document(row: str = "") -> str:
    prefix = f"{row}." if row else ""
    return (
        f'idea_search_document({prefix}"title", {prefix}"problem", '
        f'{prefix}"target_group", {prefix}"description")'
    )


# plpgsql, so that PostgreSQL does not inline it and forget the cost.
CREATE_DOCUMENT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION idea_search_document(
    "title" text, "problem" text, "target_group" text, "description" text
) RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 5000 AS $$
BEGIN
    RETURN {vector("swedish_compound")};
END;
$$;
"""

CREATE_INDEX = (
    f'CREATE INDEX IF NOT EXISTS "{INDEX_NAME}" ON "ideas_idea" USING gin (({document()}))'
)
CREATE_OLD_INDEX = (
    f'CREATE INDEX IF NOT EXISTS "{OLD_INDEX}" ON "ideas_idea" USING gin (({vector("swedish")}))'
)

# Adds +1 for every lexeme of the `added` rows and -1 for those of the `removed` rows
# (both: ideas outside drafts), in word order so concurrent statements lock the same
# words in the same order.
COUNT_WORDS = f"""
    INSERT INTO search_word (source, word, documents)
    SELECT 'ideas', word, sum(delta)::integer FROM (
        SELECT lexeme AS word, 1 AS delta FROM added r, unnest({document("r")})
        UNION ALL SELECT '', 1 FROM added
        UNION ALL
        SELECT lexeme, -1 FROM removed r, unnest({document("r")})
        UNION ALL SELECT '', -1 FROM removed
    ) AS changes
    GROUP BY word HAVING sum(delta) <> 0 ORDER BY word
    ON CONFLICT (source, word)
    DO UPDATE SET documents = search_word.documents + EXCLUDED.documents;
"""

CREATE_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION idea_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH added AS (SELECT * FROM new_rows WHERE state <> 'draft'),
             removed AS (SELECT * FROM new_rows WHERE false)
        {COUNT_WORDS}
    ELSIF TG_OP = 'DELETE' THEN
        WITH removed AS (SELECT * FROM old_rows WHERE state <> 'draft'),
             added AS (SELECT * FROM old_rows WHERE false)
        {COUNT_WORDS}
    ELSE
        WITH changed AS (
            SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.state <> 'draft') IS DISTINCT FROM (n.state <> 'draft')
               OR o.title IS DISTINCT FROM n.title
               OR o.problem IS DISTINCT FROM n.problem
               OR o.target_group IS DISTINCT FROM n.target_group
               OR o.description IS DISTINCT FROM n.description
        ),
        removed AS (
            SELECT o.* FROM old_rows o JOIN changed USING (id) WHERE o.state <> 'draft'
        ),
        added AS (
            SELECT n.* FROM new_rows n JOIN changed USING (id) WHERE n.state <> 'draft'
        )
        {COUNT_WORDS}
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION idea_search_words_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_word WHERE source = 'ideas';
    WITH added AS (SELECT * FROM ideas_idea WHERE state <> 'draft'),
         removed AS (SELECT * FROM ideas_idea WHERE false)
    {COUNT_WORDS}
END;
$$;

CREATE TRIGGER idea_search_words_insert AFTER INSERT ON ideas_idea
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION idea_search_words();
CREATE TRIGGER idea_search_words_update AFTER UPDATE ON ideas_idea
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION idea_search_words();
CREATE TRIGGER idea_search_words_delete AFTER DELETE ON ideas_idea
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION idea_search_words();
"""

DROP_FUNCTIONS = """
DROP TRIGGER IF EXISTS idea_search_words_insert ON ideas_idea;
DROP TRIGGER IF EXISTS idea_search_words_update ON ideas_idea;
DROP TRIGGER IF EXISTS idea_search_words_delete ON ideas_idea;
DROP FUNCTION IF EXISTS idea_search_words();
DROP FUNCTION IF EXISTS idea_search_words_rebuild();
DELETE FROM search_word WHERE source = 'ideas';
"""
DROP_DOCUMENT_FUNCTION = "DROP FUNCTION IF EXISTS idea_search_document(text, text, text, text)"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{OLD_INDEX}"')
    schema_editor.execute(CREATE_DOCUMENT_FUNCTION)
    schema_editor.execute(CREATE_INDEX)
    schema_editor.execute(CREATE_FUNCTIONS)
    schema_editor.execute("SELECT idea_search_words_rebuild()")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP_FUNCTIONS)
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX_NAME}"')
    schema_editor.execute(DROP_DOCUMENT_FUNCTION)
    schema_editor.execute(CREATE_OLD_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0005_jury_votes"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
