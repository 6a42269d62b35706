"""Swedish first, English complete, the user's choice remembered."""

import pytest
from django.conf import settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_swedish_is_the_default_even_for_an_english_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="sv">' in response.content.decode()


def test_the_language_switcher_changes_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    content = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in content
    assert "Log in with the username and password" in content


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
