"""The security log of sign-in: one line for each failed sign-in and each lockout.

Everything goes to the `idesluss.security` logger (LOGGING sends it to the console like
the rest; an operator routes it to the municipality's log collection). Django hands
`user_login_failed` the credentials with the password already replaced, and only the
username and the client's address are written: never a password, never a token.
The records a person can be shown or that retention clears are django-axes' own models
(AccessAttempt, AccessFailureLog, AccessLog); this log is for the operator.
"""

import logging

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("idesluss.security")


def client_address(request) -> str:
    """The client's address as django-axes sees it (CLIENT_IP_META_KEY), or "-"."""
    if request is None:
        return "-"
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request) or "-"


@receiver(user_login_failed, dispatch_uid="idesluss_security_login_failed")
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if username is None:
        # A sign-on callback (no username): the OIDC backend logs why it refused.
        return
    logger.warning(
        "Failed sign-in for username %r from %s at %s",
        username,
        client_address(request),
        getattr(request, "path", "-"),
    )


@receiver(user_locked_out, dispatch_uid="idesluss_security_locked_out")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    logger.warning(
        "Sign-in locked for username %r from %s after too many failures",
        username,
        ip_address or client_address(request),
    )
