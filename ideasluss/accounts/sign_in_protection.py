"""Protection of local sign-in: the client's address, the lockout page and the limit on
password reset e-mails (docs/sign-on.md)."""

import hashlib
import logging

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render

from ideasluss.rate_limits import usage

logger = logging.getLogger("idesluss.security")


def client_ip(request) -> str:
    """The client's address: `REMOTE_ADDR`, or the header the TLS proxy sets
    (`CLIENT_IP_META_KEY`, e.g. HTTP_X_FORWARDED_FOR). In a forwarded list the last
    entry is the one our own proxy added; earlier ones are whatever the client sent."""
    value = request.META.get(settings.CLIENT_IP_META_KEY) or request.META.get("REMOTE_ADDR", "")
    return value.rsplit(",", 1)[-1].strip()


def lockout_response(request, original_response=None, credentials=None):
    """The login page with the lockout message (AXES_LOCKOUT_CALLABLE), status 429.

    It serves every login that django-axes stops, including the Wagtail and Django admin
    logins, so a locked person sees our page in Swedish rather than a bare 403.
    """
    from .backends import local_login_enabled

    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    context = {
        "locked_out": True,
        "lockout_minutes": minutes,
        "local_login_enabled": local_login_enabled(),
    }
    return render(request, "registration/login.html", context, status=429)


def _address_key(request) -> str:
    """The rate-limit key of the e-mail address asked for: a digest, so the cache holds
    no address in clear."""
    address = request.POST.get("email", "").strip().casefold()
    return hashlib.sha256(address.encode()).hexdigest()


def password_reset_allowed(request) -> bool:
    """Whether this password reset request may send an e-mail, counting it.

    At most `RATE_LIMITS["password_reset_address"]` e-mails per address and
    `RATE_LIMITS["password_reset_client"]` requests per client address (3 and 20 an
    hour by default; fixed windows, ideasluss.rate_limits). Both counters go up on every
    request, so a client that sprays addresses is stopped as well as one that floods
    one address.
    """
    by_address = usage("password_reset_address", _address_key(request), count=True).exceeded
    by_client = usage("password_reset_client", client_ip(request), count=True).exceeded
    if by_address or by_client:
        logger.warning(
            "Password reset e-mail not sent: limit per %s reached (from %s)",
            "address" if by_address else "client address",
            client_ip(request),
        )
        return False
    return True


def is_not_a_password_attempt(request, credentials=None) -> bool:
    """AXES_WHITELIST_CALLABLE: only password sign-ins (with a username) are counted.

    A sign-on callback from the identity provider authenticates without a username; were
    it counted, a few broken callbacks from behind the municipality's shared address
    would lock sign-on for everyone there. The provider protects its own password form.
    """
    return not (credentials or {}).get("username")
