"""Changing one's password at /accounts/password_change/: Django's views with our pages,
in Swedish, with messages that say what to do."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/password_change/"
DONE_URL = "/accounts/password_change/done/"
NEW_PASSWORD = "lingon-sylt-i-hemtjansten-42"


@pytest.fixture
def person(db):
    return UserFactory(username="anna", first_name="Anna", last_name="Berg")


def test_both_pages_need_a_login(client):
    for url in (URL, DONE_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_form_is_in_swedish(client, person):
    client.force_login(person)
    html = client.get(URL).content.decode()
    assert "<h1>Byt lösenord</h1>" in html
    for label in ("Nuvarande lösenord", "Nytt lösenord", "Det nya lösenordet igen"):
        assert label in html
    assert 'autocomplete="current-password"' in html
    assert 'autocomplete="new-password"' in html


def test_changing_the_password_keeps_one_signed_in(client, person):
    client.force_login(person)

    response = client.post(
        URL,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert response.redirect_chain == [(DONE_URL, 302)]
    html = response.content.decode()
    assert "<h1>Ditt lösenord är bytt</h1>" in html
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert client.get("/accounts/profile/").status_code == 200  # still signed in
    client.logout()
    assert client.login(username="anna", password=NEW_PASSWORD)


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"old_password": "fel-losenord", "new_password1": NEW_PASSWORD},
            "old_password",
            "Ditt nuvarande lösenord stämmer inte.",
        ),
        ({"old_password": ""}, "old_password", "Skriv ditt nuvarande lösenord."),
        ({"new_password2": "något-annat-lösenord-99"}, "new_password2", "inte likadana"),
        ({"new_password1": "", "new_password2": ""}, "new_password1", "Skriv ett nytt lösenord."),
        ({"new_password1": "kort1", "new_password2": "kort1"}, "new_password2", "för kort"),
        (
            {"new_password1": "12345678901", "new_password2": "12345678901"},
            "new_password2",
            "enbart numeriskt",
        ),
    ],
)
def test_bad_input_is_refused_in_swedish(client, person, data, field, message):
    client.force_login(person)
    posted = {
        "old_password": TEST_PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    } | data

    response = client.post(URL, posted)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)
