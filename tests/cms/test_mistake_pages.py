"""The public pages of the best mistake of the year: only the result, never who nominated."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import LessonPage, MistakeYearPage, ResultPage
from ideasluss.ideas.models import IdeaState, NominationState
from ideasluss.ideas.services import vote_cast
from tests.factories import IdeaFactory, NominationFactory, UserFactory
from workflows.ideas.services import winner_declare
from workflows.transitions import transition_perform

pytestmark = pytest.mark.django_db

N = NominationState
THIS_YEAR = timezone.localdate().year
ARCHIVE = "/arets-basta-misstag/"


@pytest.fixture(autouse=True)
def empty_cache():
    """Stored pages must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publish_year(site_tree):
    """A year page under the archive, published unless `live=False`."""

    def publish(year: int, *, live: bool = True, **fields) -> MistakeYearPage:
        fields.setdefault("title", f"Årets bästa misstag {year}")
        page = MistakeYearPage(year=year, slug=str(year), live=False, **fields)
        site_tree["arets-basta-misstag"].add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        page.refresh_from_db()
        return page

    return publish


def year_url(year: int) -> str:
    return f"{ARCHIVE}{year}/"


def count_queries(client, url) -> int:
    cache.clear()  # count a rendering, not a stored copy
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def nominator(db):
    return UserFactory(
        username="greta.nominerar",
        first_name="Greta",
        last_name="Garbosson",
        email="greta.garbosson@kommun.example.se",
    )


@pytest.fixture
def a_year(publish_year, nominator):
    """This year's page: a winner, two shortlisted, one of each state that stays hidden."""
    publish_year(THIS_YEAR, introduction="Misstagen som lärde oss mest.")
    NominationFactory(
        title="Låsen som inte passade",
        story="Vi köpte 40 lås innan vi mätte en enda dörr.",
        state=N.WINNER,
        jury_motivation="Ärligt berättat och lätt att lära av.",
        nominated_by=nominator,
    )
    NominationFactory(title="Appen ingen öppnade", state=N.SHORTLISTED, nominated_by=nominator)
    NominationFactory(title="Skyltarna på fel språk", state=N.SHORTLISTED)
    NominationFactory(title="Bara nominerad", state=N.NOMINATED, nominated_by=nominator)
    NominationFactory(title="Bortvald idé", state=N.NOT_CHOSEN, nominated_by=nominator)
    NominationFactory(title="Utan samtycke", state=N.SHORTLISTED, consent_confirmed=False)


# The year page --------------------------------------------------------------------------


def test_anonymous_visitors_read_the_year_page(client, a_year):
    response = client.get(year_url(THIS_YEAR))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="sv">' in page
    assert "Misstagen som lärde oss mest." in page
    assert f"Årets bästa misstag {THIS_YEAR}" in page
    assert "Låsen som inte passade" in page
    assert "Vi köpte 40 lås innan vi mätte en enda dörr." in page
    assert "Juryns motivering" in page
    assert "Ärligt berättat och lätt att lära av." in page
    assert "De andra finalisterna" in page
    assert "Appen ingen öppnade" in page
    assert "Skyltarna på fel språk" in page


def test_the_year_page_shows_only_the_winner_and_the_shortlisted_with_consent(client, a_year):
    page = client.get(year_url(THIS_YEAR)).content.decode()
    assert "Bara nominerad" not in page
    assert "Bortvald idé" not in page
    assert "Utan samtycke" not in page


def test_the_year_page_never_names_who_nominated(client, a_year):
    page = client.get(year_url(THIS_YEAR)).content.decode()
    for personal in ("Greta", "Garbosson", "greta.nominerar", "greta.garbosson@", "@example.se"):
        assert personal not in page


def test_a_year_without_a_winner_shows_no_nominees(client, publish_year):
    publish_year(THIS_YEAR)
    NominationFactory(title="Finalist före resultatet", state=N.SHORTLISTED)
    page = client.get(year_url(THIS_YEAR)).content.decode()
    assert "Juryn har inte utsett någon vinnare ännu." in page
    assert "Finalist före resultatet" not in page


def test_the_winner_links_to_the_live_lesson_about_its_idea(client, publish_year, publish_story):
    idea = IdeaFactory(state=IdeaState.LEARNED)
    lesson = publish_story(LessonPage, title="Lärdomen om låsen", slug="lasen", idea=idea)
    publish_year(THIS_YEAR)
    NominationFactory(title="Låsen", state=N.WINNER, idea=idea)
    page = client.get(year_url(THIS_YEAR)).content.decode()
    assert f'href="{lesson.url}"' in page
    assert "Läs hela berättelsen: Lärdomen om låsen" in page


def test_a_draft_story_page_is_not_linked(client, publish_year, publish_story):
    idea = IdeaFactory(state=IdeaState.LEARNED)
    publish_story(LessonPage, title="Utkast om låsen", slug="utkast", idea=idea, live=False)
    publish_year(THIS_YEAR)
    NominationFactory(title="Låsen", state=N.WINNER, idea=idea)
    page = client.get(year_url(THIS_YEAR)).content.decode()
    assert "Utkast om låsen" not in page
    assert "/lardomar/utkast/" not in page


