"""The rate-limit cache counts honestly with several processes, and the system checks of
the sign-on settings say when nobody could sign in. (The checks of the rate-limit cache
itself are the rate limiter's: tests/uploads/test_rate_limits.py.)"""

import multiprocessing

from ideasluss.accounts.rate_limit_cache import LockedFileBasedCache

COUNTS_PER_PROCESS = 150


def _count(location: str) -> None:
    cache = LockedFileBasedCache(location, {})
    for _ in range(COUNTS_PER_PROCESS):
        if not cache.add("hits", 1, 60):
            cache.incr("hits")
            cache.touch("hits", 60)


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


def test_switching_off_local_login_without_sign_on_is_refused(settings):
    from ideasluss.accounts.checks import someone_can_sign_in

    settings.LOCAL_LOGIN_ENABLED = False
    settings.OIDC_ENABLED = False
    assert [message.id for message in someone_can_sign_in(None)] == ["accounts.E003"]
    settings.OIDC_ENABLED = True
    assert someone_can_sign_in(None) == []
