"""Swedish full-text search on PostgreSQL: the text search configuration, the vocabulary
of indexed words, and the query that understands compounds, inflections and misspellings.

The idea bank (`ideasluss.ideas.search`) and the public site's search
(`cms.search_backend`) both use it; it knows neither. See docs/search.md.
"""
