"""Description and Open Graph meta data of public pages, for search engines and link previews."""

import re

import pytest
from django.conf import settings

from cms.models import ResultPage
from tests.factories import WagtailImageFactory

pytestmark = pytest.mark.django_db


def meta(content: str, name: str) -> str | None:
    attribute = "name" if name in ("description", "twitter:card") else "property"
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', content)
    return match.group(1) if match else None


def test_a_story_describes_itself_with_its_summary_and_picture(client, publish_story):
    picture = WagtailImageFactory()
    page = publish_story(
        ResultPage,
        title="Digitala lås",
        slug="digitala-las",
        summary="Hemtjänsten slapp leta nycklar & sparade en timme om dagen.",
        hero_image=picture,
        hero_image_alt="En dörr med ett digitalt lås",
    )

    content = client.get(page.url).content.decode()

    description = "Hemtjänsten slapp leta nycklar &amp; sparade en timme om dagen."
    assert meta(content, "description") == description
    assert meta(content, "og:description") == description
    assert meta(content, "og:title") == "Digitala lås"
    assert meta(content, "og:type") == "article"
    assert meta(content, "og:url") == "http://localhost/resultat/digitala-las/"
    assert meta(content, "og:locale") == "sv_SE"
    assert meta(content, "og:locale:alternate") == "en_GB"
    assert meta(content, "og:image").startswith("http://localhost/media/images/")
    assert meta(content, "og:image").endswith(".jpg")
    # Cropped to the 1.91:1 of link previews (a 640 pixel original is not enlarged).
    assert meta(content, "og:image:width") == "640"
    assert meta(content, "og:image:height") == "336"
    assert meta(content, "og:image:alt") == "En dörr med ett digitalt lås"
    assert meta(content, "twitter:card") == "summary_large_image"
    assert meta(content, "article:published_time")


def test_the_search_description_wins_over_the_summary(client, publish_story):
    page = publish_story(
        ResultPage, slug="las", summary="Lång sammanfattning.", search_description="Kort text."
    )
    content = client.get(page.url).content.decode()
    assert meta(content, "description") == "Kort text."
    assert meta(content, "og:description") == "Kort text."
    assert meta(content, "og:image") is None
    assert meta(content, "twitter:card") == "summary"


def test_section_pages_are_websites_with_their_own_address(client, site_tree):
    home = client.get("/").content.decode()
    assert meta(home, "og:type") == "website"
    assert meta(home, "og:url") == "http://localhost/"
    assert meta(home, "og:site_name") == "Idésluss"
    results = client.get("/resultat/").content.decode()
    assert meta(results, "og:url") == "http://localhost/resultat/"
    assert meta(results, "og:title") == "Resultat"


def test_english_pages_say_so(client, site_tree):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get("/").content.decode()
    assert meta(content, "og:locale") == "en_GB"
    assert meta(content, "og:locale:alternate") == "sv_SE"


def test_views_that_are_not_pages_have_a_description_but_no_open_graph(client, site_tree):
    content = client.get("/sok/").content.decode()
    assert meta(content, "description")
    assert "og:" not in content


def test_a_page_without_words_of_its_own_gets_the_sites_description(client, site_tree):
    content = client.get("/").content.decode()
    default = "Idésluss: alla medarbetare kan göra en idé till en verklig förbättring."
    assert meta(content, "description") == default
    assert meta(content, "og:description") == default
