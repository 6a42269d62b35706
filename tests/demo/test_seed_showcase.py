"""`seed_demo` builds the whole public site: stories, best mistakes, pictures, introductions.

The demo is seeded twice once for the module, inside a transaction that is rolled
back afterwards (seeding takes seconds; the checks are many).
"""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_fsm_log.models import StateLog
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.locales import originals
from cms.models import (
    FundPage,
    HomePage,
    LessonIndexPage,
    LessonPage,
    MistakeArchivePage,
    MistakeYearPage,
    ResultIndexPage,
    ResultPage,
)
from ideasluss.demo.data import load
from ideasluss.demo.pictures import COLLECTION
from ideasluss.ideas.models import IdeaState, Nomination, NominationState
from ideasluss.ideas.selectors import jury_tally, nomination_open_years

PUBLIC_SECTIONS = ("/", "/resultat/", "/lardomar/", "/arets-basta-misstag/", "/fonden/")
INFORMATION_ADDRESSES = ("/tillganglighet/", "/personuppgifter/", "/hjalp/")


def showcase_counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": sum(page.revisions.count() for page in Page.objects.all()),
        "results": ResultPage.objects.count(),
        "lessons": LessonPage.objects.count(),
        "years": MistakeYearPage.objects.count(),
        "nominations": Nomination.objects.count(),
        "images": get_image_model().objects.count(),
    }


def _delete_demo_files() -> None:
    """The rollback keeps the files of the pictures and their renditions: remove them."""
    for image in get_image_model().objects.all():
        for rendition in image.renditions.all():
            rendition.file.delete(save=False)
        image.file.delete(save=False)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Counts after the first run; the database then holds the second run's result."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        first = showcase_counts()
        call_command("seed_demo", verbosity=0)
        yield first
        _delete_demo_files()
        transaction.set_rollback(True)
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def site(seeded, db):
    return seeded


def test_second_run_adds_nothing(site):
    assert showcase_counts() == site


def test_three_live_results_about_scaled_ideas_with_consent(site):
    results = originals(ResultPage.objects.live()).select_related("idea")
    assert results.count() == originals(ResultPage.objects.all()).count() == 3
    for page in results:
        assert page.idea.state == IdeaState.SCALED
        assert page.idea.publication_consent
        assert page.summary and page.hero_image and page.hero_image_alt
        assert not page.has_unpublished_changes
    assert all(page.get_parent().specific_class is ResultIndexPage for page in results)


def test_three_live_lessons_about_learned_ideas_with_consent(site):
    lessons = originals(LessonPage.objects.live()).select_related("idea")
    assert lessons.count() == originals(LessonPage.objects.all()).count() == 3
    for page in lessons:
        assert page.idea.state == IdeaState.LEARNED
        assert page.idea.publication_consent
        assert page.what_was_tried and page.what_we_learned and page.advice
        assert page.summary and page.hero_image and page.hero_image_alt
    assert all(page.get_parent().specific_class is LessonIndexPage for page in lessons)


def test_stories_use_every_block_but_video_and_every_image_block_has_alt_text(site):
    used = set()
    for page in [*ResultPage.objects.all(), *LessonPage.objects.all()]:
        used |= {block.block_type for block in page.body}
        for block in page.body:
            if block.block_type == "image":
                image = block.value["image"]
                assert not image.decorative
                assert image.contextual_alt_text.strip()
                assert block.value["caption"]
    assert used == {"paragraph", "image", "quote", "fact_box"}


def test_every_picture_is_its_own_1600_by_1000_jpeg_with_alt_text(site):
    images = get_image_model().objects.filter(collection__name=COLLECTION)
    assert images.count() == 12
    assert len({image.file_hash for image in images}) == 12
    for image in images:
        assert image.description.strip()
        assert (image.width, image.height) == (1600, 1000)
        assert image.file.name.endswith(".jpg")
    stories = [*ResultPage.objects.all(), *LessonPage.objects.all()]
    assert len({page.hero_image_id for page in stories}) == 6


def test_two_years_of_best_mistakes_each_with_one_winner(site):
    this_year = timezone.localdate().year
    years = originals(MistakeYearPage.objects.live())
    assert sorted(years.values_list("year", flat=True)) == [this_year - 1, this_year]
    assert all(page.get_parent().specific_class is MistakeArchivePage for page in years)
    for year in (this_year - 1, this_year):
        nominations = Nomination.objects.filter(year=year)
        winners = nominations.filter(state=NominationState.WINNER)
        assert winners.count() == 1
        assert winners.get().jury_motivation
        others = nominations.exclude(state=NominationState.WINNER)
        assert 3 <= others.count() <= 4
        assert set(others.values_list("state", flat=True)) <= {
            NominationState.NOMINATED,
            NominationState.SHORTLISTED,
            NominationState.NOT_CHOSEN,
        }
        shown = nominations.filter(state__in=[NominationState.WINNER, NominationState.SHORTLISTED])
        assert all(nomination.consent_confirmed for nomination in shown)
    assert Nomination.objects.filter(idea__state=IdeaState.LEARNED).exists()


