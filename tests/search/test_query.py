"""Turning typed words into a tsquery (`ideasluss.search.query`)."""

import pytest
from django.db import connection

from ideasluss.ideas.models import IdeaState
from ideasluss.search.models import SearchWord
from ideasluss.search.query import build_terms, can_match, prepare_search, quote
from tests.factories import IdeaFactory


def test_can_match_follows_and_or_and_not():
    present = {"bil", "bokning"}.__contains__
    assert can_match("'bil' & 'bokning'", present)
    assert not can_match("'bil' & 'kalender'", present)
    assert can_match("('kalender':* | 'bil') & ('bokning' | 'x')", present)
    assert can_match("'bil' & !'kalender'", present)
    assert not can_match("", present)


def test_quote_escapes_what_tsquery_syntax_would_read():
    assert quote("it's") == "'it''s'"
    assert quote("a\\b", prefix=True) == "'a\\\\b':*"


@pytest.mark.postgres
@pytest.mark.django_db
def test_terms_widen_a_word_to_its_compounds_and_correct_a_misspelling():
    IdeaFactory(state=IdeaState.SUBMITTED, title="Elcyklar i hemtjänsten", problem="")
    IdeaFactory(state=IdeaState.SUBMITTED, title="Cykelpool för personalen", problem="")
    IdeaFactory(
        state=IdeaState.SUBMITTED, title="Bokningskalender för bilarna", problem="", description=""
    )
    terms, total = build_terms(["cykel", "kalender", "cykell", "och"], source="ideas")
    by_word = {term.word: term for term in terms}
    assert total >= 2
    assert "'elcykel'" in by_word["cykel"].tsquery
    assert "'bokningskalend'" in by_word["kalender"].tsquery
    assert by_word["cykell"].corrected == "cykel"
    assert by_word["och"].tsquery == ""  # a stop word


@pytest.mark.postgres
@pytest.mark.django_db
def test_typed_tsquery_syntax_stays_plain_words():
    IdeaFactory(state=IdeaState.SUBMITTED, title="Cykelpool för personal", problem="")
    query = prepare_search("cykelpool & !:* | <-> ' \\ ( personal", source="ideas")
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsquery IS NOT NULL", [query.tsquery.text])
        assert cursor.fetchone()[0]
    assert prepare_search("och så", source=SearchWord.Source.IDEAS) is None
