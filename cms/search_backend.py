"""The public site's search backend (WAGTAILSEARCH_BACKENDS): Wagtail's database backend,
which on PostgreSQL understands Swedish as the idea bank's search does.

Pages are indexed with the `swedish_compound` configuration (SEARCH_CONFIG), and each
word of a query is widened by `ideasluss.search.query` against the vocabulary of the
page index: "cykel" finds the lesson "Elcyklar i hemtjänsten", "bilbokning" a page about
booking cars, "cykell" still finds the bikes. On SQLite, Wagtail's own SQLite backend.
After changing the configuration run `manage.py update_index` (docs/search.md).
"""

from modelsearch.backends.database import SearchBackend as database_search_backend
from modelsearch.backends.database.postgres.postgres import (
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from modelsearch.query import PlainText

from ideasluss.search.models import SearchWord
from ideasluss.search.query import RawTsQuery, build_terms, words_of


class SwedishSearchQueryCompiler(PostgresSearchQueryCompiler):
    def build_tsquery_content(self, query, config=None, invert=False):
        if not isinstance(query, PlainText):
            return super().build_tsquery_content(query, config=config, invert=invert)
        # The results and their count compile the query separately: look words up once.
        cache = self.__dict__.setdefault("_swedish_tsqueries", {})
        key = (query.query_string, query.operator, invert)
        if key not in cache:
            terms, _ = build_terms(words_of(query.query_string), source=SearchWord.Source.PAGES)
            joiner = " & " if query.operator == "and" else " | "
            text = joiner.join(f"({term.tsquery})" for term in terms if term.tsquery)
            cache[key] = f"!({text})" if invert and text else text
        return RawTsQuery(cache[key])


class SwedishPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = SwedishSearchQueryCompiler


def SearchBackend(params):  # the name Wagtail looks for in a backend module
    backend = database_search_backend(params)
    if isinstance(backend, PostgresSearchBackend):
        return SwedishPostgresSearchBackend(params)
    return backend
