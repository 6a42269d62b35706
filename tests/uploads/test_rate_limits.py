"""Per-person rate limits on submissions and uploads (workflows/rate_limits.py), and the
settings and checks of the project's one rate limiter (ideasluss.rate_limits).

Each limited action is driven through its real page with a limit of two: the third
request gets our 429 page in Swedish with Retry-After and writes nothing, and a
colleague is not affected. The counts live in the cache, which tests/conftest.py
empties before every test.
"""

from __future__ import annotations

import io
import pickle
import time
import warnings

import pytest
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.base import CacheKeyWarning
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Collection

from ideasluss.accounts.roles import Role
from ideasluss.ideas.models import Attachment, Comment, Idea, IdeaState, Nomination
from ideasluss.rate_limits import (
    ATOMIC_SHARED_CACHES,
    Rate,
    check_rate_limit_cache_is_shared,
    check_rate_limits,
    parse_rate,
    usage,
)
from tests.factories import MINIMAL_PDF, IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 2
SWEDISH_429 = "Du har gjort det här många gånger på kort tid."

IDEA_FORM = {
    "title": "Läxhjälp på biblioteket",
    "problem": "Många elever saknar hjälp med läxor hemma.",
    "target_group": "elever i årskurs 4–6",
    "description": "Frivilliga läxhjälpare två kvällar i veckan.",
    "tags": "skola, bibliotek",
    "save": "1",
}


@pytest.fixture(autouse=True)
def limits_of_two(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, f"{LIMIT}/h")


@pytest.fixture(autouse=True)
def private_dir(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    location = tmp_path / "private"
    location.mkdir()
    field = Attachment._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=location, base_url=None))


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", roles=[Role.STAFF, Role.COACH])


def assert_refused_with_429(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    content = response.content.decode()
    assert SWEDISH_429 in content
    assert "Ta en kort paus" in content
    assert '<html lang="sv"' in content


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "teal").save(buffer, "PNG")
    return buffer.getvalue()


# --- One test per limited action ------------------------------------------------------


def test_creating_ideas_is_limited_per_person(client, staff, colleague):
    client.force_login(staff)
    for _ in range(LIMIT):
        assert client.post("/ideas/new/", IDEA_FORM).status_code == 302

    response = client.post("/ideas/new/", IDEA_FORM)

    assert_refused_with_429(response)
    assert Idea.objects.filter(owner=staff).count() == LIMIT
    client.force_login(colleague)
    assert client.post("/ideas/new/", IDEA_FORM).status_code == 302
    assert Idea.objects.filter(owner=colleague).count() == 1


def test_a_form_sent_back_with_errors_does_not_count(client, staff):
    client.force_login(staff)
    for _ in range(5):
        assert client.post("/ideas/new/", {**IDEA_FORM, "title": ""}).status_code == 400
    for _ in range(LIMIT):
        assert client.post("/ideas/new/", IDEA_FORM).status_code == 302
    assert Idea.objects.count() == LIMIT


def test_comments_are_limited_per_person(client, staff, colleague):
    idea = IdeaFactory(state=IdeaState.SUBMITTED)
    url = reverse("ideas:comment-create", args=[idea.pk])
    client.force_login(staff)
    for number in range(LIMIT):
        assert client.post(url, {"body": f"Kommentar {number}"}).status_code == 302

    response = client.post(url, {"body": "En till"})

    assert_refused_with_429(response)
    assert Comment.objects.filter(author=staff).count() == LIMIT
    client.force_login(colleague)
    assert client.post(url, {"body": "Min första"}).status_code == 302
    assert Comment.objects.filter(author=colleague).count() == 1


def nomination(number: int) -> dict:
    return {
        "year": timezone.localdate().year,
        "idea": "",
        "title": f"Vi beställde fel lås {number}",
        "story": "Låsen passade inte. Nu mäter vi först.",
        "consent_confirmed": "on",
    }


def test_nominations_are_limited_per_person(client, staff, colleague):
    url = reverse("ideas:mistake-nominate")
    client.force_login(staff)
    for number in range(LIMIT):
        assert client.post(url, nomination(number)).status_code == 302

    response = client.post(url, nomination(99))

    assert_refused_with_429(response)
    assert Nomination.objects.filter(nominated_by=staff).count() == LIMIT
    client.force_login(colleague)
    assert client.post(url, nomination(100)).status_code == 302
    assert Nomination.objects.filter(nominated_by=colleague).count() == 1


def test_attachment_uploads_are_limited_per_person_and_refused_ones_count(client, staff, colleague):
    idea = IdeaFactory(owner=staff)
    idea.co_owners.add(colleague)
    url = reverse("ideas:attachment-create", args=[idea.pk])
    client.force_login(staff)
    # A refused upload counts too: checking the file is the cost.
    client.post(url, {"file": SimpleUploadedFile("fel.png", b"not a picture")})
    client.post(url, {"file": SimpleUploadedFile("a.pdf", MINIMAL_PDF)})

    response = client.post(url, {"file": SimpleUploadedFile("b.pdf", MINIMAL_PDF)})

    assert_refused_with_429(response)
    assert Attachment.objects.count() == 1
    client.force_login(colleague)
    assert client.post(url, {"file": SimpleUploadedFile("c.pdf", MINIMAL_PDF)}).status_code == 302
    assert Attachment.objects.count() == 2


