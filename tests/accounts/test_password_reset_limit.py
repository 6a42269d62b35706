"""Password reset e-mails are limited per address and per client address, by the
project's one rate limiter (ideasluss.rate_limits, RATE_LIMITS["password_reset_…"])."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import caches
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
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset_client": "5/h"}
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


def test_the_cache_holds_no_address_in_clear(client, settings):
    UserFactory(username="bo", email="bo@example.se")
    ask_for_reset(client, "bo@example.se")
    keys = list(caches[settings.RATE_LIMIT_CACHE]._cache)
    assert any("password_reset_address" in key for key in keys)
    assert not any("bo@example.se" in key for key in keys)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("PASSWORD_RESET")
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="ideasluss.settings.test")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRINT_LIMITS = (
    "from django.conf import settings; limits = settings.RATE_LIMITS; "
    "print(limits['password_reset_address'], limits['password_reset_client'])"
)


def test_the_limits_are_set_from_the_environment_in_an_hour():
    assert manage("shell", "--no-imports", "-c", PRINT_LIMITS).stdout.split() == ["3/h", "20/h"]
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        PRINT_LIMITS,
        PASSWORD_RESET_LIMIT_PER_ADDRESS="5",
        PASSWORD_RESET_LIMIT_PER_IP="50",
    )
    assert result.stdout.split() == ["5/h", "50/h"]


def test_a_malformed_limit_in_the_environment_fails_the_system_check():
    result = manage("check", PASSWORD_RESET_LIMIT_PER_IP="twenty")
    assert result.returncode != 0
    assert "idesluss.E101" in result.stderr
