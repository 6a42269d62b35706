"""The `swedish_compound` configuration, its fallback without the dictionary, the
vocabulary the triggers keep, and `manage.py search_configuration` (PostgreSQL)."""

import pytest
from django.core.management import call_command
from django.db import connection

from ideasluss.ideas.models import Idea, IdeaState
from ideasluss.search.configuration import CONFIG, create_configuration, uses_dictionary
from ideasluss.search.models import SearchWord
from tests.factories import IdeaFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def lexemes(text: str, config: str = CONFIG) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexeme FROM unnest(to_tsvector(%s::regconfig, %s))", [config, text])
        return {row[0] for row in cursor.fetchall()}


def test_the_dictionary_splits_compounds_and_gives_base_forms():
    assert uses_dictionary(connection), (
        "Install hunspell-sv and run pg_updatedicts (as .ci/run does), then migrate again."
    )
    assert {"bil", "bokning"} <= lexemes("bilbokning")
    assert {"hemtjänst", "personal"} <= lexemes("hemtjänstpersonalen")
    assert "elcykel" in lexemes("elcyklarna")


def test_without_the_dictionary_files_the_configuration_is_plain_swedish():
    used = create_configuration(
        connection,
        config="swedish_compound_fallback",
        dictionary="swedish_hunspell_fallback",
        dictionary_files="no_such_dictionary",
    )
    assert used is False
    assert not uses_dictionary(connection, config="swedish_compound_fallback")
    text = "Bokningskalender för hemtjänstens bilar och elcyklarna"
    assert lexemes(text, "swedish_compound_fallback") == lexemes(text, "swedish")
    # A second run finds what the first made and fails no more than it did.
    assert (
        create_configuration(
            connection,
            config="swedish_compound_fallback",
            dictionary="swedish_hunspell_fallback",
            dictionary_files="no_such_dictionary",
        )
        is False
    )


def documents(word: str) -> int:
    found = SearchWord.objects.filter(source=SearchWord.Source.IDEAS, word=word).first()
    return found.documents if found else 0


def test_the_vocabulary_counts_the_ideas_outside_drafts_that_hold_a_word():
    before = documents("")
    draft = IdeaFactory(title="Lastcyklar för förskolan", problem="", description="")
    assert documents("cykel") == 0
    assert documents("") == before

    Idea.objects.filter(pk=draft.pk).update(state=IdeaState.SUBMITTED)
    assert documents("cykel") == 1  # "lastcyklar": "last", "cykel"
    assert documents("") == before + 1

    IdeaFactory(state=IdeaState.SUBMITTED, title="Lastcyklar till äldreboendet")
    assert documents("cykel") == 2

    Idea.objects.filter(pk=draft.pk).update(title="Elcyklar för förskolan")
    assert documents("cykel") == 1
    assert documents("elcykel") == 1

    Idea.objects.filter(pk=draft.pk).delete()
    assert documents("elcykel") == 0
    assert documents("") == before + 1


def test_an_update_that_changes_no_text_touches_no_word():
    idea = IdeaFactory(state=IdeaState.SUBMITTED, title="Sensorer i papperskorgarna")
    counted = documents("sensor")
    Idea.objects.filter(pk=idea.pk).update(state=IdeaState.PLANNING)
    assert documents("sensor") == counted


def test_search_configuration_rebuilds_and_says_what_it_did(capsys):
    IdeaFactory(state=IdeaState.SUBMITTED, title="Trygghetslarm för äldre")
    SearchWord.objects.filter(source=SearchWord.Source.IDEAS).delete()
    call_command("search_configuration", skip_pages=True)
    output = capsys.readouterr().out
    assert "the Hunspell dictionary splits compounds" in output
    assert "computed every search document again" in output
    assert documents("trygghetslarm") == 1
