"""Information pages: the accessibility statement, privacy, help and contact.

Pages every public-sector site must have, written and kept up to date by editors; the site
tree creates them at fixed addresses (`cms/site_tree.py`) so the footer can link to them
without a query.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import InformationBlock


class StandardPage(Page):
    """A page of plain information: an introduction and a body of text and questions."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(InformationBlock(), verbose_name=_("text"), blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
