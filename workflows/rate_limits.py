"""Per-person limits on submissions and uploads, counted in the cache.

Each action (a key of `settings.RATE_LIMITS`: "idea_create", "comment", …) allows a
number of requests per person per fixed window ("20/10m": 20 in each ten minutes).
Over the limit the view does not run: the person gets our 429 page, in their language,
with `Retry-After`, and nothing is written. Uploads are counted when they are tried
(the cost is in checking the file); other submissions when they succeed (a form sent
back with errors, status 400, does not count), so that correcting a mistake is free.

The count lives in `settings.RATE_LIMIT_CACHE`, which every process must share:
Redis or memcached count atomically; Django's file cache (the default here) counts
with a read and a write, so a burst of simultaneous requests may slip a few past the
limit (at most one per web worker) — good enough against floods, not an exact quota.
The system checks below refuse a cache that counts nothing, and warn on deployment
about one that each process keeps for itself. We count with the cache directly rather
than through django-ratelimit, whose checks reject the file cache outright and whose
decorator cannot count the Wagtail admin's image form (docs/security-uploads.md).
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_UNSHARED_CACHE = "django.core.cache.backends.locmem.LocMemCache"
_NO_CACHE = "django.core.cache.backends.dummy.DummyCache"


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


def usage(action: str, user_pk: int, *, count: bool) -> Usage:
    """This window's use of `action` by the person; counts one more when `count`."""
    rate = rate_of(action)
    now = time.time()
    window_start = int(now // rate.seconds) * rate.seconds
    retry_after = max(1, math.ceil(window_start + rate.seconds - now))
    cache = caches[settings.RATE_LIMIT_CACHE]
    key = f"rate-limit:{action}:{user_pk}:{window_start}"
    if not count:
        used = cache.get(key, 0)
    elif cache.add(key, 1, timeout=rate.seconds):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=rate.seconds)
            used = 1
        # Caches without an atomic increment (the file cache) write the new count with
        # their default timeout (five minutes), which would end a longer window early.
        cache.touch(key, timeout=rate.seconds)
    return Usage(count=used, limit=rate.count, retry_after=retry_after)


def rate_limit_message(retry_after: int) -> str:
    minutes = max(1, math.ceil(retry_after / 60))
    return ngettext(
        "You have done this many times in a short while. Wait %(minutes)d minute and try again.",
        "You have done this many times in a short while. Wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def count_or_refuse(action: str, user) -> None:
    """Count one try of `action`, or refuse it (ValidationError) when the limit is reached.

    For forms that have no view of ours to decorate (the Wagtail admin's image form).
    """
    if user is None or not user.is_authenticated:
        return
    used = usage(action, user.pk, count=True)
    if used.count > used.limit:
        _log_refusal(action, user.pk)
        raise ValidationError(rate_limit_message(used.retry_after), code="rate_limited")


def too_many_requests(request: HttpRequest, used: Usage) -> HttpResponse:
    """Our 429 page, with the wait in minutes and `Retry-After` in seconds."""
    response = render(
        request,
        "429.html",
        {"rate_limit_message": rate_limit_message(used.retry_after)},
        status=429,
    )
    response["Retry-After"] = str(used.retry_after)
    return response


def _log_refusal(action: str, user_pk: int) -> None:
    logger.warning("Rate limit reached: %s by user %s", action, user_pk)


def rate_limited(action: str, *, count_refused: bool = False):
    """View decorator: a person over `action`'s limit gets the 429 page, the view never runs.

    With `count_refused`, every try counts, before the view runs (uploads: checking
    the file is the cost). Otherwise a request counts once the view has answered it
    with anything but a 4xx. Anonymous requests pass: the view sends them to sign in.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return view(request, *args, **kwargs)
            if count_refused:
                used = usage(action, user.pk, count=True)
                if used.count > used.limit:
                    _log_refusal(action, user.pk)
                    return too_many_requests(request, used)
                return view(request, *args, **kwargs)
            used = usage(action, user.pk, count=False)
            if used.exhausted:
                _log_refusal(action, user.pk)
                return too_many_requests(request, used)
            response = view(request, *args, **kwargs)
            if response.status_code < 400:
                usage(action, user.pk, count=True)
            return response

        return wrapped

    return decorator


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
    backend = settings.CACHES.get(alias, {}).get("BACKEND")
    if backend is None:
        errors.append(
            checks.Error(f"RATE_LIMIT_CACHE {alias!r} is not in CACHES.", id="idesluss.E102")
        )
    elif backend == _NO_CACHE:
        errors.append(
            checks.Error(
                "The rate-limit cache is a DummyCache: it counts nothing, so no limit holds.",
                hint="Use the file cache, Redis or memcached (docs/security-uploads.md).",
                id="idesluss.E103",
            )
        )
    return errors


@checks.register(checks.Tags.caches, deploy=True)
def check_rate_limit_cache_is_shared(app_configs=None, **kwargs):
    """In production every web worker must see the same counts."""
    alias = getattr(settings, "RATE_LIMIT_CACHE", "default")
    if settings.CACHES.get(alias, {}).get("BACKEND") == _UNSHARED_CACHE:
        return [
            checks.Warning(
                "The rate-limit cache is a LocMemCache: each process counts for itself, so a "
                "person may do as many times the limit as there are web workers.",
                hint="Use the file cache, Redis or memcached (docs/security-uploads.md).",
                id="idesluss.W101",
            )
        ]
    return []
