"""The Redis cache backend against a real Redis: Django's behaviour, one client per pool."""

import os
import uuid

import pytest
import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from ideasluss.redis_cache import RedisCache

REDIS_URL = os.environ.get("IDESLUSS_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture
def cache():
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    backend.clear()


def test_it_stores_counts_and_forgets_as_djangos_backend_does(cache):
    cache.set("figures", {"granted": 125_000}, timeout=30)
    assert cache.get("figures") == {"granted": 125_000}
    assert cache.add("figures", "other") is False
    assert cache.get_or_set("uploads", 0) == 0
    assert cache.incr("uploads") == 1
    cache.set_many({"a": 1, "b": 2})
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    cache.delete_many(["a", "b"])
    assert cache.get("a") is None
    assert cache.touch("figures", timeout=60) is True


@pytest.mark.parametrize(
    ("backend", "clients"),
    [
        (RedisCache, 1),
        # Why this module exists: if Django stops making a client per operation, this
        # fails, and ideasluss.redis_cache can go.
        (DjangoRedisCache, 100),
    ],
)
def test_one_client_serves_every_operation(backend, clients, monkeypatch):
    cache = backend(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    made = []
    original = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    for number in range(50):
        cache.set(f"key-{number}", number)
        assert cache.get(f"key-{number}") == number

    monkeypatch.undo()
    cache.clear()
    assert len(made) == clients


def test_a_server_that_does_not_answer_raises_as_before():
    unreachable = RedisCache("redis://127.0.0.1:1/0", {})
    with pytest.raises(redis.ConnectionError):
        unreachable.get("anything")
