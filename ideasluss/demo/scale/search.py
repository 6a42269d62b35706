"""The ideas' search vocabulary after a bulk insert, counted by the seed (PostgreSQL).

A statement trigger (ideas 0006, `idea_search_words_insert`) counts, for every lexeme,
the ideas outside drafts that contain it, computing each new idea's vector once more
after the GIN index has: at 100,000 ideas that second pass costs minutes. A generated
idea's searched text is a few of a few hundred parts joined by spaces, and a text's
lexemes are its parts' lexemes together. So the seed asks PostgreSQL for each part's
lexemes once (through `idea_search_document`, the index's own function), counts the
ideas per lexeme itself and adds the counts in one statement, with the trigger off
meanwhile. The counts are the trigger's (tests/demo/test_scale.py compares them with
`idea_search_words_rebuild()`); the index is PostgreSQL's, as always.
"""

from collections import Counter
from collections.abc import Callable, Iterable

from django.db import connection

from ideasluss.ideas.models import IdeaState

TRIGGER = "idea_search_words_insert"

ADD_COUNTS = """
    INSERT INTO search_word (source, word, documents)
    SELECT 'ideas', word, documents
    FROM unnest(%s::text[], %s::integer[]) AS counted(word, documents)
    ORDER BY word
    ON CONFLICT (source, word) DO UPDATE SET documents = search_word.documents + EXCLUDED.documents
"""


def insert_counting_words(insert: Callable[[], int], stories: Iterable) -> int:
    """Run `insert` (which writes the stories' ideas) and count their words into the
    vocabulary; on other databases than PostgreSQL just `insert`."""
    if connection.vendor != "postgresql":
        return insert()
    with connection.cursor() as cursor:
        # Inside the seed's transaction: a failure rolls the trigger back on with the rest.
        _switch_trigger(cursor, "DISABLE")
        written = insert()
        counts = word_counts(cursor, stories)
        words = sorted(counts)
        cursor.execute(ADD_COUNTS, [words, [counts[word] for word in words]])
        _switch_trigger(cursor, "ENABLE")
    return written


def _switch_trigger(cursor, action: str) -> None:
    # PostgreSQL alters no table with checks of its deferred foreign keys pending in the
    # transaction (the ideas just written): run them now, then defer again (every
    # deferrable constraint here is initially deferred, Django's foreign keys).
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"ALTER TABLE ideas_idea {action} TRIGGER {TRIGGER}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def word_counts(cursor, stories: Iterable) -> Counter:
    """For every lexeme, how many of the ideas outside drafts contain it; the empty word
    counts those ideas (as the trigger does)."""
    submitted = [story for story in stories if story.state != IdeaState.DRAFT]
    parts = sorted({part for story in submitted for part in story.parts if part})
    cursor.execute(
        "SELECT part, tsvector_to_array(idea_search_document(part, '', '', '')) "
        "FROM unnest(%s::text[]) AS part",
        [parts],
    )
    lexemes = dict(cursor.fetchall())
    counts: Counter = Counter()
    for story in submitted:
        counts.update(set().union(*(lexemes.get(part, ()) for part in story.parts)))
    counts[""] = len(submitted)
    return counts
