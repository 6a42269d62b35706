"""System checks of the sign-on and sign-in protection settings."""

from django.conf import settings
from django.core import checks

# Backends whose add() and incr() are atomic across processes, so rate-limit counts hold
# with several web workers. django-ratelimit's own W001 names only the first three and so
# warns about Django's own RedisCache; it is silenced in settings and this check stands in
# for it (its E003 for caches that are not shared or not atomic stays on).
ATOMIC_SHARED_CACHES = {
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django_redis.cache.RedisCache",
    "django.core.cache.backends.redis.RedisCache",
    "ideasluss.accounts.rate_limit_cache.LockedFileBasedCache",
}


@checks.register(checks.Tags.caches)
def rate_limit_cache_is_atomic(app_configs, **kwargs):
    alias = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend in ATOMIC_SHARED_CACHES:
        return []
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
