"""System checks of the sign-on settings (the rate-limit cache's are in
ideasluss.rate_limits)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


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
