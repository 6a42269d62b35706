"""Searching ideas by text: the idea bank's search box and "similar ideas while writing".

On PostgreSQL both use full-text search with the `swedish_compound` configuration
(Swedish Hunspell dictionary, then the Snowball stemmer; `ideasluss.search`) over the
idea's stored document, `Idea.search_document` (a generated column, migration 0008),
indexed with GIN (`idea_search_document_gin`); `tests/ideas/test_search.py` proves with
EXPLAIN that the index is used. Each
query word is widened to its compounds, parts and (if misspelt) the nearest indexed word
by `ideasluss.search.query` before the search; docs/search.md explains.

On SQLite (the demo database) a simpler fallback matches the beginning of each word's
stem anywhere in the text ("cykel" finds "Elcyklar").
"""

import math
import re

from django.db import connection
from django.db.models import F, Q, Subquery

from ideasluss.accounts.rules import is_staff_member
from ideasluss.search.configuration import CONFIG
from ideasluss.search.models import SearchWord
from ideasluss.search.query import RawTsQuery, build_terms, prepare_search

from .expressions import IsAnyOf
from .models import SEARCH_FIELDS, Idea

SEARCH_CONFIG = CONFIG
# The GIN index over `Idea.search_document`, created by migration 0008 on PostgreSQL only.
SEARCH_INDEX_NAME = "idea_search_document_gin"
# A search matching at most this many ideas is answered through the GIN index (their ids
# first, then the page); one matching more walks the ideas in the page's order and tests
# each stored document, which finds a page of common-word matches after a few dozen rows.
# Deciding by a count PostgreSQL cannot estimate well (compounds, prefixes) keeps either
# from testing every idea (docs/search.md).
SPARSE_MATCHES = 500

# "Similar ideas": words shorter than this, or in the stop-word list, do not count.
SIMILAR_MIN_WORD_LENGTH = 4
SIMILAR_MAX_WORDS = 30
# How many of the newest matching ideas are ranked by similarity (PostgreSQL).
SIMILAR_CANDIDATES = 100
# An idea counts as similar when the words it shares with the text weigh at least this
# share of all the text's words that occur in any idea, each word weighed by its rarity
# (inverse document frequency): sharing "hemtjänsten" and "personalrummet" with a
# car-booking idea does not make a lunch-buddy idea similar (PostgreSQL).
SIMILAR_MIN_SHARE = 0.25
SIMILAR_MIN_IDEAS = 20
# A small list of common Swedish words of four letters or more that say nothing
# about what an idea is about (PostgreSQL's Swedish configuration has its own list).
_STOP_WORDS = """
    aldrig alla allt alltid andra annan annat bara behöver behövs blev blir bliva borde båda
    både denna deras dessa detta dina ditt dock därför efter eftersom egen eget egna eller
    finns ganska genom gjorde göra hade hans hela hennes honom inga inget inom inte kanske
    kommer kunde kunna medan mellan mera mest mina mitt mycket måste någon något några också
    redan samma sedan sina sitt själv själva skall skulle till under utan vara varför varit
    vart vilka vilken vilket våra vårt även åter över
"""
SWEDISH_STOP_WORDS = frozenset(_STOP_WORDS.split())

_WORD = re.compile(r"\w+")


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# SQLite: endings taken off a word before it is looked for inside the text, longest first.
_SQLITE_ENDING_WORDS = """
    arnas ernas ornas andes arna erna orna ande ende heten aste arens
    het are ast ens ets ars ers ors an en et ar er or na ns a e s
"""
_SQLITE_ENDINGS = sorted(_SQLITE_ENDING_WORDS.split(), key=len, reverse=True)


def sqlite_forms(word: str) -> set[str]:
    """What to look for on SQLite: the word without its ending (at least three letters
    left), and without the "e" of -el/-er/-en as well ("cyklar" → "cykl" and "cykel";
    "nycklar" → "nyckl" and "nyckel"), so that a word also finds its inflections and the
    compounds it is part of ("cykel" finds "Elcyklar" and "cykelpool")."""
    word = word.lower()
    stem = word
    for ending in _SQLITE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            break
    forms = {stem}
    if len(stem) >= 4 and stem[-2] == "e" and stem[-1] in "lnr":
        forms.add(stem[:-2] + stem[-1])
    elif len(stem) >= 4 and stem[-1] in "lnr" and stem[-2] not in "aeiouyåäö":
        forms.add(stem[:-1] + "e" + stem[-1])
    return forms


def _contains_any_form(word: str) -> Q:
    condition = Q()
    for form in sorted(sqlite_forms(word)):
        condition |= _contains_word(form)
    return condition


def _contains_word(word: str) -> Q:
    """Case-insensitive containment of `word` in any searched field (SQLite fallback).

    SQLite's LIKE folds case for ASCII only, so a word with å, ä or ö is also tried
    capitalised: "äldre" then finds "Äldre" at the start of a sentence.
    """
    variants = {word.lower()}
    if not word.isascii():
        variants |= {word.lower().capitalize(), word.upper()}
    condition = Q()
    for variant in sorted(variants):
        for field in SEARCH_FIELDS:
            condition |= Q(**{f"{field}__icontains": variant})
    return condition


