"""Turning what someone typed into a tsquery that understands Swedish (PostgreSQL).

PostgreSQL's `swedish_compound` configuration (see `configuration.py`) already gives each
word its base form and splits the compounds its dictionary knows. What it cannot do alone
is find a word inside a compound it has never split ("cykel" in "elcyklar", indexed as
the single lexeme `elcykel`), split a query compound it does not know
("bokningskalender" → "bokning" + "kalender") or forgive a typing error. For that each
query word becomes a small OR of alternatives, looked up in the vocabulary of the index
(`SearchWord`, one source per index):

1. the word as the configuration normalises it, each lexeme of four letters or more also
   as a prefix (`'cykel':*` finds `cykelpool`), and its Snowball stem likewise;
2. the indexed words that contain one of those lexemes after a head that is itself a
   word, with or without the linking "s", or a word's compound form (`elcykel`,
   `bokningskalend` for "kalender", `gatubelysning` for "belysning");
3. for a long word the dictionary does not know: its split into two words it knows,
   both required (`bokning` & `kalender`), each expanded as above;
4. if none of that can match anything in the index, the indexed word most like it by
   trigram similarity (pg_trgm), if alike enough and about as long ("cykell" → `cykel`),
   expanded as above.

All this costs three or four small queries (normalising, then the vocabulary, whose
words have a trigram index); the search itself is one tsquery, so the GIN index on the
documents is used as before. The result is a tsquery literal, passed as `RawTsQuery`.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db import connection as default_connection
from django.db.models import Func

from .configuration import CONFIG, DICTIONARY

WORD = re.compile(r"\w+")
#: A lexeme this long is also matched as the beginning of longer words (`cykel:*`).
PREFIX_MIN_LENGTH = 4
#: A lexeme this long is also looked for inside longer indexed words (compounds).
PART_MIN_LENGTH = 4
#: A word this long that the dictionary does not know is tried as two words.
SPLIT_MIN_LENGTH = 8
#: Each of those two words is at least this long.
PIECE_MIN_LENGTH = 3
#: Compounds an expansion may add for one lexeme, the commonest first.
MAX_PART_MATCHES = 40
#: How alike (pg_trgm similarity, 0–1) an indexed word must be to replace a word that
#: occurs nowhere. 0.45 accepts one wrong, missing, extra or swapped letter in a word of
#: seven letters or more ("bygglvo" → "bygglov": 0.45) and refuses most unrelated words.
CORRECTION_MIN_SIMILARITY = 0.45
#: A word shorter than this is never corrected (too many short words look alike).
CORRECTION_MIN_LENGTH = 5

_LEXEME = re.compile(r"'((?:[^']|'')*)'")


class RawTsQuery(SearchQuery):
    """A tsquery given as its text (`'cykel':* | 'elcykel'`), not normalised again."""

    def __init__(self, text: str):
        super().__init__(text, search_type="raw")
        self.text = text

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = Func.as_sql(self, compiler, connection, template="(%(expressions)s)::tsquery")
        if self.invert:
            sql = f"!!({sql})"
        return sql, params


def quote(lexeme: str, *, prefix: bool = False) -> str:
    literal = "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"{literal}:*" if prefix else literal


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class Normalised:
    """One string as the configuration sees it."""

    tsquery: str  # as plainto_tsquery gives it; "" for a stop word
    stem: str  # the Snowball stem ("" for a stop word)
    known: bool | None  # whether the dictionary knows it (None: no dictionary)

    @property
    def lexemes(self) -> list[str]:
        return [match.replace("''", "'") for match in _LEXEME.findall(self.tsquery)]


@dataclass
class Term:
    """One query word and the tsquery that stands for it."""

    word: str
    tsquery: str = ""  # "" for a stop word
    #: The indexed word used instead of a word that occurs nowhere ("" if none).
    corrected: str = ""
    #: How many documents hold the commonest indexed word this term matches (0: none).
    documents: int = 0
    lexemes: set[str] = field(default_factory=set)


@dataclass
class Vocabulary:
    """What the index holds for some lexemes: documents per indexed word that each
    lexeme matches (exactly, as a prefix or as a part of a compound)."""

    total_documents: int
    matches: dict[str, dict[str, int]]  # lexeme → {indexed word: documents}
    parts: dict[str, list[str]]  # lexeme → indexed compounds it is a part of

    @property
    def words(self) -> set[str]:
        return {word for found in self.matches.values() for word in found}

    def merge(self, other: "Vocabulary") -> None:
        self.total_documents = self.total_documents or other.total_documents
        for lexeme, found in other.matches.items():
            self.matches.setdefault(lexeme, {}).update(found)
        for lexeme, words in other.parts.items():
            self.parts.setdefault(lexeme, []).extend(words)


def _normalise(cursor, strings: list[str]) -> dict[str, Normalised]:
    cursor.execute(
        """
        SELECT s, plainto_tsquery(%s::regconfig, s)::text,
               coalesce((ts_lexize('swedish_stem', s))[1], ''),
               (SELECT ts_lexize(d.oid::regdictionary, s) IS NOT NULL
                  FROM pg_ts_dict d WHERE d.dictname = %s)
        FROM unnest(%s::text[]) AS s
        """,
        [CONFIG, DICTIONARY, strings],
    )
    return {row[0]: Normalised(*row[1:]) for row in cursor.fetchall()}


def _is_compound_head(lexeme: str, head_is_word, head_form_is_word) -> bool:
    """Whether a head before `lexeme` makes a compound: a word, maybe with the linking
    "s" (`trygghet`+s+`larm`); or, before a part of five letters or more, a word's
    compound form (`gatu` for gata, `skol` for skola: "-ring" in "parkering" is no part).
    None: no dictionary to ask, so yes."""
    if head_is_word is None:
        return True
    return bool(head_is_word or (head_form_is_word and len(lexeme) >= 5))


def _look_up(cursor, source: str, lexemes: set[str]) -> Vocabulary:
    """One query: the indexed words each lexeme matches, and for a word that contains it
    after a head, whether that head is a word (then the lexeme is a part of a compound:
    `el` + `cykel`, `bokning` + s + `kalend`, `gatu` (gata) + `belysning`). Without the
    dictionary any head of two letters or more counts."""
    long = sorted(lexeme for lexeme in lexemes if len(lexeme) >= PART_MIN_LENGTH)
    short = sorted(lexeme for lexeme in lexemes if len(lexeme) < PART_MIN_LENGTH)
    cursor.execute(
        """
        SELECT q.lexeme, w.word, w.documents, h.head,
               (SELECT bool_or(ts_lexize(d.oid::regdictionary, f) IS NOT NULL)
                  FROM pg_ts_dict d, unnest(ARRAY[
                      h.head, CASE WHEN h.head LIKE '%%s' THEN left(h.head, -1) END
                  ]) AS f
                 WHERE d.dictname = %s AND length(f) >= 2),
               (SELECT bool_or(ts_lexize(d.oid::regdictionary, f) IS NOT NULL)
                  FROM pg_ts_dict d, unnest(ARRAY[
                      CASE WHEN h.head ~ '[eou]$' THEN left(h.head, -1) || 'a'
                           ELSE h.head || 'a' END
                  ]) AS f
                 WHERE d.dictname = %s AND length(f) >= 3)
        FROM unnest(%s::text[], %s::text[]) AS q(lexeme, pattern)
        CROSS JOIN LATERAL (
            SELECT word, documents FROM search_word
            WHERE source = %s AND documents > 0 AND word LIKE q.pattern
            ORDER BY documents DESC, word LIMIT %s
        ) AS w
        CROSS JOIN LATERAL (
            SELECT CASE WHEN strpos(w.word, q.lexeme) > 2
                        THEN left(w.word, strpos(w.word, q.lexeme) - 1) END AS head
        ) AS h
        UNION ALL
        SELECT word, word, documents, NULL, NULL, NULL FROM search_word
        WHERE source = %s AND documents > 0 AND word = ANY(%s::text[])
        UNION ALL
        SELECT '', '', documents, NULL, NULL, NULL FROM search_word
        WHERE source = %s AND word = ''
        """,
        [
            DICTIONARY,
            DICTIONARY,
            long,
            [f"%{_like_escape(lexeme)}%" for lexeme in long],
            source,
            MAX_PART_MATCHES * 2,
            source,
            short,
            source,
        ],
    )
    total = 0
    matches: dict[str, dict[str, int]] = {}
    parts: dict[str, list[str]] = {}
    for lexeme, word, documents, head, head_is_word, head_form_is_word in cursor.fetchall():
        if lexeme == "" and word == "":
            total = documents
        elif word == lexeme or (len(lexeme) >= PREFIX_MIN_LENGTH and word.startswith(lexeme)):
            matches.setdefault(lexeme, {})[word] = documents
        elif (
            head is not None
            and _is_compound_head(lexeme, head_is_word, head_form_is_word)
            and len(parts.setdefault(lexeme, [])) < MAX_PART_MATCHES
        ):
            parts[lexeme].append(word)
            matches.setdefault(lexeme, {})[word] = documents
    return Vocabulary(total_documents=total, matches=matches, parts=parts)


def _corrections(cursor, source: str, words: list[tuple[str, str]]) -> dict[str, tuple[str, int]]:
    """The indexed word most like each (word, stem), if alike enough and about as long
    (a part of a compound is no correction of it: "cykelpool" is not "cykel"), and how
    many documents hold it."""
    if not words:
        return {}
    cursor.execute(
        """
        SELECT q.word, best.word, best.documents
        FROM unnest(%s::text[], %s::text[]) AS q(word, stem)
        CROSS JOIN LATERAL (
            SELECT w.word, w.documents,
                   greatest(similarity(w.word, q.word), similarity(w.word, q.stem)) AS s
            FROM search_word w
            WHERE w.source = %s AND w.documents > 0 AND w.word <> ''
              AND (w.word %% q.word OR w.word %% q.stem)
              AND abs(length(w.word) - length(q.word)) <= greatest(2, length(q.word) / 4)
            ORDER BY s DESC, w.documents DESC, w.word LIMIT 1
        ) AS best
        WHERE best.s >= %s
        """,
        [
            [word for word, _ in words],
            [stem for _, stem in words],
            source,
            CORRECTION_MIN_SIMILARITY,
        ],
    )
    return {word: (best, documents) for word, best, documents in cursor.fetchall()}


def _splits(word: str) -> list[tuple[str, str]]:
    """Every way to cut `word` into a head and a tail of at least PIECE_MIN_LENGTH letters,
    the head also without a linking "s"; longest head first."""
    splits = []
    for cut in range(len(word) - PIECE_MIN_LENGTH, PIECE_MIN_LENGTH - 1, -1):
        head, tail = word[:cut], word[cut:]
        splits.append((head, tail))
        if head.endswith("s") and len(head) > PIECE_MIN_LENGTH:
            splits.append((head[:-1], tail))
    return splits


_TSQUERY_TOKEN = re.compile(r"'(?:[^']|'')*'(?::\*?[A-D]*)?|<\d*-?>|[&|!()]")


def can_match(tsquery: str, present) -> bool:
    """Whether `tsquery` could match a document made only of words for which
    `present(lexeme)` is true (a negation never rules a document out)."""
    tokens = _TSQUERY_TOKEN.findall(tsquery)
    position = 0

    def peek() -> str:
        return tokens[position] if position < len(tokens) else ""

    def any_of() -> bool:
        nonlocal position
        result = all_of()
        while peek() == "|":
            position += 1
            result = all_of() or result
        return result

    def all_of() -> bool:
        nonlocal position
        result = one()
        while peek() == "&" or peek().startswith("<"):
            position += 1
            result = one() and result
        return result

    def one() -> bool:
        nonlocal position
        symbol = peek()
        position += 1
        if symbol == "!":
            one()
            return True
        if symbol == "(":
            result = any_of()
            position += 1  # ")"
            return result
        return present(_LEXEME.match(symbol).group(1).replace("''", "'"))

    return bool(tokens) and any_of()


class _Builder:
    def __init__(self, normalised: dict[str, Normalised], vocabulary: Vocabulary):
        self.normalised = normalised
        self.vocabulary = vocabulary

    def present(self, lexeme: str) -> bool:
        return bool(self.vocabulary.matches.get(lexeme)) or lexeme in self.vocabulary.words

    def lexeme(self, lexeme: str, term: Term) -> str:
        """A lexeme with its prefix and the compounds it is part of."""
        found = self.vocabulary.matches.get(lexeme, {})
        if found:
            term.documents = max(term.documents, max(found.values()))
            term.lexemes |= set(found)
        alternatives = [quote(lexeme, prefix=len(lexeme) >= PREFIX_MIN_LENGTH)]
        alternatives += [quote(word) for word in self.vocabulary.parts.get(lexeme, [])]
        return alternatives[0] if len(alternatives) == 1 else f"({' | '.join(alternatives)})"

    def expanded(self, tsquery: str, term: Term) -> str:
        """`tsquery` (as the configuration made it) with every lexeme expanded."""
        return _LEXEME.sub(
            lambda match: self.lexeme(match.group(1).replace("''", "'"), term), tsquery
        )

    def split(self, word: str) -> tuple[str, str] | None:
        """The two words a long unknown word is made of, longest head first."""
        seen = self.normalised[word]
        if len(word) < SPLIT_MIN_LENGTH or seen.known is not False or len(seen.lexemes) > 1:
            return None
        for head, tail in _splits(word):
            if self.normalised[head].known and self.normalised[tail].known:
                return head, tail
        return None

    def term(self, word: str, split: tuple[str, str] | None) -> Term:
        term = Term(word=word)
        seen = self.normalised[word]
        if not seen.tsquery:
            return term  # a stop word
        alternatives = [self.expanded(seen.tsquery, term)]
        if seen.stem and seen.stem not in seen.lexemes:
            alternatives.append(self.lexeme(seen.stem, term))
        if split:
            head, tail = (self.normalised[piece].tsquery for piece in split)
            alternatives.append(f"({self.expanded(head, term)}) & ({self.expanded(tail, term)})")
        term.tsquery = " | ".join(f"({alternative})" for alternative in alternatives)
        if not can_match(term.tsquery, self.present):
            term.documents = 0
            term.lexemes = set()
        return term


def words_of(text: str) -> list[str]:
    return [word.lower() for word in WORD.findall(text or "")]


def split_candidates(words: list[str]) -> list[str]:
    strings = set(words)
    for word in words:
        if len(word) >= SPLIT_MIN_LENGTH:
            for head, tail in _splits(word):
                strings |= {head, tail}
    return sorted(strings)


def build_terms(words: list[str], *, source: str, correct: bool = True, connection=None):
    """A `Term` for each word (lower case), and the number of documents in the index.

    At most four queries: normalise the words, look them up in the vocabulary, find the
    nearest indexed word for those that match nothing, look those up.
    """
    connection = connection or default_connection
    words = list(dict.fromkeys(word.lower() for word in words if word))
    if not words:
        return [], 0
    with connection.cursor() as cursor:
        normalised = _normalise(cursor, split_candidates(words))
        builder = _Builder(normalised, Vocabulary(0, {}, {}))
        splits = {word: builder.split(word) for word in words}
        lexemes = set()
        for word in words:
            lexemes |= set(normalised[word].lexemes)
            if normalised[word].stem:
                lexemes.add(normalised[word].stem)
            for piece in splits[word] or ():
                lexemes |= set(normalised[piece].lexemes)
        builder.vocabulary = _look_up(cursor, source, lexemes)
        terms = [builder.term(word, splits[word]) for word in words]
        missing = [
            (term.word, normalised[term.word].stem or term.word)
            for term in terms
            if correct
            and term.tsquery
            and not term.documents
            and len(term.word) >= CORRECTION_MIN_LENGTH
        ]
        corrections = _corrections(cursor, source, missing) if missing else {}
        if corrections:
            found = _look_up(cursor, source, {word for word, _ in corrections.values()})
            builder.vocabulary.merge(found)
            for term in terms:
                if term.word in corrections:
                    term.corrected, _ = corrections[term.word]
                    term.tsquery = f"({term.tsquery}) | {builder.lexeme(term.corrected, term)}"
    return terms, builder.vocabulary.total_documents


# --- the search box: words, "phrases", `or` and -exclusions, as in a web search ---------------

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass
class PreparedQuery:
    """A search box's text made ready for the index."""

    tsquery: RawTsQuery
    terms: list[Term]

    @property
    def corrections(self) -> dict[str, str]:
        """Misspelt word → the indexed word searched for instead."""
        return {term.word: term.corrected for term in self.terms if term.corrected}


