import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from ideasluss.demo.data import load
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DEMO_PEOPLE = load("people")


@pytest.mark.parametrize("username", [user["username"] for user in DEMO_PEOPLE["user"]])
def test_every_demo_user_can_log_in(client, username):
    call_command("seed_demo", verbosity=0)
    response = client.post(
        reverse("login"), {"username": username, "password": DEMO_PEOPLE["password"]}, follow=True
    )
    assert response.context["user"].is_authenticated
    assert response.context["user"].username == username


def test_wrong_password_gives_a_clear_swedish_message(client):
    UserFactory(username="anna")
    response = client.post(reverse("login"), {"username": "anna", "password": "fel"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Användarnamnet eller lösenordet är fel" in content
    assert 'role="alert"' in content
    assert not response.context["user"].is_authenticated


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client):
    response = client.post(reverse("login"), {"username": "ingen", "password": "x"})
    assert "Användarnamnet eller lösenordet är fel" in response.content.decode()


def test_logout_is_a_post_and_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("logout"), follow=True)
    assert not response.context["user"].is_authenticated
    assert "Du är utloggad" in response.content.decode()


def test_password_reset_sends_a_mail_with_a_working_link(client):
    UserFactory(username="bo", email="bo@example.se")
    response = client.post(reverse("password_reset"), {"email": "bo@example.se"}, follow=True)
    assert "Titta i din e-post" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bo@example.se"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/reset/") :].strip()
    form_page = client.get(path, follow=True)
    assert "Välj ett nytt lösenord" in form_page.content.decode()
    new_password = "ett-nytt-langt-losenord"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Ditt lösenord är bytt" in done.content.decode()
    assert client.login(username="bo", password=new_password)
    assert not client.login(username="bo", password=TEST_PASSWORD)


def test_login_page_is_swedish_with_labels(client):
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="sv">' in content
    assert '<label for="id_username">' in content
    assert '<label for="id_password">' in content
