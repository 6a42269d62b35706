"""The home page: live figures from the domain, the latest results and best mistake."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.figures import compute_home_figures, home_figures
from cms.models import MistakeYearPage, ResultPage
from ideasluss.accounts.roles import Role
from ideasluss.fund.models import DecisionKind
from ideasluss.ideas.models import Idea, IdeaState
from tests.factories import (
    ApplicationFactory,
    FundFactory,
    IdeaFactory,
    NominationFactory,
    UserFactory,
    WagtailImageFactory,
)
from workflows.fund.services import decision_record

pytestmark = pytest.mark.django_db

STATES = {
    IdeaState.DRAFT: 2,
    IdeaState.SUBMITTED: 3,
    IdeaState.PLANNING: 1,
    IdeaState.TESTING: 4,
    IdeaState.TESTED: 1,
    IdeaState.SCALED: 2,
    IdeaState.LEARNED: 3,
    IdeaState.DECLINED: 1,
    IdeaState.WITHDRAWN: 1,
}


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached figures and pages must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coach(db):
    return UserFactory(username="coach", roles=[Role.STAFF, Role.COACH])


@pytest.fixture
def fund(db):
    return FundFactory(capital=1_000_000, delegated_limit=100_000)


def decide(*, fund, coach, kind=DecisionKind.APPROVE, total=10_000, **kwargs):
    application = ApplicationFactory(fund=fund, total=total)
    return decision_record(
        application=application, by=coach, kind=kind, rationale="Ett bra test.", **kwargs
    )


def make_ideas():
    for state, count in STATES.items():
        IdeaFactory.create_batch(count, state=state)


def test_figures_equal_the_database(fund, coach):
    make_ideas()
    decide(fund=fund, coach=coach, total=20_000)
    lowered = decide(
        fund=fund, coach=coach, kind=DecisionKind.APPROVE_LOWER, total=30_000, amount=12_000
    )
    decide(fund=fund, coach=coach, kind=DecisionKind.REJECT, total=40_000)
    # A correction: the first grant of 15 000 is superseded by one of 9 000.
    first = decide(fund=fund, coach=coach, total=15_000)
    decision_record(
        application=first.application,
        by=coach,
        kind=DecisionKind.APPROVE_LOWER,
        rationale="Rättelse: lägre belopp.",
        amount=9_000,
        supersedes=first,
    )
    last_year = timezone.now() - datetime.timedelta(days=366)
    with mock.patch("workflows.fund.services.timezone.now", return_value=last_year):
        decide(fund=fund, coach=coach, total=50_000)

    figures = home_figures()

    # The application factory also made ideas (planning), one per application.
    assert figures.ideas_submitted == Idea.objects.exclude(state=IdeaState.DRAFT).count()
    assert figures.tests_running == 4
    assert figures.scaled == 2
    assert figures.learned == 3
    assert lowered.amount == 12_000
    assert figures.granted_this_year == 20_000 + 12_000 + 9_000
    assert figures.year == timezone.localdate().year
    assert compute_home_figures(year=last_year.year).granted_this_year == 50_000


def test_home_page_shows_the_figures(client, site_tree, fund, coach):
    make_ideas()
    decide(fund=fund, coach=coach, total=25_000)
    content = client.get("/").content.decode()
    figures = compute_home_figures(year=timezone.localdate().year)
    assert "Idéslussen i siffror" in content
    assert f'<span class="figure__number">{figures.tests_running}</span>' in content
    assert f'<span class="figure__number">{figures.ideas_submitted}</span>' in content
    assert "25\xa0000 kr" in content or "25 000 kr" in content


def test_a_new_idea_state_or_decision_shows_at_once_despite_the_cache(fund, coach):
    assert home_figures().tests_running == 0
    IdeaFactory(state=IdeaState.TESTING)
    assert home_figures().tests_running == 1
    decide(fund=fund, coach=coach, total=7_000)
    assert home_figures().granted_this_year == 7_000


def test_figures_are_cached_between_changes(django_assert_num_queries):
    home_figures()
    with django_assert_num_queries(0):
        home_figures()


def test_home_shows_the_three_newest_results(client, site_tree, publish_story):
    for number in range(4):
        publish_story(ResultPage, title=f"Resultat {number}", slug=f"resultat-{number}")
    publish_story(ResultPage, title="Utkastet", slug="utkast", live=False)
    content = client.get("/").content.decode()
    assert "Resultat 3" in content and "Resultat 2" in content and "Resultat 1" in content
    assert "Resultat 0" not in content
    assert "Utkastet" not in content
    assert 'href="/resultat/"' in content


def test_home_shows_the_latest_best_mistake_and_its_winner(client, site_tree):
    archive = site_tree["arets-basta-misstag"]
    for year in (2024, 2025):
        page = MistakeYearPage(title=f"Årets bästa misstag {year}", slug=str(year), year=year)
        archive.add_child(instance=page)
        page.save_revision().publish()
    NominationFactory(
        year=2025,
        state="winner",
        title="Låsen som inte passade",
        jury_motivation="Modigt att dela med sig.",
    )
    NominationFactory(year=2025, state="shortlisted", title="Ett annat misstag")
    NominationFactory(
        year=2024, state="winner", title="Förra årets vinnare", jury_motivation="Lärorikt."
    )
    content = client.get("/").content.decode()
    assert "Årets bästa misstag 2025" in content
    assert "Låsen som inte passade" in content
    assert "Modigt att dela med sig." in content
    assert "Förra årets vinnare" not in content
    assert "Ett annat misstag" not in content


def test_home_page_queries_do_not_grow_with_results(client, site_tree, publish_story):
    image = WagtailImageFactory()

    def count() -> int:
        client.get("/")  # renditions are made on the first view
        cache.clear()  # count a page rendered from scratch, figures included
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    for number in range(2):
        publish_story(
            ResultPage,
            title=f"Resultat {number}",
            slug=f"r-{number}",
            hero_image=image,
            hero_image_alt="Låsboxen",
        )
    few = count()
    for number in range(2, 12):
        publish_story(
            ResultPage,
            title=f"Resultat {number}",
            slug=f"r-{number}",
            hero_image=image,
            hero_image_alt="Låsboxen",
        )
    assert count() == few
    assert few <= 15
