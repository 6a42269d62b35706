"""`seed_demo` builds the whole public site: stories, best mistakes, pictures, introductions.

The demo is seeded twice once for the module, inside a transaction that is rolled
back afterwards (seeding takes seconds; the checks are many).
"""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_fsm_log.models import StateLog
from wagtail.images import get_image_model
from wagtail.models import Page

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
from ideasluss.demo.pictures import COLLECTION
from ideasluss.ideas.models import IdeaState, Nomination, NominationState
from ideasluss.ideas.selectors import jury_tally, nomination_open_years

PUBLIC_SECTIONS = ("/", "/resultat/", "/lardomar/", "/arets-basta-misstag/", "/fonden/")


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
    results = ResultPage.objects.live().select_related("idea")
    assert results.count() == ResultPage.objects.count() == 3
    for page in results:
        assert page.idea.state == IdeaState.SCALED
        assert page.idea.publication_consent
        assert page.summary and page.hero_image and page.hero_image_alt
        assert not page.has_unpublished_changes
    assert all(page.get_parent().specific_class is ResultIndexPage for page in results)


def test_three_live_lessons_about_learned_ideas_with_consent(site):
    lessons = LessonPage.objects.live().select_related("idea")
    assert lessons.count() == LessonPage.objects.count() == 3
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
    years = MistakeYearPage.objects.live()
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
        page = model.objects.get()
        assert page.live
        assert page.introduction.strip()


def test_story_pages_are_in_the_search_index(site):
    found = Page.objects.live().search("tallriksvåg")
    assert "matsvinn-i-skolkoket" in {page.slug for page in found}


def test_anonymous_reader_gets_every_public_page(site, client):
    stories = [*ResultPage.objects.live(), *LessonPage.objects.live()]
    years = list(MistakeYearPage.objects.live())
    client.raise_request_exception = False
    urls = [*PUBLIC_SECTIONS, *(page.url for page in [*stories, *years])]
    statuses = {url: client.get(url).status_code for url in urls}
    assert statuses == dict.fromkeys(urls, 200)
    home = client.get("/").content.decode()
    assert "Testa, lär, gör" in home
