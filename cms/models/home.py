from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from ..locales import OriginalFallbackRouting


class HomePage(OriginalFallbackRouting, Page):
    """The root of the public site: what the idea sluice is, live figures, the latest news."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["wagtailcore.Page"]
    # One home page, translated: its translations are copies, not new pages.
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        # The selectors import the page models, so they are imported where they are used.
        from ..figures import home_figures
        from ..story_selectors import featured_results, latest_best_mistake

        context = super().get_context(request, *args, **kwargs)
        context["figures"] = home_figures()
        context["featured_results"] = featured_results()
        context["best_mistake"] = latest_best_mistake()
        return context
