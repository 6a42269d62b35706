"""What a grant became in money on the public pages: granted, spent, returned and what is
left, the same figure the staff pages show (`money.GrantBalance`)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.models import LessonPage, ResultPage
from ideasluss.fund.services import money_return
from ideasluss.ideas.models import IdeaState
from tests.factories import ApplicationFactory, FundFactory, IdeaFactory
from tests.fund.money_helpers import end_idea, grant_with_costs, left_on

pytestmark = pytest.mark.django_db

FUND_PAGE = "/fonden/"


def plain(response) -> str:
    return response.content.decode().replace("\xa0", " ")


@pytest.fixture
def fund(db):
    return FundFactory(capital=500_000, delegated_limit=100_000)


@pytest.fixture
def staff_client(coach):
    client = Client()
    client.force_login(coach)
    return client


@pytest.mark.parametrize(
    "model, final_state", [(ResultPage, IdeaState.SCALED), (LessonPage, IdeaState.LEARNED)]
)
def test_left_is_the_same_on_every_page_after_costs_and_a_return(
    client, staff_client, publish_story, fund, coach, model, final_state
):
    """The tester's case: 35,000 kr granted, 10,000 kr spent, 25,000 kr returned."""
    application = ApplicationFactory(fund=fund, total=35_000)
    grant_with_costs(application, by=coach, costs=[6_000, 4_000])
    end_idea(application, final_state)
    story = publish_story(model, title="Låsen", slug="lasen", idea=application.idea)
    staff_pages = [
        reverse("fund:follow-up"),
        application.get_absolute_url(),
        application.idea.get_absolute_url(),
    ]

    def left_everywhere() -> set[str]:
        cache.clear()
        figures = {url: set(left_on(staff_client.get(url).content.decode())) for url in staff_pages}
        for url in (story.url, FUND_PAGE):
            figures[url] = set(left_on(client.get(url).content.decode()))
        assert all(len(each) == 1 for each in figures.values()), figures
        return set.union(*figures.values())

    assert left_everywhere() == {"25 000 kr"}
    money_return(application=application, by=coach, amount=25_000)
    assert left_everywhere() == {"0 kr"}

    public = plain(client.get(story.url))
    for text in (
        "Beviljat av innovationsfonden</dt><dd>35 000 kr",
        "Använt hittills</dt><dd>10 000 kr",
        "Återfört till fonden</dt><dd>25 000 kr",
    ):
        assert text in public
    assert "Återfört till fonden" in plain(client.get(FUND_PAGE))


def test_a_story_adds_up_the_grants_of_all_the_ideas_applications(
    client, publish_story, fund, coach
):
    idea = IdeaFactory(state=IdeaState.TESTING)
    first = ApplicationFactory(fund=fund, idea=idea, total=20_000)
    grant_with_costs(first, by=coach, costs=[5_000])
    second = ApplicationFactory(fund=fund, idea=idea, total=10_000)
    grant_with_costs(second, by=coach, costs=[2_000])
    end_idea(first, IdeaState.LEARNED)
    money_return(application=first, by=coach)  # 15,000 kr back; 8,000 kr left of the second
    page = publish_story(LessonPage, title="Två försök", slug="tva", idea=idea)
    content = plain(client.get(page.url))
    assert left_on(content) == ["8 000 kr"]
    assert "Återfört till fonden</dt><dd>15 000 kr" in content


def test_an_overspent_grant_says_so_in_public(client, publish_story, fund, coach):
    application = ApplicationFactory(fund=fund, total=10_000)
    grant_with_costs(application, by=coach, costs=[12_000])
    end_idea(application, IdeaState.SCALED)
    page = publish_story(ResultPage, title="Dyrt", slug="dyrt", idea=application.idea)
    assert left_on(plain(client.get(page.url))) == ["Överförbrukat med 2 000 kr"]


def test_the_fund_page_runs_as_many_queries_for_2_returned_grants_as_for_12(
    client, site_tree, fund, coach, django_assert_max_num_queries
):
    def returned_grants(count):
        for _ in range(count):
            application = ApplicationFactory(fund=fund, total=1_000)
            grant_with_costs(application, by=coach, costs=[400])
            end_idea(application, IdeaState.LEARNED)
            money_return(application=application, by=coach)

    returned_grants(2)
    client.get(FUND_PAGE)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(FUND_PAGE).status_code == 200
    returned_grants(10)
    cache.clear()
    with django_assert_max_num_queries(len(few)):
        response = client.get(FUND_PAGE)
    assert left_on(plain(response)) == ["0 kr"] * 12