def test_a_draft_year_page_is_404(client, publish_year):
    publish_year(THIS_YEAR, live=False)
    NominationFactory(title="Hemlig vinnare", state=N.WINNER)
    response = client.get(year_url(THIS_YEAR))
    assert response.status_code == 404
    assert "Hemlig vinnare" not in response.content.decode()


def test_the_year_page_is_in_english_too(client, a_year):
    client.cookies["django_language"] = "en"
    page = client.get(year_url(THIS_YEAR)).content.decode()
    assert '<html lang="en">' in page
    assert "The jury&#x27;s motivation" in page or "The jury's motivation" in page
    assert "The other finalists" in page


def test_the_jurys_result_reaches_the_public_page_saying_the_jury_chose_it(
    client, publish_year, coach, chair
):
    publish_year(THIS_YEAR)
    nomination = NominationFactory(title="Låsen som inte passade", state=N.SHORTLISTED)
    assert "Låsen som inte passade" not in client.get(year_url(THIS_YEAR)).content.decode()
    vote_cast(nomination=nomination, by=coach)
    vote_cast(nomination=nomination, by=chair)
    winner_declare(year=THIS_YEAR, by=chair, motivation="Modigt.")
    page = client.get(year_url(THIS_YEAR)).content.decode()
    assert "Låsen som inte passade" in page
    assert "Modigt." in page
    assert "Utsett av juryn – beslutsgruppen och innovationscoacherna – genom omröstning" in page
    assert "2 röster" not in page  # the public page tells who chose, not the count
    transition_perform(name="withdraw_winner", obj=nomination, by=chair, message="Fel år.")
    assert "Låsen som inte passade" not in client.get(year_url(THIS_YEAR)).content.decode()


# The archive ----------------------------------------------------------------------------


def test_the_archive_lists_live_years_newest_first_with_their_winners(client, publish_year):
    publish_year(THIS_YEAR - 2)
    publish_year(THIS_YEAR)
    publish_year(THIS_YEAR - 1)
    publish_year(THIS_YEAR - 3, live=False)
    NominationFactory(year=THIS_YEAR - 2, title="Vinnaren för två år sedan", state=N.WINNER)
    NominationFactory(year=THIS_YEAR, title="Årets vinnare", state=N.WINNER)
    NominationFactory(year=THIS_YEAR - 1, title="Bara en finalist", state=N.SHORTLISTED)
    response = client.get(ARCHIVE)
    assert response.status_code == 200
    page = response.content.decode()
    positions = [
        page.index(f"Årets bästa misstag {year}") for year in range(THIS_YEAR, THIS_YEAR - 3, -1)
    ]
    assert positions == sorted(positions)
    assert f"Årets bästa misstag {THIS_YEAR - 3}" not in page
    assert "Vinnare: Årets vinnare" in page
    assert "Vinnare: Vinnaren för två år sedan" in page
    assert "Bara en finalist" not in page
    assert f'href="{year_url(THIS_YEAR)}"' in page


def test_the_archive_says_when_nothing_is_published(client, site_tree):
    assert "Inget år har publicerats ännu." in client.get(ARCHIVE).content.decode()


# Query counts ---------------------------------------------------------------------------


def make_years(publish_year, years):
    for year in years:
        publish_year(year)
        NominationFactory(year=year, state=N.WINNER)
        NominationFactory(year=year, state=N.SHORTLISTED)


def test_the_archive_runs_the_same_queries_for_2_and_10_years(client, publish_year):
    make_years(publish_year, range(THIS_YEAR - 1, THIS_YEAR + 1))
    few = count_queries(client, ARCHIVE)
    make_years(publish_year, range(THIS_YEAR - 9, THIS_YEAR - 1))
    assert count_queries(client, ARCHIVE) == few


def make_nominees(publish_story, count, *, start=0):
    for index in range(start, start + count):
        idea = IdeaFactory(state=IdeaState.LEARNED)
        model = LessonPage if index % 2 else ResultPage
        publish_story(model, title=f"Berättelse {index}", slug=f"berattelse-{index}", idea=idea)
        NominationFactory(state=N.SHORTLISTED, idea=idea)


def test_the_year_page_runs_the_same_queries_for_2_and_10_nominees(
    client, publish_year, publish_story
):
    publish_year(THIS_YEAR)
    NominationFactory(state=N.WINNER, idea=IdeaFactory(state=IdeaState.LEARNED))
    make_nominees(publish_story, 2)
    few = count_queries(client, year_url(THIS_YEAR))
    make_nominees(publish_story, 8, start=2)
    NominationFactory.create_batch(5, state=N.NOT_CHOSEN)
    assert count_queries(client, year_url(THIS_YEAR)) == few


def test_a_stored_year_page_is_served_without_queries(client, a_year):
    client.get(year_url(THIS_YEAR))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(year_url(THIS_YEAR))
    assert response.status_code == 200
    assert len(queries) == 0
