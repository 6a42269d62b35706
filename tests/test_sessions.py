"""A sign-in fits a shared municipal computer: it ends with the browser and after a working day."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client):
    user = UserFactory(username="anna")
    client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    return client.cookies[settings.SESSION_COOKIE_NAME]


def test_the_session_cookie_ends_when_the_browser_closes(client):
    cookie = sign_in(client)
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"]


def test_a_sign_in_lasts_a_working_day_at_most(client):
    cookie = sign_in(client)
    session = Session.objects.get(session_key=cookie.value)
    lifetime = session.expire_date - timezone.now()
    assert timedelta(hours=7, minutes=59) < lifetime <= timedelta(hours=8)


def test_a_session_older_than_a_working_day_is_signed_out(client):
    cookie = sign_in(client)
    assert client.get(reverse("profile")).status_code == 200
    Session.objects.filter(session_key=cookie.value).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    # Sessions are read through the cache (cached_db), whose copy lasts as long as the
    # session (the next test); here the copy is gone as it would be after eight hours.
    cache.delete(f"{cached_db.KEY_PREFIX}{cookie.value}")
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_cached_copy_of_a_session_expires_with_it(client):
    cookie = sign_in(client)
    key = cache.make_key(f"{cached_db.KEY_PREFIX}{cookie.value}")
    lifetime = cache._expire_info[key] - time.time()
    assert timedelta(hours=7, minutes=59).total_seconds() < lifetime <= 8 * 60 * 60
