"""The profile page: a person's name, unit, language and how they hear of notifications."""

import pytest
from django.conf import settings
from django.urls import reverse

from ideasluss.accounts.models import EmailNotifications, Unit
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/profile/"


@pytest.fixture
def units(db):
    top = UnitFactory(name="Vård- och omsorgsförvaltningen")
    return {"top": top, "home_care": Unit.objects.create(name="Hemtjänst Norr", parent=top)}


@pytest.fixture
def person(units):
    return UserFactory(
        username="anna",
        first_name="Anna",
        last_name="Berg",
        email="anna.berg@kommun.se",
        unit=units["top"],
        preferred_language="sv",
    )


def form_data(units, **changes) -> dict:
    data = {
        "first_name": "Anna",
        "last_name": "Lind",
        "unit": units["home_care"].pk,
        "preferred_language": "sv",
        "email_notifications": EmailNotifications.DAILY_DIGEST,
    }
    return data | changes


def test_the_profile_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_profile_shows_what_is_stored_and_the_e_mail_address(client, person):
    client.force_login(person)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Min profil</h1>" in html
    assert "anna.berg@kommun.se" in html
    assert 'value="Anna"' in html and 'value="Berg"' in html
    assert "Vård- och omsorgsförvaltningen › Hemtjänst Norr" in html  # units by their path
    assert "Ett e-postmeddelande för varje avisering, direkt" in html
    assert "Ett e-postmeddelande om dagen med alla nya aviseringar" in html
    assert "Ingen e-post: jag läser dem i Idésluss" in html
    assert "<legend" in html  # the radio groups are fieldsets with a legend
    assert 'href="/accounts/password_change/"' in html
    assert 'name="email"' not in html  # shown, not editable


def test_saving_the_profile_changes_it_and_says_so(client, person, units):
    client.force_login(person)

    response = client.post(URL, form_data(units), follow=True)

    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Anna", "Lind")
    assert person.unit == units["home_care"]
    assert person.email_notifications == EmailNotifications.DAILY_DIGEST
    assert person.email == "anna.berg@kommun.se"
    assert person.username == "anna"
    assert response.redirect_chain == [(URL, 302)]
    assert "Din profil är sparad." in response.content.decode()


def test_a_new_language_shows_at_once_and_is_kept_for_e_mails(client, person, units):
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"  # switched earlier

    response = client.post(URL, form_data(units, preferred_language="en"))

    person.refresh_from_db()
    assert person.preferred_language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(URL).content.decode()
    assert '<html lang="en">' in html
    assert "Your profile is saved." in html
    assert "<h1>My profile</h1>" in html


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"first_name": "  "}, "first_name", "Skriv ditt förnamn."),
        ({"last_name": ""}, "last_name", "Skriv ditt efternamn."),
        ({"last_name": "x" * 151}, "last_name", "151"),
        ({"unit": ""}, "unit", "Välj den enhet du arbetar på."),
        ({"unit": "999999"}, "unit", "Välj en enhet i listan."),
        ({"preferred_language": "de"}, "preferred_language", "Välj ett av språken som visas."),
        ({"email_notifications": "weekly"}, "email_notifications", "Välj ett av sätten som visas."),
        ({"email_notifications": ""}, "email_notifications", "Välj hur du vill få veta om"),
    ],
)
def test_bad_input_is_refused_in_swedish_and_keeps_what_was_typed(
    client, person, units, changes, field, message
):
    client.force_login(person)

    response = client.post(URL, form_data(units, **({"first_name": "Annika"} | changes)))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    html = response.content.decode()
    assert message in html
    if field != "first_name":
        assert 'value="Annika"' in html  # what was typed stays
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.unit) == ("Anna", "Berg", units["top"])


def test_the_account_menu_links_to_the_profile_and_the_password_change(client, person):
    client.force_login(person)
    html = client.get("/notifications/").content.decode()
    assert 'href="/accounts/profile/"' in html
    assert '<a class="account-menu__password" href="/accounts/password_change/">' in html
    assert "Byt lösenord" in html


def test_the_profile_page_needs_few_queries_however_many_units(
    client, person, django_assert_max_num_queries
):
    client.force_login(person)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for index in range(40):
        parent = UnitFactory(name=f"Förvaltning {index}")
        Unit.objects.create(name=f"Enhet {index}", parent=parent)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(URL).content.decode()
    assert "Förvaltning 39 › Enhet 39" in html