def _phrases(cursor, phrases: list[str]) -> dict[str, str]:
    cursor.execute(
        "SELECT p, phraseto_tsquery(%s::regconfig, p)::text FROM unnest(%s::text[]) AS p",
        [CONFIG, phrases],
    )
    return dict(cursor.fetchall())


def prepare_search(text: str, *, source: str, connection=None) -> PreparedQuery | None:
    """The tsquery for a search box's `text` (web-search syntax: every word must occur,
    "quoted phrases" in that order, `or` between alternatives, `-word` must not occur),
    each word understood as `build_terms` does. None if nothing in `text` can be
    searched for (only stop words or punctuation)."""
    connection = connection or default_connection
    items: list[tuple[str, str, bool]] = []  # (kind, text, negated); kind: word, phrase, or
    for negated, phrase, token in _TOKEN.findall(text or ""):
        if token.lower() == "or":
            items.append(("or", "", False))
        elif phrase or negated:
            if phrase.strip():
                items.append(("phrase", phrase.strip(), bool(negated)))
        else:
            exclude = token.startswith("-")
            for word in words_of(token):
                items.append(("word", word, exclude))
    words = [text for kind, text, negated in items if kind == "word"]
    terms, _ = build_terms(words, source=source, connection=connection) if words else ([], 0)
    by_word = {term.word: term for term in terms}
    phrases = [text for kind, text, _ in items if kind == "phrase"]
    if phrases:
        with connection.cursor() as cursor:
            phrase_queries = _phrases(cursor, phrases)
    parts: list[str] = []
    joiner = " & "
    for kind, text, negated in items:
        if kind == "or":
            joiner = " | " if parts else " & "
            continue
        tsquery = by_word[text].tsquery if kind == "word" else phrase_queries[text]
        if not tsquery:
            continue
        tsquery = f"!({tsquery})" if negated else f"({tsquery})"
        parts.append(f"{joiner}{tsquery}" if parts else tsquery)
        joiner = " & "
    if not parts:
        return None
    return PreparedQuery(tsquery=RawTsQuery("".join(parts)), terms=terms)
