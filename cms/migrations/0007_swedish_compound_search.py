"""The public site's search with compounds (PostgreSQL only; see docs/search.md).

Wagtail indexes pages into `wagtailsearch_indexentry` with the configuration named by
WAGTAILSEARCH_BACKENDS' SEARCH_CONFIG, now `swedish_compound` (ideasluss/search). This
migration

- re-vectorises the entries already there from their stored text with the new
  configuration, so that search is consistent at once (title with weight A, the rest
  with weight B); `manage.py update_index` afterwards restores Wagtail's exact field
  weights and indexes anything not indexed yet;
- keeps `search_word` (source "pages") counting, for every lexeme, the index entries
  that contain it, by triggers on the index table, as ideas 0006 does for ideas.
"""

from django.db import migrations

COUNT_WORDS = """
    INSERT INTO search_word (source, word, documents)
    SELECT 'pages', word, sum(delta)::integer FROM (
        SELECT lexeme AS word, 1 AS delta FROM added r, unnest(r.title || r.body)
        UNION ALL SELECT '', 1 FROM added
        UNION ALL
        SELECT lexeme, -1 FROM removed r, unnest(r.title || r.body)
        UNION ALL SELECT '', -1 FROM removed
    ) AS changes
    GROUP BY word HAVING sum(delta) <> 0 ORDER BY word
    ON CONFLICT (source, word)
    DO UPDATE SET documents = search_word.documents + EXCLUDED.documents;
"""

CREATE_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION page_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH added AS (SELECT * FROM new_rows), removed AS (SELECT * FROM new_rows WHERE false)
        {COUNT_WORDS}
    ELSIF TG_OP = 'DELETE' THEN
        WITH removed AS (SELECT * FROM old_rows), added AS (SELECT * FROM old_rows WHERE false)
        {COUNT_WORDS}
    ELSE
        WITH changed AS (
            SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.title IS DISTINCT FROM n.title OR o.body IS DISTINCT FROM n.body
        ),
        removed AS (SELECT o.* FROM old_rows o JOIN changed USING (id)),
        added AS (SELECT n.* FROM new_rows n JOIN changed USING (id))
        {COUNT_WORDS}
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION page_search_words_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM search_word WHERE source = 'pages';
    WITH added AS (SELECT * FROM wagtailsearch_indexentry),
         removed AS (SELECT * FROM wagtailsearch_indexentry WHERE false)
    {COUNT_WORDS}
END;
$$;

CREATE TRIGGER page_search_words_insert AFTER INSERT ON wagtailsearch_indexentry
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION page_search_words();
CREATE TRIGGER page_search_words_update AFTER UPDATE ON wagtailsearch_indexentry
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION page_search_words();
CREATE TRIGGER page_search_words_delete AFTER DELETE ON wagtailsearch_indexentry
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION page_search_words();
"""

REVECTORISE = """
UPDATE wagtailsearch_indexentry SET
    title = CASE WHEN title_text <> ''
                 THEN setweight(to_tsvector('{config}'::regconfig, title_text), 'A')
                 ELSE title END,
    body = CASE WHEN body_text <> ''
                THEN setweight(to_tsvector('{config}'::regconfig, body_text), 'B')
                ELSE body END
"""

DROP_FUNCTIONS = """
DROP TRIGGER IF EXISTS page_search_words_insert ON wagtailsearch_indexentry;
DROP TRIGGER IF EXISTS page_search_words_update ON wagtailsearch_indexentry;
DROP TRIGGER IF EXISTS page_search_words_delete ON wagtailsearch_indexentry;
DROP FUNCTION IF EXISTS page_search_words();
DROP FUNCTION IF EXISTS page_search_words_rebuild();
DELETE FROM search_word WHERE source = 'pages';
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(REVECTORISE.format(config="swedish_compound"))
    schema_editor.execute(CREATE_FUNCTIONS)
    schema_editor.execute("SELECT page_search_words_rebuild()")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP_FUNCTIONS)
    schema_editor.execute(REVECTORISE.format(config="swedish"))


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_english_and_swedish_admin_data"),
        ("search", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