def test_each_years_best_mistake_is_the_jurys_vote_declared_by_the_chair(site):
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        tally = jury_tally(year=year)
        winner = Nomination.objects.get(year=year, state=NominationState.WINNER)
        assert tally.has_quorum
        assert winner in tally.leaders
        declared = StateLog.objects.for_(winner).get(transition="declare_winner")
        assert declared.by.username == "fia"  # the committee chair chairs the jury
        assert declared.description.startswith("Fastställt av juryns ordförande")
    # This year's votes are tied, and the chair's vote breaks the tie.
    this_years = StateLog.objects.get(transition="declare_winner", timestamp__year=this_year)
    assert "avgjort av ordförandens röst" in this_years.description


def test_the_demo_is_open_for_next_years_nominations(site):
    this_year = timezone.localdate().year
    assert nomination_open_years() == [this_year + 1]


def test_every_section_has_an_introduction(site):
    for model in (HomePage, ResultIndexPage, LessonIndexPage, MistakeArchivePage, FundPage):
        page = originals(model.objects.all()).get()
        assert page.live
        assert page.introduction.strip()


def test_story_pages_are_in_the_search_index(site):
    found = Page.objects.live().search("tallriksvåg")
    assert "matsvinn-i-skolkoket" in {page.slug for page in found}


@pytest.mark.postgres
def test_the_public_search_finds_the_lesson_about_electric_bikes_by_a_part(site, client):
    for query in ("cykel", "elcykel", "cyklarna"):
        content = client.get("/sok/", {"q": query}).content.decode()
        assert "Elcyklar räcker inte" in content, query


def test_anonymous_reader_gets_every_public_page(site, client):
    stories = [*originals(ResultPage.objects.live()), *originals(LessonPage.objects.live())]
    years = list(originals(MistakeYearPage.objects.live()))
    client.raise_request_exception = False
    urls = [*PUBLIC_SECTIONS, *(page.url for page in [*stories, *years])]
    statuses = {url: client.get(url).status_code for url in urls}
    assert statuses == dict.fromkeys(urls, 200)
    home = client.get("/").content.decode()
    assert "Testa, lär, gör" in home


# --- the English versions -------------------------------------------------------------------


def english_pages():
    return Page.objects.live().filter(locale__language_code="en").specific()


def test_every_public_demo_page_has_a_live_english_version(site):
    swedish = Page.objects.live().filter(locale__language_code="sv", depth__gt=1)
    english = {page.translation_key: page for page in english_pages()}
    missing = [page.url_path for page in swedish if page.translation_key not in english]
    assert not missing
    # Home, 4 sections, 3 information pages, 3 results, 3 lessons, 2 years.
    assert len(english) == 16
    for page in english.values():
        assert not page.has_unpublished_changes
        assert page.url == page.get_translation(page.locale.get_default()).url


def test_english_stories_keep_the_originals_blocks_and_idea(site):
    english_alt_texts = set(load("showcase_en")["alt"].values())
    for model in (ResultPage, LessonPage):
        for page in model.objects.filter(locale__language_code="en"):
            original = page.get_translation(page.locale.get_default()).specific
            assert page.idea_id == original.idea_id
            assert [b.block_type for b in page.body] == [b.block_type for b in original.body]
            assert page.title != original.title and page.hero_image_alt != original.hero_image_alt
            for block in page.body:
                if block.block_type == "image":
                    assert block.value["image"].contextual_alt_text in english_alt_texts


def test_english_reader_gets_the_english_demo(site, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    urls = [*PUBLIC_SECTIONS, *INFORMATION_ADDRESSES]
    for page in english_pages():
        urls.append(page.url)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "not yet available in English" not in response.content.decode(), url
    home = client.get("/").content.decode()
    assert "road from an idea to an improvement" in home
    assert "Digital locks give home care more time" in home
    results = client.get("/resultat/").content.decode()
    assert "The plate scale that cut food waste" in results
    assert "Tallriksvågen" not in results


def test_the_information_pages_are_in_both_languages(site, client):
    for url, swedish, english in (
        ("/tillganglighet/", "Tillgänglighetsredogörelse", "Accessibility statement"),
        ("/personuppgifter/", "Behandling av personuppgifter", "Processing of personal data"),
        ("/hjalp/", "Hjälp och kontakt", "Help and contact"),
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
        assert f"<h1>{swedish}</h1>" in client.get(url).content.decode()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert f"<h1>{english}</h1>" in client.get(url).content.decode()
