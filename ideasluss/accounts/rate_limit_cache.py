"""A file cache whose `add` and `incr` are atomic across processes, for rate limits.

Django's FileBasedCache reads and writes a counter in two steps, so two web workers
counting at once can lose a step (the rate limiter's check warns about it on deployment,
ideasluss.rate_limits). A deployment without Redis or memcached still gets honest
counts by taking an exclusive lock (flock) on one file around each add, increment and
touch (the limiter re-gives an incremented count its window's timeout). The locks
serialise only rate-limit counting, a few requests a minute per person.
"""

import fcntl
import os
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
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

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._locked():
            return super().incr(key, delta, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        # Locked too: a touch rewrites the count it read, so one racing an increment
        # could otherwise write into a file the increment has just replaced.
        with self._locked():
            return super().touch(key, timeout, version)
