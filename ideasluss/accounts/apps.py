from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "ideasluss.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # The security log's signal receivers and the sign-on settings' checks.
        from . import checks, security_log  # noqa: F401


class IdeslussUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, showing each person's unit, language and roles."""

    default = False
    user_viewset = "ideasluss.accounts.wagtail_hooks.UserViewSet"
