"""Every public page type renders from scratch with a fixed number of queries.

Each page is counted with an empty cache (the page cache and the cached figures thrown
away) on a small site, then again after many more results, lessons, years, nominees and
fund decisions were added: the count must not grow.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import LessonPage, MistakeYearPage, ResultPage
from ideasluss.accounts.roles import Role
from tests.factories import (
    FundFactory,
    IdeaFactory,
    NominationFactory,
    UserFactory,
    WagtailImageFactory,
)
from tests.fund.conftest import bulk_decisions
from tests.fund.decision_helpers import delegated_decision

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


class PublicSite:
    """A public site that can be grown: stories, years with nominees, fund decisions."""

    def __init__(self, site_tree):
        self.tree = site_tree
        self.image = WagtailImageFactory()
        self.coach = UserFactory(username="coachen", roles=[Role.STAFF, Role.COACH])
        self.fund = FundFactory(name="Innovationsfonden")
        self.stories = 0
        self.decisions = []

    def add_stories(self, count: int) -> None:
        for _ in range(count):
            self.stories += 1
            number = self.stories
            for model, section, state in (
                (ResultPage, "resultat", "scaled"),
                (LessonPage, "lardomar", "learned"),
            ):
                page = model(
                    title=f"Cykelpool {number} {model._meta.model_name}",
                    slug=f"cykelpool-{number}",
                    summary="Medarbetarna delar cyklar mellan enheterna.",
                    idea=IdeaFactory(state=state),
                    hero_image=self.image,
                    hero_image_alt="Två cyklar vid ett ställ",
                    body=[{"type": "paragraph", "value": "<p>Så gick det till.</p>"}],
                )
                self.tree[section].add_child(instance=page)
                page.save_revision().publish()

    def add_decisions(self, count: int) -> None:
        for _ in range(count):
            self.decisions.append(delegated_decision(fund=self.fund, coach=self.coach))

    def add_bulk_decisions(self, count: int, start: int) -> None:
        bulk_decisions(fund=self.fund, by=self.coach, count=count, start=start)

    def add_years(self, years) -> None:
        for year in years:
            page = MistakeYearPage(title=f"Årets bästa misstag {year}", slug=str(year), year=year)
            self.tree["arets-basta-misstag"].add_child(instance=page)
            page.save_revision().publish()
            NominationFactory(year=year, title=f"Vinnaren {year}", state="winner")

    def add_shortlisted(self, count: int, start: int) -> None:
        for number in range(start, start + count):
            NominationFactory(
                year=THIS_YEAR,
                idea=IdeaFactory(state="learned"),
                title=f"Nominerad {number}",
                state="shortlisted",
            )

    def addresses(self) -> dict[str, str]:
        first_result = ResultPage.objects.order_by("pk").first()
        first_lesson = LessonPage.objects.order_by("pk").first()
        return {
            "home": "/",
            "results index": "/resultat/",
            "a result": first_result.url,
            "lessons index": "/lardomar/",
            "a lesson": first_lesson.url,
            "mistakes archive": "/arets-basta-misstag/",
            "a year": f"/arets-basta-misstag/{THIS_YEAR}/",
            "fund page": "/fonden/",
            "register": "/fonden/beslut/",
            "a decision": f"/fonden/beslut/{self.decisions[0].pk}/",
            "search": "/sok/?q=cykelpool",
            "rss feed": "/feed/rss/",
            "atom feed": "/feed/atom/",
            "sitemap": "/sitemap.xml",
        }


def cold_query_counts(client, addresses: dict[str, str]) -> dict[str, int]:
    for address in addresses.values():
        client.get(address)  # renditions and the like are made on a first view
    counts = {}
    for name, address in addresses.items():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200, (name, address, response.status_code)
        counts[name] = len(queries)
    return counts


def test_no_public_page_runs_more_queries_on_a_bigger_site(client, site_tree):
    site = PublicSite(site_tree)
    site.add_stories(2)
    site.add_decisions(2)
    site.add_years([THIS_YEAR, THIS_YEAR - 1])
    site.add_shortlisted(2, start=0)
    addresses = site.addresses()
    small = cold_query_counts(client, addresses)

    site.add_stories(11)
    site.add_decisions(3)
    site.add_bulk_decisions(30, start=100)
    site.add_years(range(THIS_YEAR - 6, THIS_YEAR - 1))
    site.add_shortlisted(8, start=2)
    large = cold_query_counts(client, addresses)

    grown = {
        name: f"{small[name]} -> {large[name]}" for name in addresses if large[name] > small[name]
    }
    assert not grown, f"queries grow with the data: {grown}"
    print("cold-cache queries per page:", small)


def test_every_public_page_type_is_served_from_the_cache_without_queries(
    client, site_tree, django_assert_num_queries
):
    site = PublicSite(site_tree)
    site.add_stories(1)
    site.add_decisions(1)
    site.add_years([THIS_YEAR])
    addresses = site.addresses()
    del addresses["search"]  # search answers are not stored (cms/views.py)
    for address in addresses.values():
        client.get(address)
    for name, address in addresses.items():
        with django_assert_num_queries(0):
            response = client.get(address)
        assert response.status_code == 200, name
        assert response.headers.get("X-Public-Cache") == "hit", name
