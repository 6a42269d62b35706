"""Search across the public site: live, public pages only, paginated, in Swedish."""

import pytest
from wagtail.models import PageViewRestriction

from cms.models import LessonPage, ResultPage
from cms.views import SEARCH_PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_the_empty_search_page_explains_itself(client, site_tree):
    response = client.get("/sok/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<form method="get" action="/sok/" class="site-search" role="search"' in content
    assert '<label for="id_q">Sök på webbplatsen' in content
    assert 'type="search" name="q"' in content
    assert "Skriv ett eller flera ord" in content


def test_the_header_links_to_search(client, site_tree):
    link = '<a class="site-search-link" href="/sok/"'
    assert f"{link}>Sök</a>" in client.get("/").content.decode()
    assert f'{link} aria-current="page">Sök</a>' in client.get("/sok/").content.decode()


def test_search_finds_live_results_and_lessons_by_their_words(client, publish_story):
    publish_story(ResultPage, title="Digitala lås i hemtjänsten", slug="las", summary="Nycklar")
    publish_story(
        LessonPage, title="Matsvinn i skolan", slug="matsvinn", summary="Vi vägde maten varje dag"
    )

    content = client.get("/sok/", {"q": "lås"}).content.decode()
    assert "1 sida matchar ”lås”" in content
    assert "Digitala lås i hemtjänsten" in content
    assert "Resultat" in content
    assert "Matsvinn" not in content

    content = client.get("/sok/", {"q": "vägde"}).content.decode()
    assert "Matsvinn i skolan" in content
    assert "Lärdom" in content


def test_search_never_shows_drafts_or_private_pages(client, publish_story):
    publish_story(ResultPage, title="Hemligt utkast om lås", slug="utkast", live=False)
    private = publish_story(ResultPage, title="Skyddad sida om lås", slug="skyddad")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )
    unpublished = publish_story(ResultPage, title="Avpublicerad sida om lås", slug="avpublicerad")
    unpublished.unpublish()

    content = client.get("/sok/", {"q": "lås"}).content.decode()

    assert "Inga sidor matchar ”lås”" in content
    for title in ("Hemligt utkast", "Skyddad sida", "Avpublicerad sida"):
        assert title not in content


def test_search_without_hits_says_so(client, site_tree):
    content = client.get("/sok/", {"q": "zebrafink"}).content.decode()
    assert "Inga sidor matchar ”zebrafink”. Försök med andra eller färre ord." in content


def test_search_is_paginated(client, publish_story):
    for number in range(SEARCH_PAGE_SIZE + 3):
        publish_story(ResultPage, title=f"Cykelpool {number}", slug=f"cykelpool-{number}")

    first = client.get("/sok/", {"q": "cykelpool"}).content.decode()
    assert f"{SEARCH_PAGE_SIZE + 3} sidor matchar ”cykelpool”" in first
    assert first.count('class="search-result"') == SEARCH_PAGE_SIZE
    assert 'href="?q=cykelpool&amp;page=2"' in first
    second = client.get("/sok/", {"q": "cykelpool", "page": 2}).content.decode()
    assert second.count('class="search-result"') == 3
    assert client.get("/sok/", {"q": "cykelpool", "page": 99}).status_code == 200


def test_an_overlong_query_is_refused_politely(client, site_tree):
    response = client.get("/sok/", {"q": "lås " * 100})
    assert response.status_code == 200
    assert "högst 200 tecken" in response.content.decode()


def test_search_query_count_does_not_grow_with_hits(
    client, publish_story, django_assert_max_num_queries
):
    publish_story(ResultPage, title="Cykelpool ett", slug="cykelpool-ett")
    publish_story(LessonPage, title="Cykelpool två", slug="cykelpool-tva")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/sok/", {"q": "cykelpool"})
    for number in range(SEARCH_PAGE_SIZE * 2):
        model = ResultPage if number % 2 else LessonPage
        publish_story(model, title=f"Cykelpool {number}", slug=f"cykelpool-{number}")
    with django_assert_max_num_queries(len(few)):
        client.get("/sok/", {"q": "cykelpool"})


@pytest.mark.postgres
def test_search_understands_swedish_word_forms(client, publish_story):
    publish_story(ResultPage, title="Digitala lås i hemtjänsten", slug="las", summary="Nycklarna")
    content = client.get("/sok/", {"q": "hemtjänst nycklar"}).content.decode()
    assert "Digitala lås i hemtjänsten" in content


@pytest.mark.postgres
def test_a_part_finds_the_compound_it_is_in(client, publish_story):
    publish_story(
        LessonPage,
        title="Elcyklar i hemtjänsten: det vi lärde oss",
        slug="elcyklar",
        summary="Personalen kom fram snabbare i centrum, men inte på vintern.",
    )
    publish_story(ResultPage, title="Digitala lås i hemtjänsten", slug="las", summary="Nycklar")
    for query in ("cykel", "cyklarna", "elcykel"):
        content = client.get("/sok/", {"q": query}).content.decode()
        assert "Elcyklar i hemtjänsten" in content, query
        assert "Digitala lås" not in content, query


@pytest.mark.postgres
def test_a_compound_finds_its_parts_and_a_misspelling_is_forgiven(client, publish_story):
    publish_story(
        ResultPage,
        title="Bokningskalender för hemtjänstens bilar",
        slug="bilar",
        summary="Bilarna bokas nu i mobilen i stället för på en papperslista.",
    )
    publish_story(LessonPage, title="Lunchkompis för nyanställda", slug="lunch")
    for query in ("bilbokning", "kalender", "bokningskalendern", "hemtjänstenn"):
        content = client.get("/sok/", {"q": query}).content.decode()
        assert "Bokningskalender för hemtjänstens bilar" in content, query
        assert "Lunchkompis" not in content, query
