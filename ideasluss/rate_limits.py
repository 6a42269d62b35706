"""The one rate limiter: fixed-window counts in a shared cache, and its system checks.

Each action (a key of `settings.RATE_LIMITS`: "comment", "password_reset_address", …)
allows a number of requests per key (a person, an e-mail address's digest, a client
address) per fixed window ("20/10m": 20 in each ten minutes). It sits outside the layers
(docs/architecture.md) and imports no app, so that the domain (the password reset limit,
ideasluss.accounts.sign_in_protection) and workflows (the 429 page and the view
decorator, workflows/rate_limits.py) count with the same code, settings and checks.

The counts live in `settings.RATE_LIMIT_CACHE`, which every process must share and
increment atomically: Redis or memcached, or on files
ideasluss.accounts.rate_limit_cache.LockedFileBasedCache (Django's own file cache counts
with a read and a write, so two workers counting at once lose a step). The checks below
refuse a cache that counts nothing and, on `check --deploy`, warn about one that loses
counts between processes (docs/security-uploads.md).
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Used as they are in cache keys; anything else (spaces, very long values) is hashed, since
# memcached refuses such keys, and marked with "#", which no plain key holds.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_.:@-]{1,100}")

# add() and incr() atomic across processes: counts hold with several web workers.
ATOMIC_SHARED_CACHES = {
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django.core.cache.backends.redis.RedisCache",
    "ideasluss.redis_cache.RedisCache",
    "django_redis.cache.RedisCache",
    "ideasluss.accounts.rate_limit_cache.LockedFileBasedCache",
}
# Count exactly within one process, but lose counts between several.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": "is not shared between processes",
    "django.core.cache.backends.filebased.FileBasedCache": "does not increment atomically",
    "django.core.cache.backends.db.DatabaseCache": "does not increment atomically",
}
NO_CACHE = "django.core.cache.backends.dummy.DummyCache"
_HINT = (
    "Use Redis, memcached or ideasluss.accounts.rate_limit_cache.LockedFileBasedCache "
    "for RATE_LIMIT_CACHE (docs/security-uploads.md)."
)


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """`"20/10m"` → 20 per 600 seconds."""
    match = _RATE.match(str(text))
    if match is None or int(match.group(1)) < 1:
        raise ImproperlyConfigured(f"A rate limit must read like '20/10m', not {text!r}.")
    count, multiple, unit = match.groups()
    return Rate(int(count), int(multiple or 1) * _UNIT_SECONDS[unit])


def rate_of(action: str) -> Rate:
    try:
        return parse_rate(settings.RATE_LIMITS[action])
    except KeyError as error:
        raise ImproperlyConfigured(f"settings.RATE_LIMITS has no limit for {action!r}.") from error


@dataclass(frozen=True)
class Usage:
    count: int  # requests counted in this window
    limit: int
    retry_after: int  # seconds until the window ends

    @property
    def exhausted(self) -> bool:
        """No further request is allowed in this window."""
        return self.count >= self.limit

    @property
    def exceeded(self) -> bool:
        """The request just counted was one too many."""
        return self.count > self.limit


def usage(action: str, key: str, *, count: bool) -> Usage:
    """This window's use of `action` by `key`; counts one more when `count`."""
    rate = rate_of(action)
    now = time.time()
    window_start = int(now // rate.seconds) * rate.seconds
    retry_after = max(1, math.ceil(window_start + rate.seconds - now))
    cache = caches[settings.RATE_LIMIT_CACHE]
    if not _PLAIN_KEY.fullmatch(key):
        key = "#" + hashlib.sha256(key.encode()).hexdigest()
    cache_key = f"rate-limit:{action}:{key}:{window_start}"
    if not count:
        used = cache.get(cache_key, 0)
    elif cache.add(cache_key, 1, timeout=rate.seconds):
        used = 1
    else:
        try:
            used = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=rate.seconds)
            used = 1
        # Caches without an atomic increment of their own (the file caches) write the
        # new count with their default timeout (five minutes), which would end a longer
        # window early.
        cache.touch(cache_key, timeout=rate.seconds)
    return Usage(count=used, limit=rate.count, retry_after=retry_after)


def _cache_backend(alias: str) -> str | None:
    return settings.CACHES.get(alias, {}).get("BACKEND")


@checks.register(checks.Tags.caches)
def check_rate_limits(app_configs=None, **kwargs):
    """Every limit readable, and a cache that counts."""
    errors = []
    for action, text in getattr(settings, "RATE_LIMITS", {}).items():
        try:
            parse_rate(text)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(f"RATE_LIMITS[{action!r}]: {error}", id="idesluss.E101"))
    alias = getattr(settings, "RATE_LIMIT_CACHE", "default")
    backend = _cache_backend(alias)
    if backend is None:
        errors.append(
            checks.Error(f"RATE_LIMIT_CACHE {alias!r} is not in CACHES.", id="idesluss.E102")
        )
    elif backend == NO_CACHE:
        errors.append(
            checks.Error(
                "The rate-limit cache is a DummyCache: it counts nothing, so no limit holds.",
                hint=_HINT,
                id="idesluss.E103",
            )
        )
    elif backend not in ATOMIC_SHARED_CACHES and backend not in PER_PROCESS_CACHES:
        errors.append(
            checks.Warning(
                f"The rate-limit cache {alias!r} uses {backend}, which may lose counts.",
                hint=_HINT,
                id="idesluss.W102",
            )
        )
    return errors


@checks.register(checks.Tags.caches, deploy=True)
def check_rate_limit_cache_is_shared(app_configs=None, **kwargs):
    """In production every web worker must see, and add to, the same counts.

    Only on `check --deploy`: within one process (runserver, the tests) these caches
    count exactly, so they are no fault there.
    """
    alias = getattr(settings, "RATE_LIMIT_CACHE", "default")
    backend = _cache_backend(alias)
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Warning(
            f"The rate-limit cache {alias!r} ({backend}) {PER_PROCESS_CACHES[backend]}: "
            "with several web workers a limit may be passed several times over.",
            hint=_HINT,
            id="idesluss.W101",
        )
    ]
