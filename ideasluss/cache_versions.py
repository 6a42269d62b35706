"""Versioned keys: forgetting many cached values at once by renewing one value.

A cache of bounded size cannot list what it holds, so a group of values (the public
pages, the fund's figures) is stored under keys that include a *version*, one value of
its own in the cache. Renewing the version orphans the whole group at once; the old
entries age out. Renewed now, so the request that changed something sees it, and again
after its transaction commits, so that a value computed in between from the old rows
(by a request that read before the commit) is not kept.
"""

import uuid

from django.db import transaction


def current_version(cache, key: str) -> str:
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version


def renew_version(cache, key: str) -> None:
    def renew() -> None:
        cache.set(key, uuid.uuid4().hex, timeout=None)

    renew()
    transaction.on_commit(renew)
