"""Searching ideas by text: the idea bank's search box and "similar ideas while writing".

On PostgreSQL both use full-text search with the Swedish configuration over one
expression, `idea_search_vector()`, which migration 0002 indexes with GIN
(`idea_search_gin`). The filter must compile to exactly the indexed expression for
PostgreSQL to use the index, so every full-text filter here goes through that one
function; `tests/ideas/test_search.py` proves with EXPLAIN that the index is used.

On SQLite (the demo database) a simpler fallback matches words by containment.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from ideasluss.accounts.rules import is_staff_member

from .models import Idea

SEARCH_CONFIG = "swedish"
SEARCH_FIELDS = ("title", "problem", "target_group", "description")
# The GIN index over `idea_search_vector()`, created by migration 0002 on PostgreSQL only.
SEARCH_INDEX_NAME = "idea_search_gin"

# "Similar ideas": words shorter than this, or in the stop-word list, do not count.
SIMILAR_MIN_WORD_LENGTH = 4
SIMILAR_MAX_WORDS = 30
# How many of the newest matching ideas are ranked by similarity (PostgreSQL).
SIMILAR_CANDIDATES = 100
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


def idea_search_vector() -> SearchVector:
    """The full-text document of an idea: the expression the GIN index is built on."""
    return SearchVector(*SEARCH_FIELDS, config=SEARCH_CONFIG)


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


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
    index. SQLite: every word must occur in one of those fields.
    """
    text = (text or "").strip()
    if not text:
        return queryset
    if _is_postgresql():
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return queryset.alias(search_document=idea_search_vector()).filter(search_document=query)
    for word in _WORD.findall(text):
        queryset = queryset.filter(_contains_word(word))
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


def similar_ideas(*, text: str, user, exclude_pk=None, limit: int = 5) -> list[Idea]:
    """Up to `limit` submitted ideas that look like `text`, most alike first.

    Only ideas every staff member may see (never drafts) are returned, and nothing
    for a user who may not see ideas at all. At most `limit` ideas are fetched (on
    PostgreSQL after at most `SIMILAR_CANDIDATES` ids).

    PostgreSQL: the ideas matching any significant word (an OR of plain tsqueries, so
    user input never becomes tsquery syntax) are found with the GIN index; ranking
    needs each candidate's text vector computed, so only the newest
    `SIMILAR_CANDIDATES` matches are ranked and the work per keystroke stays bounded
    however many ideas share a common word. SQLite: ideas containing any of the
    words, newest first.
    """
    words = significant_words(text)
    if not words or limit <= 0 or not user.is_authenticated or not is_staff_member(user):
        return []
    ideas = Idea.objects.submitted()
    if exclude_pk is not None:
        ideas = ideas.exclude(pk=exclude_pk)
    if _is_postgresql():
        query = SearchQuery(words[0], config=SEARCH_CONFIG)
        for word in words[1:]:
            query |= SearchQuery(word, config=SEARCH_CONFIG)
        # Two index-driven queries: the ids of the newest matches (GIN index), then
        # those rows by primary key, ranked. (As one query with `pk__in=<subquery>`
        # PostgreSQL prefers a hash join over a scan of the whole table.)
        candidates = list(
            ideas.alias(search_document=idea_search_vector())
            .filter(search_document=query)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[:SIMILAR_CANDIDATES]
        )
        if not candidates:
            return []
        ideas = (
            Idea.objects.filter(pk__in=candidates)
            .annotate(similarity=SearchRank(idea_search_vector(), query))
            .order_by("-similarity", "-created_at", "-pk")
        )
    else:
        any_word = Q()
        for word in words:
            any_word |= _contains_word(word)
        ideas = ideas.filter(any_word).order_by("-created_at", "-pk")
    return list(ideas.select_related("unit")[:limit])
