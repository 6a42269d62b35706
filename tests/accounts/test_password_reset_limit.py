"""Password reset e-mails are limited per address and per client address."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SENT_IF_EXISTS = "Om ett konto har den adressen är en länk för att välja nytt lösenord på väg"


def ask_for_reset(client, email, **extra):
    return client.post(reverse("password_reset"), {"email": email}, follow=True, **extra)


def test_ten_requests_for_one_address_send_three_emails(client):
    UserFactory(username="bo", email="bo@example.se")
    pages = [ask_for_reset(client, "bo@example.se") for _ in range(10)]
    assert len(mail.outbox) == 3
    # The same page every time: nothing tells that the address exists or is limited.
    assert all(page.redirect_chain[-1][0] == reverse("password_reset_done") for page in pages)
    assert all(SENT_IF_EXISTS in page.content.decode() for page in pages)


def test_the_limit_per_address_holds_whatever_the_spelling_and_client(client):
    UserFactory(username="bo", email="bo@example.se")
    for index, spelling in enumerate(["bo@example.se", "BO@example.se ", "Bo@Example.se"] * 2):
        ask_for_reset(client, spelling, REMOTE_ADDR=f"192.0.2.{index + 1}")
    assert len(mail.outbox) == 3


def test_one_client_asking_for_many_addresses_is_stopped(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 5
    for number in range(8):
        UserFactory(username=f"person{number}", email=f"person{number}@example.se")
    for number in range(8):
        ask_for_reset(client, f"person{number}@example.se", REMOTE_ADDR="192.0.2.9")
    assert len(mail.outbox) == 5
    ask_for_reset(client, "person7@example.se", REMOTE_ADDR="198.51.100.4")
    assert len(mail.outbox) == 6


def test_a_limited_request_is_logged_without_the_address(client, caplog):
    UserFactory(username="bo", email="bo@example.se")
    for _ in range(4):
        ask_for_reset(client, "bo@example.se", REMOTE_ADDR="192.0.2.7")
    limited = [r.getMessage() for r in caplog.records if r.name == "idesluss.security"]
    assert len(limited) == 1
    assert "limit per address" in limited[0] and "192.0.2.7" in limited[0]
    assert "bo@example.se" not in limited[0]


def test_the_wagtail_admin_has_no_password_reset_of_its_own(client):
    assert client.get("/admin/password_reset/").status_code == 404
