"""Who may sign in with a password, and the settings of sign-on that views share."""

from django.conf import settings
from django.core.exceptions import PermissionDenied


def local_login_enabled() -> bool:
    """Whether people may sign in with a username and password (`LOCAL_LOGIN_ENABLED`)."""
    return bool(getattr(settings, "LOCAL_LOGIN_ENABLED", True))


class LocalLoginSwitchBackend:
    """Refuses every password sign-in while local login is switched off.

    It stands before Django's ModelBackend in AUTHENTICATION_BACKENDS, so one rule covers
    every path that calls `authenticate()` with a password: our login page, the Wagtail
    admin's (/admin/login/), the Django admin's and anything added later. Raising
    PermissionDenied stops `authenticate()` at once and sends `user_login_failed`, so the
    refusal is logged and counted like any failed sign-in. ModelBackend stays in the list
    for the permissions the admin reads, and sessions made by it stay valid.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and not local_login_enabled():
            raise PermissionDenied("Local password sign-in is switched off.")
        return None
