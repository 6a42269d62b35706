"""Feeds of new results and lessons, the sitemap, robots.txt and the Swedish 404."""

import datetime

import pytest
from defusedxml import ElementTree as ET
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.feeds import FEED_ITEMS
from cms.models import LessonPage, ResultPage

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def set_first_published(page, days_ago: int) -> None:
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    type(page).objects.filter(pk=page.pk).update(first_published_at=moment)


@pytest.fixture
def stories(publish_story):
    older = publish_story(
        ResultPage, title="Digitala lås", slug="digitala-las", summary="Nycklarna tog slut."
    )
    newer = publish_story(
        LessonPage, title="Matsvinn i skolan", slug="matsvinn", summary="Vi vägde maten."
    )
    publish_story(ResultPage, title="Hemligt utkast", slug="utkast", live=False)
    set_first_published(older, days_ago=3)
    set_first_published(newer, days_ago=1)
    return older, newer


def test_rss_lists_live_results_and_lessons_newest_first(client, stories):
    response = client.get("/feed/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "Idésluss: nya resultat och lärdomar"
    assert channel.findtext("language") == "sv"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Matsvinn i skolan", "Digitala lås"]
    assert items[0].findtext("link") == "http://localhost/lardomar/matsvinn/"
    assert items[0].findtext("description") == "Vi vägde maten."
    assert items[0].findtext("category") == "Lärdom"
    assert items[1].findtext("category") == "Resultat"
    assert "Hemligt utkast" not in response.content.decode()


def test_atom_lists_the_same_stories(client, stories):
    response = client.get("/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Matsvinn i skolan",
        "Digitala lås",
    ]
    assert entries[1].find(f"{ATOM}link").get("href") == "http://localhost/resultat/digitala-las/"
    assert entries[1].findtext(f"{ATOM}updated")
    assert "Hemligt utkast" not in response.content.decode()


def test_feeds_hold_the_newest_twenty(client, publish_story):
    for number in range(FEED_ITEMS + 2):
        page = publish_story(ResultPage, title=f"Resultat {number}", slug=f"resultat-{number}")
        set_first_published(page, days_ago=100 - number)
    channel = ET.fromstring(client.get("/feed/rss/").content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert len(titles) == FEED_ITEMS
    assert titles[0] == f"Resultat {FEED_ITEMS + 1}"
    assert "Resultat 0" not in titles and "Resultat 1" not in titles


def test_every_page_links_to_the_feeds(client, site_tree):
    content = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" '
        'title="Idésluss: nya resultat och lärdomar (RSS)" href="/feed/rss/">'
    ) in content
    assert 'type="application/atom+xml"' in content and 'href="/feed/atom/"' in content


def test_the_sitemap_lists_live_public_pages_only(client, stories):
    restricted = ResultPage.objects.get(slug="digitala-las")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = {
        url.findtext(f"{SITEMAP}loc")
        for url in ET.fromstring(response.content).iter(f"{SITEMAP}url")
    }
    assert {
        "http://localhost/",
        "http://localhost/resultat/",
        "http://localhost/lardomar/",
        "http://localhost/arets-basta-misstag/",
        "http://localhost/fonden/",
        "http://localhost/resultat/digitala-las/",
        "http://localhost/lardomar/matsvinn/",
    } <= locations
    assert "http://localhost/resultat/utkast/" not in locations

    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )
    response = client.get("/sitemap.xml")
    assert "digitala-las" not in response.content.decode()


def test_robots_txt_points_to_the_sitemap(client, site_tree):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /ideas/" in lines


def test_an_unknown_address_gets_the_swedish_404(client, site_tree):
    response = client.get("/finns-inte/alls/")
    assert response.status_code == 404
    content = response.content.decode()
    assert '<html lang="sv">' in content
    assert "Vi hittade inte sidan" in content
    assert '<a href="/">' in content
