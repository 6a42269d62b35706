from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "ideasluss.fund"
    label = "fund"
    verbose_name = _("Innovation fund")

    def ready(self):
        # The receivers that renew the cached figures (ideasluss/fund/figures.py).
        from . import figures  # noqa: F401
