from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Public site")

    def ready(self):
        # Connect the receivers: the page cache's invalidation, the home figures' cache.
        from . import cache, renditions, signals  # noqa: F401
