from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self):
        # Registers the rate limits' system checks (docs/security-uploads.md).
        from . import rate_limits  # noqa: F401
