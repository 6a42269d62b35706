"""Brute-force protection of local sign-in (django-axes, switched on for these tests).

Test settings keep axes off for the rest of the suite, whose test client logs in without
a request; here it runs as in production: LOGIN_FAILURE_LIMIT (5) wrong passwords for
one username from one address lock that pair for LOGIN_LOCKOUT_MINUTES (15).
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.urls import reverse

from ideasluss.accounts.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKOUT_MESSAGE = "Lösenordet blev fel för många gånger"
WRONG_PASSWORD = "gissning-nummer-tolv"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def anna(db):
    return UserFactory(username="anna")


def log_in(client, password, username="anna", url="/accounts/login/", **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def is_signed_in(client) -> bool:
    return client.get(reverse("profile")).wsgi_request.user.is_authenticated


def test_thirty_wrong_passwords_are_stopped_and_then_the_right_one_too(client, anna):
    statuses = [log_in(client, WRONG_PASSWORD).status_code for _ in range(30)]
    assert statuses[:4] == [200] * 4  # "wrong username or password", the form again
    assert statuses[4:] == [429] * 26  # locked from the fifth failure on
    locked = log_in(client, TEST_PASSWORD)
    assert locked.status_code == 429
    content = locked.content.decode()
    assert LOCKOUT_MESSAGE in content
    assert "spärrad i 15 minuter" in content
    assert '<html lang="sv">' in content and 'role="alert"' in content
    assert not is_signed_in(client)


def test_after_the_cool_off_the_right_password_signs_in(client, anna):
    for _ in range(5):
        log_in(client, WRONG_PASSWORD)
    assert log_in(client, TEST_PASSWORD).status_code == 429
    # Sixteen minutes pass: the failures are dated back (a real row, no fake clock).
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert log_in(client, TEST_PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_after_an_administrators_reset_the_right_password_signs_in(client, anna):
    for _ in range(5):
        log_in(client, WRONG_PASSWORD)
    call_command("axes_reset_username", "anna", verbosity=0)
    assert log_in(client, TEST_PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_failures_are_logged_with_username_and_address_but_never_the_password(client, anna, caplog):
    with caplog.at_level("INFO"):
        for _ in range(5):
            log_in(client, WRONG_PASSWORD, REMOTE_ADDR="192.0.2.7")
    security = [r.getMessage() for r in caplog.records if r.name == "idesluss.security"]
    failures = [m for m in security if m.startswith("Failed sign-in")]
    assert len(failures) == 5
    assert all("'anna'" in m and "192.0.2.7" in m for m in failures)
    assert any("locked" in m and "'anna'" in m and "192.0.2.7" in m for m in security)
    assert not any(WRONG_PASSWORD in r.getMessage() for r in caplog.records)
    # django-axes' own records: one per failure, none of them with the password.
    assert AccessFailureLog.objects.filter(username="anna", ip_address="192.0.2.7").count() == 5
    assert not any(
        WRONG_PASSWORD in str(value)
        for row in AccessFailureLog.objects.values()
        for value in row.values()
    )


def test_a_successful_sign_in_resets_the_count_for_the_account(client, anna):
    for _ in range(4):
        log_in(client, WRONG_PASSWORD)
    assert log_in(client, TEST_PASSWORD).status_code == 302
    assert AccessLog.objects.filter(username="anna").exists()
    client.post(reverse("logout"))
    for _ in range(4):
        assert log_in(client, WRONG_PASSWORD).status_code == 200
    assert log_in(client, WRONG_PASSWORD).status_code == 429


def test_the_lock_holds_one_username_from_one_address(client, anna):
    """Keyed on the pair: the same person at another computer, and a colleague behind the
    same address, still sign in (docs/sign-on.md, "Lockout")."""
    UserFactory(username="bo")
    for _ in range(5):
        log_in(client, WRONG_PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert log_in(client, TEST_PASSWORD, REMOTE_ADDR="192.0.2.7").status_code == 429
    assert log_in(client, TEST_PASSWORD, username="bo", REMOTE_ADDR="192.0.2.7").status_code == 302
    client.post(reverse("logout"))
    assert log_in(client, TEST_PASSWORD, REMOTE_ADDR="198.51.100.4").status_code == 302


@pytest.mark.parametrize("url", ["/admin/login/", "/django-admin/login/"])
def test_the_admin_logins_are_locked_too(client, url):
    UserFactory(username="admin", is_staff=True, is_superuser=True, roles=[Role.ADMINISTRATOR])
    for _ in range(5):
        log_in(client, WRONG_PASSWORD, username="admin", url=url)
    locked = log_in(client, TEST_PASSWORD, username="admin", url=url)
    assert locked.status_code == 429
    assert LOCKOUT_MESSAGE in locked.content.decode()
    assert not client.get("/admin/").wsgi_request.user.is_authenticated
