"""Swedish first, English complete, the user's choice remembered."""

import pytest
from django.conf import settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_swedish_is_the_default_even_for_an_english_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="sv">' in response.content.decode()


def test_the_language_switcher_changes_the_language(client):
    response = client.get("/language/en/?next=/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    content = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in content
    assert "Log in with the username and password" in content


def test_the_switch_sets_the_language_cookie(client):
    cookie = client.get("/language/en/?next=/").cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["path"] == settings.LANGUAGE_COOKIE_PATH


def test_the_switcher_is_links_that_mark_the_current_language(client):
    content = client.get("/sok/?q=l%C3%A5s&page=2").content.decode()
    back_here = "?next=/sok/%3Fq%3Dl%25C3%25A5s%26page%3D2"
    assert (
        f'<a href="/language/sv/{back_here}" lang="sv" hreflang="sv" aria-current="true">'
        "Svenska</a>"
    ) in content
    assert f'<a href="/language/en/{back_here}" lang="en" hreflang="en">English</a>' in content


def test_the_switch_returns_to_the_page_with_its_query(client):
    response = client.get("/language/en/", {"next": "/sok/?q=lås&page=2"})
    assert response["Location"] == "/sok/?q=l%C3%A5s&page=2"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", ""],
)
def test_a_next_address_off_the_site_is_not_followed(client, next_url):
    response = client.get("/language/en/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("code", ["de", "xx", "EN", "en-us"])
def test_an_unknown_language_is_refused_and_nothing_is_set(client, code):
    response = client.get(f"/language/{code}/?next=/")
    assert response.status_code == 404
    assert "Vi hittade inte sidan" in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switch_is_never_cached(client):
    assert "no-store" in client.get("/language/en/?next=/")["Cache-Control"]


def test_a_signed_in_user_switches_with_the_cookie_and_keeps_the_profile(client):
    user = UserFactory(preferred_language="sv")
    client.force_login(user)
    client.get("/language/en/?next=/")

    content = client.get("/").content.decode()
    assert '<html lang="en">' in content
    assert "Signed in as" in content
    user.refresh_from_db()
    assert user.preferred_language == "sv"


def test_a_users_preferred_language_is_used_after_login(client):
    client.force_login(UserFactory(preferred_language="en"))
    assert '<html lang="en">' in client.get("/").content.decode()


def test_an_explicit_switch_wins_over_the_profile(client):
    client.force_login(UserFactory(preferred_language="en"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    assert '<html lang="sv">' in client.get("/").content.decode()


def test_swedish_catalogue_is_compiled_and_complete():
    from babel.messages.pofile import read_po

    path = settings.BASE_DIR / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert path.with_suffix(".mo").exists()