def search_ideas(queryset, text: str):
    """`queryset` narrowed to the ideas matching `text`; unchanged when `text` is empty.

    PostgreSQL: Swedish full-text search with web-search syntax ("quoted phrases",
    `or`, `-word`) over title, problem, target group and description, using the GIN
    index, each word widened to its compounds, parts and inflections, a misspelt word to
    the nearest indexed one (`ideasluss.search.query`). Only stop words: nothing.
    SQLite: every word's stem (`sqlite_forms`) must occur in one of those fields.
    """
    text = (text or "").strip()
    if not text:
        return queryset
    if _is_postgresql():
        query = prepare_search(text, source=SearchWord.Source.IDEAS)
        if query is None:
            return queryset.none()
        matching = Idea.objects.filter(search_document=query.tsquery)
        if matching.order_by()[: SPARSE_MATCHES + 1].count() > SPARSE_MATCHES:
            # Many matches: walking the page's order finds a page of them soon.
            return queryset.filter(search_document=query.tsquery)
        # Few: their ids through the GIN index (an array PostgreSQL computes before the
        # rest); walking the ideas by date would test nearly all of them.
        return queryset.filter(IsAnyOf(F("pk"), Subquery(matching.values("pk"))))
    for word in _WORD.findall(text):
        queryset = queryset.filter(_contains_any_form(word))
    return queryset


def significant_words(text: str) -> list[str]:
    """The words that say what a text is about: long enough, not stop words, de-duplicated."""
    words = []
    for word in _WORD.findall((text or "").lower()):
        if (
            len(word) >= SIMILAR_MIN_WORD_LENGTH
            and word not in SWEDISH_STOP_WORDS
            and not word.isdigit()
            and word not in words
        ):
            words.append(word)
            if len(words) == SIMILAR_MAX_WORDS:
                break
    return words


def _rarity(documents: int, total: int) -> float:
    """A word's weight: higher the fewer ideas hold it (inverse document frequency). A
    small idea bank counts as `SIMILAR_MIN_IDEAS` ideas: among three ideas, a word two
    of them share still says something."""
    return math.log(1 + max(total, SIMILAR_MIN_IDEAS) / max(documents, 1))


def similar_ideas(*, text: str, user, exclude_pk=None, limit: int = 5) -> list[Idea]:
    """Up to `limit` submitted ideas that look like `text`, most alike first.

    Only ideas every staff member may see (never drafts) are returned, and nothing
    for a user who may not see ideas at all. At most `limit` ideas are fetched (on
    PostgreSQL after at most `SIMILAR_CANDIDATES` ids).

    PostgreSQL: each significant word becomes a term as in the search box (compounds,
    parts, inflections, a misspelling corrected; `ideasluss.search.query`), weighed by
    how rare it is among the ideas. The newest `SIMILAR_CANDIDATES` ideas matching any
    term are found with the GIN index (an OR of terms built from plain words, so user
    input never becomes tsquery syntax) and scored in the same query by the weight of
    the terms they share, each candidate's text vector computed once; only ideas
    sharing at least `SIMILAR_MIN_SHARE` of the text's weight are kept, most alike
    first. SQLite: ideas containing any of the words, newest first.
    """
    words = significant_words(text)
    if not words or limit <= 0 or not user.is_authenticated or not is_staff_member(user):
        return []
    ideas = Idea.objects.submitted()
    if exclude_pk is not None:
        ideas = ideas.exclude(pk=exclude_pk)
    if not _is_postgresql():
        any_word = Q()
        for word in words:
            any_word |= _contains_any_form(word)
        ideas = ideas.filter(any_word).order_by("-created_at", "-pk")
        return list(ideas.select_related("unit")[:limit])

    terms, total = build_terms(words, source=SearchWord.Source.IDEAS)
    # A word no idea holds says nothing about which ideas are alike; two forms of one
    # word ("bilar", "bilarna") count once.
    distinct = {}
    for term in terms:
        if term.tsquery and term.documents:
            distinct.setdefault(frozenset(term.lexemes), term)
    terms = list(distinct.values())
    if not terms:
        return []
    weights = [_rarity(term.documents, total) for term in terms]
    any_term = " | ".join(f"({term.tsquery})" for term in terms)
    matches = ideas.filter(search_document=RawTsQuery(any_term)).values(
        "pk", "created_at", "search_document"
    )
    matches_sql, matches_params = matches.query.sql_with_params()
    scores = " + ".join("CASE WHEN document @@ %s::tsquery THEN %s ELSE 0 END" for _ in terms)
    # The matches are materialised first: asked for the newest 100 at once, PostgreSQL
    # may walk the ideas newest first and test every idea for a rare word.
    sql = f"""
        WITH matches (id, created_at, document) AS MATERIALIZED ({matches_sql}),
        candidates AS MATERIALIZED (
            SELECT newest.id, newest.document
            FROM (
                SELECT * FROM matches ORDER BY created_at DESC, id DESC LIMIT {SIMILAR_CANDIDATES}
            ) AS newest
        )
        SELECT id, ({scores}) AS score FROM candidates
    """  # noqa: S608 (only constants and placeholders are formatted in)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                *matches_params,
                *(p for t, w in zip(terms, weights, strict=True) for p in (t.tsquery, w)),
            ],
        )
        scored = cursor.fetchall()
    needed = SIMILAR_MIN_SHARE * sum(weights)
    # Candidates come newest first; sorting by score keeps that order among equals.
    ranked = sorted((row for row in scored if row[1] >= needed), key=lambda row: -row[1])
    best = [pk for pk, _ in ranked[:limit]]
    if not best:
        return []
    found = {
        idea.pk: idea for idea in Idea.objects.filter(pk__in=best).select_related("unit")[:limit]
    }
    similar = []
    for pk, score in ranked[:limit]:
        found[pk].similarity = score
        similar.append(found[pk])
    return similar
