"""System checks of the sign-on and sign-in protection settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

# Backends whose add() and incr() are atomic across processes, so rate-limit counts hold
# with several web workers. These checks stand in for django-ratelimit's own (its app is
# not installed, see the Sign-on block of the settings): its warning names only the
# first three of these, and so fires on Django's own RedisCache.
ATOMIC_SHARED_CACHES = {
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django_redis.cache.RedisCache",
    "django.core.cache.backends.redis.RedisCache",
    "ideasluss.accounts.rate_limit_cache.LockedFileBasedCache",
}


# Known to lose counts: not shared between processes, not a cache, or read-then-write.
BROKEN_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": "is not shared between processes",
    "django.core.cache.backends.dummy.DummyCache": "is not a real cache",
    "django.core.cache.backends.filebased.FileBasedCache": "does not increment atomically",
    "django.core.cache.backends.db.DatabaseCache": "does not increment atomically",
}


@checks.register(checks.Tags.caches)
def rate_limit_cache_is_atomic(app_configs, **kwargs):
    alias = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    if alias not in settings.CACHES:
        return [
            checks.Error(
                f"RATELIMIT_USE_CACHE names {alias!r}, which is not in CACHES.",
                id="accounts.E002",
            )
        ]
    backend = settings.CACHES[alias].get("BACKEND", "")
    if backend in ATOMIC_SHARED_CACHES:
        return []
    if backend in BROKEN_CACHES:
        return [
            checks.Error(
                f"The rate-limit cache {alias!r} ({backend}) {BROKEN_CACHES[backend]}: "
                "password reset limits would not hold.",
                hint="Use Redis, memcached or ideasluss.accounts.rate_limit_cache."
                "LockedFileBasedCache for RATELIMIT_USE_CACHE (docs/sign-on.md).",
                id="accounts.E002",
            )
        ]
    return [
        checks.Warning(
            f"The rate-limit cache {alias!r} uses {backend}, which may lose counts.",
            hint="Use Redis, memcached or ideasluss.accounts.rate_limit_cache."
            "LockedFileBasedCache for RATELIMIT_USE_CACHE (docs/sign-on.md).",
            id="accounts.W001",
        )
    ]


@checks.register()
def sign_on_roles_exist(app_configs, **kwargs):
    from .roles import Role

    named = set(getattr(settings, "OIDC_ROLE_MAP", {}).values())
    named |= set(getattr(settings, "OIDC_DEFAULT_ROLES", []))
    unknown = sorted(named - set(Role.values))
    if not unknown:
        return []
    return [
        checks.Error(
            f"OIDC_ROLE_MAP or OIDC_DEFAULT_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"The roles are {', '.join(Role.values)}.",
            id="accounts.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def sign_on_uses_https(app_configs, **kwargs):
    """Tokens and codes travel to these addresses: in production only over HTTPS."""
    if not getattr(settings, "OIDC_ENABLED", False):
        return []
    names = [
        "OIDC_OP_DISCOVERY_URL",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    ]
    plain = [name for name in names if urlsplit(getattr(settings, name, "")).scheme == "http"]
    if not plain:
        return []
    return [
        checks.Warning(
            f"Sign-on talks to the identity provider over plain HTTP: {', '.join(plain)}.",
            hint="Use the provider's https:// addresses.",
            id="accounts.W002",
        )
    ]


@checks.register()
def someone_can_sign_in(app_configs, **kwargs):
    if getattr(settings, "LOCAL_LOGIN_ENABLED", True) or getattr(settings, "OIDC_ENABLED", False):
        return []
    return [
        checks.Error(
            "LOCAL_LOGIN_ENABLED is off and sign-on is not configured: nobody can sign in.",
            hint="Set OIDC_CLIENT_ID and OIDC_DISCOVERY_URL, or leave local login on.",
            id="accounts.E003",
        )
    ]
