"""Dates as the tests need them."""

from django.utils import timezone


def today():
    """The municipality's date (TIME_ZONE), as the pages use, read when asked: not the
    machine's UTC date, and not one taken at import, which is yesterday's for the tests
    that run after a local midnight."""
    return timezone.localdate()
