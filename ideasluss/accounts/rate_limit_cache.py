"""A file cache whose `add` and `incr` are atomic across processes, for rate limits.

Django's FileBasedCache reads and writes a counter in two steps, so two web workers
counting at once can lose a step: django-ratelimit's check refuses it for that reason
(django_ratelimit.E003). A deployment without Redis or memcached still gets honest
counts by taking an exclusive lock (flock) on one file around each add and increment.
The locks serialise only rate-limit counting, a few requests an hour per person.
"""

import fcntl
import os
from contextlib import contextmanager

from django.core.cache.backends.filebased import FileBasedCache


class LockedFileBasedCache(FileBasedCache):
    @contextmanager
    def _locked(self):
        self._createdir()
        with open(os.path.join(self._dir, ".lock"), "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def add(self, key, value, timeout=None, version=None):
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._locked():
            return super().incr(key, delta, version)
