"""The best mistake of the year: an archive and one page per year.

Nominations and the jury's work are domain data (`ideas.Nomination`); a year's
page shows only what the jury made public: the winner, its motivation and the
shortlisted nominees.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from ..locales import OriginalFallbackRouting


class MistakeArchivePage(OriginalFallbackRouting, Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.MistakeYearPage"]
    max_count = 1

    class Meta:
        verbose_name = _("best mistake archive")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import mistake_year_pages  # the selectors import the page models

        context = super().get_context(request, *args, **kwargs)
        context["year_pages"] = mistake_year_pages()
        return context


class MistakeYearPage(Page):
    year = models.PositiveSmallIntegerField(_("year"))
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("year"), FieldPanel("introduction")]
    parent_page_types = ["cms.MistakeArchivePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("best mistake of a year")
        ordering = ["-year"]

    def clean(self):
        # One page a year in each language; its translations share the year. (A database
        # constraint cannot span the page's locale, which lives in Page's own table.)
        super().clean()
        others = MistakeYearPage.objects.filter(year=self.year, locale_id=self.locale_id)
        if others.exclude(pk=self.pk).exists():
            raise ValidationError({"year": _("There is already a page for this year.")})

    def get_context(self, request, *args, **kwargs):
        from ..selectors import mistake_year  # the selectors import the page models

        context = super().get_context(request, *args, **kwargs)
        context.update(mistake_year(year=self.year))
        return context
