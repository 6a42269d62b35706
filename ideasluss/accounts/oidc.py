"""Sign-on with the organisation's identity provider over OpenID Connect.

mozilla-django-oidc runs the code flow (state, nonce and PKCE kept in the session). This
module adds what it leaves to the project (docs/sign-on.md):

- the provider's endpoints from its discovery document, read when first needed and
  cached, unless they are given one by one in the settings;
- a stricter ID token check: RS256 only, the audience must be our client id, the issuer
  the provider's, and `exp`, `iat` and `sub` must be present;
- the person's account found by the provider's subject and updated from the claims
  (`ideasluss.accounts.services.user_from_identity_provider`);
- pages that say in Swedish what went wrong instead of a bare 400, and nothing at all
  while sign-on is not configured.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .sign_in_protection import client_ip

logger = logging.getLogger("idesluss.security")

# Our setting, the discovery document's key.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_ISSUER": "issuer",
}


def oidc_enabled() -> bool:
    """Whether sign-on is configured: a client id and a discovery URL or endpoints."""
    return bool(getattr(settings, "OIDC_ENABLED", False))


def provider_name() -> str:
    """How the login button names the provider ("Logga in med …")."""
    return settings.OIDC_PROVIDER_NAME or _("the organisation's account")


def provider_configuration() -> dict[str, str]:
    """The provider's endpoints and issuer, keyed by our setting names.

    A setting given explicitly wins; the rest come from the discovery document
    (OIDC_OP_DISCOVERY_URL), fetched on first use and cached for
    OIDC_DISCOVERY_CACHE_SECONDS in the shared cache, so a provider that is slow or down
    delays only sign-on, never password sign-in or a page. Raises
    requests.RequestException or ImproperlyConfigured when it cannot be read.
    """
    explicit = {name: getattr(settings, name, "") for name in ENDPOINTS}
    if all(explicit.values()) or not settings.OIDC_OP_DISCOVERY_URL:
        missing = [name for name, value in explicit.items() if not value]
        if missing:
            raise ImproperlyConfigured(
                f"Sign-on needs OIDC_DISCOVERY_URL or all of {', '.join(sorted(missing))}."
            )
        return explicit
    url = settings.OIDC_OP_DISCOVERY_URL
    cache_key = f"oidc-discovery:{url}"
    document = cache.get(cache_key)
    if document is None:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        missing = [key for key in ENDPOINTS.values() if not document.get(key)]
        if missing:
            raise ImproperlyConfigured(
                f"The discovery document at {url} lacks {', '.join(sorted(missing))}."
            )
        cache.set(cache_key, document, settings.OIDC_DISCOVERY_CACHE_SECONDS)
    return {name: explicit[name] or document[key] for name, key in ENDPOINTS.items()}


def _endpoint(name: str):
    return property(lambda self: provider_configuration()[name])


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of the code flow and keeps the account in step."""

    OIDC_OP_TOKEN_ENDPOINT = _endpoint("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _endpoint("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _endpoint("OIDC_OP_JWKS_ENDPOINT")
    issuer = _endpoint("OIDC_OP_ISSUER")

    def __init__(self, *args, **kwargs):
        # Not the parent's: it reads the endpoints at once, and Django makes a backend
        # for every authenticate() call, password sign-ins included.
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or not oidc_enabled() or "code" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (
            SuspiciousOperation,
            ImproperlyConfigured,
            requests.RequestException,
            ValueError,  # a body that is not JSON
            IntegrityError,  # two first sign-ons of one person at once; the next one works
        ) as error:
            # None makes authenticate() send user_login_failed; the reason is logged here.
            logger.warning("Sign-on refused from %s: %s", client_ip(request), error)
            return None

    def get_payload_data(self, token, key):
        """The ID token's claims, after every check the library leaves out."""
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
            if algorithm != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation(f"ID token signed with {algorithm!r}")
            return jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer,
                leeway=settings.OIDC_CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims with the userinfo endpoint's on top.

        Entra ID puts groups, roles and optional claims such as the department only in
        the ID token, and its userinfo answers little more than the name; Keycloak puts
        them in both. The userinfo must be about the same subject (OIDC Core 5.3.2).
        """
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload["sub"]:
            raise SuspiciousOperation("The userinfo is about another subject than the ID token.")
        return {**payload, **userinfo}

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub") and claims.get("email"))

    def get_or_create_user(self, access_token, id_token, payload):
        from .services import user_from_identity_provider

        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            if not self.verify_claims(claims):
                raise SuspiciousOperation("The provider sent no subject or no e-mail address.")
            return user_from_identity_provider(claims=claims)
        except SuspiciousOperation as error:
            # The library would log this under its own name; it belongs in the security log.
            logger.warning("Sign-on refused from %s: %s", client_ip(self.request), error)
            return None


class SignOnRequestView(OIDCAuthenticationRequestView):
    """ "Logga in med …": sends the browser to the provider (404 while not configured)."""

    def __init__(self, *args, **kwargs):
        # The endpoint is read in get(), when someone actually signs on.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_configuration()["OIDC_OP_AUTHORIZATION_ENDPOINT"]
        except (ImproperlyConfigured, requests.RequestException, ValueError) as error:
            logger.error("Sign-on unavailable: the provider could not be read: %s", error)
            messages.error(
                request,
                _(
                    "Signing in with %(provider)s does not work just now. Try again in a "
                    "while; if it goes on, tell the IT service desk."
                )
                % {"provider": provider_name()},
            )
            return HttpResponseRedirect(reverse("login"))
        return super().get(request)


class SignOnCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; a refusal is a message, never a 400."""

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            # An unknown or reused state: a forged or replayed callback, or an old tab.
            logger.warning("Sign-on refused from %s: %s", client_ip(request), error)
            return self.login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Signing in with %(provider)s did not succeed. Try again; if it goes on, "
                "tell the IT service desk."
            )
            % {"provider": provider_name()},
        )
        return HttpResponseRedirect(reverse("login"))
