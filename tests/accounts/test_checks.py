"""The rate-limit cache counts honestly with several processes, and the system checks of
the sign-on settings say when a cache would lose counts or nobody could sign in."""

import multiprocessing

from django.test import override_settings

from ideasluss.accounts.checks import rate_limit_cache_is_atomic
from ideasluss.accounts.rate_limit_cache import LockedFileBasedCache

COUNTS_PER_PROCESS = 150


def _count(location: str) -> None:
    cache = LockedFileBasedCache(location, {})
    for _ in range(COUNTS_PER_PROCESS):
        if not cache.add("hits", 1, 60):
            cache.incr("hits")


def test_four_processes_counting_at_once_lose_no_count(tmp_path):
    processes = [
        multiprocessing.get_context("fork").Process(target=_count, args=(str(tmp_path),))
        for _ in range(4)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert LockedFileBasedCache(str(tmp_path), {}).get("hits") == 4 * COUNTS_PER_PROCESS


def check_ids(backend: str) -> list[str]:
    caches = {"default": {"BACKEND": backend}, "ratelimit": {"BACKEND": backend}}
    with override_settings(CACHES=caches, RATELIMIT_USE_CACHE="ratelimit"):
        return [message.id for message in rate_limit_cache_is_atomic(None)]


def test_the_check_accepts_atomic_shared_caches():
    assert check_ids("ideasluss.accounts.rate_limit_cache.LockedFileBasedCache") == []
    assert check_ids("django.core.cache.backends.redis.RedisCache") == []


def test_the_check_refuses_caches_that_lose_counts():
    assert check_ids("django.core.cache.backends.filebased.FileBasedCache") == ["accounts.E002"]
    assert check_ids("django.core.cache.backends.locmem.LocMemCache") == ["accounts.E002"]


def test_the_check_warns_about_an_unknown_cache():
    assert check_ids("some.other.Cache") == ["accounts.W001"]


def test_switching_off_local_login_without_sign_on_is_refused(settings):
    from ideasluss.accounts.checks import someone_can_sign_in

    settings.LOCAL_LOGIN_ENABLED = False
    settings.OIDC_ENABLED = False
    assert [message.id for message in someone_can_sign_in(None)] == ["accounts.E003"]
    settings.OIDC_ENABLED = True
    assert someone_can_sign_in(None) == []
