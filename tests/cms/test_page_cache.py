"""The public page cache: anonymous visitors get a stored page, nobody gets a wrong one."""

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from wagtail.models import PageViewRestriction

from cms.cache import STATUS_HEADER, public_cache, public_site_changed, site_version
from cms.models import ResultPage
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


@public_cache
def page_with_a_form(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


@public_cache
def page_with_an_inline_script(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}">start()</script>')


# The URLs of the tests marked @pytest.mark.urls(__name__).
urlpatterns = [
    path("form/", page_with_a_form),
    path("script/", page_with_an_inline_script),
]


def cache_status(response) -> str | None:
    return response.headers.get(STATUS_HEADER)


def test_the_second_anonymous_request_is_served_without_queries(
    client, site_tree, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200
    assert cache_status(first) == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.status_code == 200
    assert cache_status(second) == "hit"
    assert "Testa, lär, gör" in second.content.decode()
    assert second["Content-Type"] == first["Content-Type"]


def test_a_visitor_without_our_cookies_is_served_before_the_session_runs(client, site_tree):
    first = client.get("/")
    second = client.get("/")

    assert cache_status(second) == "hit"
    # The session, authentication and language middleware never saw the request.
    assert not hasattr(second.wsgi_request, "session")
    assert not hasattr(second.wsgi_request, "user")
    assert second.content == first.content

    def page_headers(response):
        return {name: value for name, value in response.items() if name != STATUS_HEADER}

    assert page_headers(second) == page_headers(first)
    assert "Content-Security-Policy" in second
    assert second["Content-Language"] == "sv"


def test_an_anonymous_visitor_with_a_session_gets_a_stored_page_too(client, site_tree):
    session = client.session
    session["chosen_unit"] = 7
    session.save()

    assert cache_status(client.get("/")) == "miss"
    second = client.get("/")

    assert cache_status(second) == "hit"
    assert second.wsgi_request.session["chosen_unit"] == 7


@override_settings(SECURE_SSL_REDIRECT=True)
def test_a_stored_page_never_answers_a_plain_http_request(client, site_tree):
    client.get("/", secure=True)
    assert cache_status(client.get("/", secure=True)) == "hit"

    plain = client.get("/")

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")


def test_a_stored_page_never_answers_a_host_we_do_not_serve(client, site_tree):
    client.get("/")
    assert cache_status(client.get("/")) == "hit"

    assert client.get("/", HTTP_HOST="elak.example").status_code == 400


def test_stored_pages_are_private_to_the_browser_and_vary_on_cookies(client, site_tree):
    for response in (client.get("/"), client.get("/")):
        assert "private" in response["Cache-Control"]
        assert "max-age=60" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]


def test_publishing_a_change_shows_on_the_next_request(client, publish_story):
    page = publish_story(ResultPage, title="Digitala lås", slug="digitala-las")
    assert "Digitala lås" in client.get(page.url).content.decode()
    assert cache_status(client.get("/resultat/")) == "miss"
    assert cache_status(client.get("/resultat/")) == "hit"

    page.title = "Digitala lås i hela kommunen"
    page.save_revision().publish()

    story = client.get(page.url)
    assert cache_status(story) == "miss"
    assert "Digitala lås i hela kommunen" in story.content.decode()
    index = client.get("/resultat/")
    assert cache_status(index) == "miss"
    assert "Digitala lås i hela kommunen" in index.content.decode()


def test_a_saved_draft_does_not_empty_the_cache(client, publish_story):
    page = publish_story(ResultPage, title="Digitala lås", slug="digitala-las")
    client.get(page.url)
    page.title = "Ett utkast som ingen ska se"
    page.save_revision()

    response = client.get(page.url)
    assert cache_status(response) == "hit"
    assert "Ett utkast som ingen ska se" not in response.content.decode()


def test_unpublishing_or_deleting_a_page_shows_on_the_next_request(client, publish_story):
    gone = publish_story(ResultPage, title="Avpublicerad", slug="avpublicerad")
    deleted = publish_story(ResultPage, title="Raderad", slug="raderad")
    for page in (gone, deleted):
        assert client.get(page.url).status_code == 200
        assert cache_status(client.get(page.url)) == "hit"

    gone.unpublish()
    deleted.delete()

    assert client.get("/resultat/avpublicerad/").status_code == 404
    assert client.get("/resultat/raderad/").status_code == 404
    index = client.get("/resultat/").content.decode()
    assert "Avpublicerad" not in index and "Raderad" not in index


def test_moving_a_page_shows_on_the_next_request(client, publish_story, site_tree):
    page = publish_story(ResultPage, title="Flyttad", slug="flyttad")
    client.get("/resultat/")
    assert cache_status(client.get("/resultat/")) == "hit"
    before = site_version()

    page.move(site_tree["resultat"], pos="last-child")

    assert site_version() != before
    assert cache_status(client.get("/resultat/")) == "miss"


def test_a_change_of_domain_data_renews_the_site_version(client, site_tree):
    client.get("/")
    assert cache_status(client.get("/")) == "hit"
    before = site_version()

    IdeaFactory(state="scaled")

    assert site_version() != before
    assert cache_status(client.get("/")) == "miss"


def test_public_site_changed_forgets_every_page(client, site_tree):
    for address in ("/", "/resultat/", "/feed/rss/", "/sitemap.xml"):
        client.get(address)
        assert cache_status(client.get(address)) == "hit", address
    public_site_changed()
    for address in ("/", "/resultat/", "/feed/rss/", "/sitemap.xml"):
        assert cache_status(client.get(address)) == "miss", address


def test_a_signed_in_user_never_gets_the_anonymous_copy(client, site_tree):
    client.get("/")
    assert cache_status(client.get("/")) == "hit"
    staff = UserFactory(username="anna", first_name="Anna", last_name="Andersson")

    client.force_login(staff)
    response = client.get("/")

    assert cache_status(response) is None
    content = response.content.decode()
    assert "Anna Andersson" in content
    assert "Logga ut" in content
    assert "private" in response["Cache-Control"]


def test_a_signed_in_users_page_is_never_stored_for_others(site_tree):
    staff = UserFactory(username="anna", first_name="Anna", last_name="Andersson")
    signed_in = Client()
    signed_in.force_login(staff)
    signed_in.get("/")
    signed_in.get("/")

    anonymous = Client().get("/")

    assert cache_status(anonymous) == "miss"
    assert "Anna Andersson" not in anonymous.content.decode()


def test_the_language_switch_never_serves_the_wrong_language(client, site_tree):
    assert '<html lang="sv">' in client.get("/").content.decode()
    assert cache_status(client.get("/")) == "hit"

    assert client.get("/language/en/?next=/").status_code == 302
    english = client.get("/")
    assert cache_status(english) == "miss"
    assert '<html lang="en">' in english.content.decode()
    assert "Test, learn, do" in english.content.decode()
    assert cache_status(client.get("/")) == "hit"

    newcomer = Client().get("/")
    assert cache_status(newcomer) == "hit"
    assert '<html lang="sv">' in newcomer.content.decode()

    client.get("/language/sv/?next=/")
    swedish = client.get("/")
    assert cache_status(swedish) == "hit"
    assert '<html lang="sv">' in swedish.content.decode()


@pytest.mark.parametrize("address", ["/", "/resultat/", "/fonden/", "/fonden/beslut/", "/sok/"])
def test_an_anonymous_public_page_carries_nothing_of_the_visitors(site_tree, address):
    """No CSRF token, no POST form, no cookie: one stored copy is right for everyone."""
    visitor = Client(enforce_csrf_checks=True)
    for _attempt in range(2):
        response = visitor.get(address)
        assert response.status_code == 200
        content = response.content.decode()
        assert "csrfmiddlewaretoken" not in content
        assert 'method="post"' not in content.lower()
        assert not response.cookies
    assert settings.CSRF_COOKIE_NAME not in visitor.cookies


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("address", ["/form/", "/script/"])
def test_a_page_with_a_visitors_token_or_nonce_is_never_stored(address):
    first, second = Client().get(address), Client().get(address)

    assert cache_status(first) is None
    assert cache_status(second) is None
    assert first.content != second.content


def test_a_visitor_with_a_pending_message_gets_a_fresh_page(client, site_tree):
    client.get("/")
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    client.cookies[storage.cookie_name] = storage._encode(
        [Message(message_levels.SUCCESS, "Tack, vi har tagit emot din anmälan.")]
    )

    with_message = client.get("/")

    assert cache_status(with_message) is None
    assert "Tack, vi har tagit emot din anmälan." in with_message.content.decode()
    after = client.get("/")
    assert "Tack, vi har tagit emot din anmälan." not in after.content.decode()
    assert cache_status(after) == "hit"


def test_pages_behind_a_view_restriction_are_never_stored(client, publish_story):
    page = publish_story(ResultPage, title="Hemlig", slug="hemlig")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )

    for _attempt in range(2):
        response = client.get(page.url)
        assert cache_status(response) is None
        assert 'name="password"' in response.content.decode()


def test_missing_pages_and_search_results_are_not_stored(client, site_tree):
    for _attempt in range(2):
        assert cache_status(client.get("/finns-inte/")) is None
        assert cache_status(client.get("/sok/?q=lås")) is None


def test_putting_a_page_behind_a_restriction_takes_it_out_of_the_cache(client, publish_story):
    page = publish_story(ResultPage, title="Snart hemlig", slug="snart-hemlig")
    client.get(page.url)
    assert cache_status(client.get(page.url)) == "hit"

    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )

    response = client.get(page.url)
    assert cache_status(response) is None
    assert 'name="password"' in response.content.decode()


def test_register_searches_are_not_stored_but_its_pages_are(client, site_tree):
    for _attempt in range(2):
        assert cache_status(client.get("/fonden/beslut/?q=lås")) is None
    client.get("/fonden/beslut/")
    assert cache_status(client.get("/fonden/beslut/")) == "hit"