def test_image_library_uploads_are_limited_per_person(client, coach, colleague, settings, tmp_path):
    """The admin is Wagtail's: the refusal is a form error beside the file, not a 429."""
    settings.MEDIA_ROOT = tmp_path / "media"
    root = Collection.get_first_root_node().pk

    def upload(number):
        return client.post(
            "/admin/images/add/",
            {
                "title": f"Bild {number}",
                "collection": root,
                "file": SimpleUploadedFile(f"bild{number}.png", png(), "image/png"),
            },
        )

    client.force_login(coach)
    for number in range(LIMIT):
        assert upload(number).status_code == 302

    response = upload(99)

    assert response.status_code == 200
    assert SWEDISH_429 in response.content.decode()
    assert get_image_model().objects.count() == LIMIT
    client.force_login(colleague)
    assert upload(100).status_code == 302
    assert get_image_model().objects.count() == LIMIT + 1


def test_anonymous_requests_are_sent_to_sign_in_not_counted(client):
    for _ in range(LIMIT + 1):
        response = client.post("/ideas/new/", IDEA_FORM)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- Settings and checks --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rate"),
    [("20/10m", Rate(20, 600)), ("10/h", Rate(10, 3600)), ("5/30s", Rate(5, 30))],
)
def test_rates_read_as_a_count_per_period(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "10", "0/h", "ten/h", "10/w"])
def test_a_malformed_rate_is_refused(text):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


def check_ids(settings, backend: str, **options) -> list[tuple[str, int]]:
    """The ids and levels of both rate-limit checks (the second runs on --deploy only)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {"BACKEND": backend, **options},
    }
    settings.RATE_LIMIT_CACHE = "ratelimit"
    return [
        (message.id, message.level)
        for message in [*check_rate_limits(), *check_rate_limit_cache_is_shared()]
    ]


@pytest.mark.parametrize(
    "backend",
    [
        "ideasluss.accounts.rate_limit_cache.LockedFileBasedCache",
        "django.core.cache.backends.redis.RedisCache",
        "ideasluss.redis_cache.RedisCache",
        "django_redis.cache.RedisCache",
        "django.core.cache.backends.memcached.PyMemcacheCache",
        "django.core.cache.backends.memcached.PyLibMCCache",
    ],
)
def test_caches_that_count_atomically_across_processes_pass(settings, backend):
    assert check_ids(settings, backend) == []


def test_the_check_refuses_a_cache_that_counts_nothing(settings):
    backend = "django.core.cache.backends.dummy.DummyCache"
    assert check_ids(settings, backend) == [("idesluss.E103", checks.ERROR)]


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.filebased.FileBasedCache",
        "django.core.cache.backends.db.DatabaseCache",
    ],
)
def test_deployment_warns_about_a_cache_that_loses_counts_between_processes(settings, backend):
    assert check_ids(settings, backend) == [("idesluss.W101", checks.WARNING)]


def test_the_check_warns_about_a_cache_it_does_not_know(settings):
    assert check_ids(settings, "some.other.Cache") == [("idesluss.W102", checks.WARNING)]


def test_the_check_refuses_a_cache_alias_that_does_not_exist(settings):
    settings.RATE_LIMIT_CACHE = "counts"
    assert [error.id for error in check_rate_limits()] == ["idesluss.E102"]


def test_the_check_refuses_a_malformed_limit(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": "thirty"}
    assert [error.id for error in check_rate_limits()] == ["idesluss.E101"]


def test_the_rate_limit_cache_of_the_base_settings_counts_atomically():
    """On the default file cache it is the locking file cache in a folder of its own; on
    Redis or memcached the same server with a key prefix of its own. (`check --deploy`
    of the production settings, tests/test_settings.py, says the same through W101.)"""
    from ideasluss.settings import base

    rate_limit_cache = base.CACHES[base.RATE_LIMIT_CACHE]
    assert rate_limit_cache["BACKEND"] in ATOMIC_SHARED_CACHES
    assert rate_limit_cache != base.CACHES["default"]


def test_any_string_is_a_key_even_one_memcached_would_refuse(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": "2/h"}
    odd = "a key with spaces " + "x" * 300
    with warnings.catch_warnings():
        # What Django's caches say about a key that memcached would refuse.
        warnings.simplefilter("error", CacheKeyWarning)
        assert usage("comment", odd, count=True).count == 1
        assert usage("comment", odd, count=True).exceeded is False
        assert usage("comment", odd, count=True).exceeded is True
        assert usage("comment", odd[:-1], count=False).count == 0


def test_a_long_window_survives_the_file_caches_default_timeout(settings, tmp_path):
    """The file caches write an increment with their default timeout (300 s); the count
    must still last the whole window."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {
            "BACKEND": "ideasluss.accounts.rate_limit_cache.LockedFileBasedCache",
            "LOCATION": str(tmp_path),
        },
    }
    settings.RATE_LIMIT_CACHE = "ratelimit"
    for _ in range(3):
        usage("comment", "1", count=True)
    (counter,) = caches["ratelimit"]._list_cache_files()
    with open(counter, "rb") as file:
        # The file cache's own format, written by this test: the expiry comes first.
        expires = pickle.load(file)  # noqa: S301
    assert expires - time.time() > 300
    assert usage("comment", "1", count=False).count == 3
