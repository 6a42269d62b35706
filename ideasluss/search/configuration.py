"""The PostgreSQL text search configuration `swedish_compound`.

It is PostgreSQL's `swedish` configuration with one change: every kind of word first goes
through an Ispell dictionary built from the Swedish Hunspell files (Debian's `hunspell-sv`,
linked into PostgreSQL's `tsearch_data` as `sv_se.affix` and `sv_se.dict` by
`pg_updatedicts`), then, for words the dictionary does not know, through the Swedish
Snowball stemmer. The dictionary gives a word's base form ("cyklarna" → "cykel") and
splits a compound it knows into its parts as well ("bilbokning" → "bil", "bokning";
"hemtjänstpersonal" → "hemtjänstpersonal", "hemtjänst", "personal", "hem", "tjänst"),
when indexing and when searching.

Without the dictionary files the configuration is still created, as a plain copy of
`swedish` (stemming only): everything keeps working, compounds are then found only
through the vocabulary (`ideasluss.search.query`). `manage.py search_configuration`
adds the dictionary later, once the files are installed, and rebuilds what depends on it.

Loading the dictionary costs about 0.4 s in each new database connection, the first time
that connection indexes or searches text (docs/search.md has the figures).
"""

from django.db import DatabaseError, transaction

CONFIG = "swedish_compound"
DICTIONARY = "swedish_hunspell"
#: The files' base name in PostgreSQL's tsearch_data (`sv_se.affix`, `sv_se.dict`).
DICTIONARY_FILES = "sv_se"
#: The token types the Swedish configuration maps to its stemmer: words and word parts.
WORD_TOKENS = "asciiword, word, hword, hword_part, asciihword, hword_asciipart"


def _exists(cursor, catalog: str, column: str, name: str) -> bool:
    cursor.execute(f"SELECT 1 FROM {catalog} WHERE {column} = %s", [name])  # noqa: S608
    return cursor.fetchone() is not None


def create_configuration(
    connection,
    *,
    config: str = CONFIG,
    dictionary: str = DICTIONARY,
    dictionary_files: str = DICTIONARY_FILES,
) -> bool:
    """Create `config` (if missing) as a copy of `swedish`, and chain the Hunspell
    dictionary before the stemmer if its files can be read. True if the dictionary is
    in use.

    Idempotent. Missing dictionary files are not an error: the configuration then stays
    a copy of `swedish` (stemming only) and False is returned.
    """
    with connection.cursor() as cursor:
        if not _exists(cursor, "pg_ts_config", "cfgname", config):
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = swedish)")
        if not _exists(cursor, "pg_ts_dict", "dictname", dictionary):
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute(
                        f"CREATE TEXT SEARCH DICTIONARY {dictionary} (TEMPLATE = ispell, "
                        f"DictFile = {dictionary_files}, AffFile = {dictionary_files}, "
                        "StopWords = swedish)"
                    )
                    # PostgreSQL reads the files when the dictionary is first used.
                    cursor.execute("SELECT ts_lexize(%s::regdictionary, 'cykel')", [dictionary])
            except DatabaseError:
                return False
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR {WORD_TOKENS} "
            f"WITH {dictionary}, swedish_stem"
        )
    return True


def drop_configuration(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
        cursor.execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {DICTIONARY}")


def uses_dictionary(connection, *, config: str = CONFIG) -> bool:
    """Whether `config` splits compounds with a Hunspell (Ispell) dictionary."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_ts_config_map m JOIN pg_ts_config c ON c.oid = m.mapcfg "
            "JOIN pg_ts_dict d ON d.oid = m.mapdict "
            "JOIN pg_ts_template t ON t.oid = d.dicttemplate "
            "WHERE c.cfgname = %s AND t.tmplname = 'ispell'",
            [config],
        )
        return cursor.fetchone() is not None
