from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "ideasluss.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # The security log's signal receivers, the sign-on settings' checks and those of
        # the rate limiter (ideasluss.rate_limits, which the password reset limit uses).
        from ideasluss import rate_limits  # noqa: F401

        # The units' cached paths are forgotten when a unit changes (selectors.unit_paths).
        from . import checks, security_log, selectors  # noqa: F401


class IdeslussUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, showing each person's unit, language and roles."""

    default = False
    user_viewset = "ideasluss.accounts.wagtail_hooks.UserViewSet"
