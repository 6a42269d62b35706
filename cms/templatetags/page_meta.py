"""Meta data of a public page: its description and Open Graph tags for link previews."""

from urllib.parse import urljoin

from django import template
from django.utils import translation
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from ..models import LessonPage, MistakeYearPage, ResultPage
from ..renditions import OPEN_GRAPH_IMAGE_SPEC

register = template.Library()

DESCRIPTION_CHARS = 300
# The same words as base.html's default description.
DEFAULT_DESCRIPTION = _("Idésluss: every employee can turn an idea into a real improvement.")
OPEN_GRAPH_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
ARTICLE_TYPES = (ResultPage, LessonPage, MistakeYearPage)


def _description(page) -> str:
    if not isinstance(page, Page):
        return ""
    for field in ("search_description", "summary", "introduction"):
        text = " ".join(str(getattr(page, field, "") or "").split())
        if text:
            return Truncator(text).chars(DESCRIPTION_CHARS)
    return ""


@register.simple_tag
def page_description(page) -> str:
    """The page's own description: search description, else summary, else introduction."""
    return _description(page)


@register.inclusion_tag("cms/includes/open_graph.html", takes_context=True)
def open_graph(context):
    """Open Graph tags for a Wagtail page (nothing for other views)."""
    page = context.get("page")
    request = context.get("request")
    if not isinstance(page, Page) or request is None:
        return {"page": None}
    page_url = page.get_full_url(request)
    if page_url is None:
        return {"page": None}
    # A routable page's sub-page (a decision in the register) has its own address.
    url = urljoin(page_url, request.path)
    language = translation.get_language() or "sv"
    locale = OPEN_GRAPH_LOCALES.get(language, OPEN_GRAPH_LOCALES["sv"])
    image = image_alt = None
    hero_image = getattr(page, "hero_image", None)
    if hero_image is not None:
        rendition = hero_image.get_rendition(OPEN_GRAPH_IMAGE_SPEC)
        image = {
            "url": urljoin(page_url, rendition.url),
            "width": rendition.width,
            "height": rendition.height,
        }
        image_alt = getattr(page, "hero_image_alt", "")
    return {
        "page": page,
        "title": page.seo_title or page.title,
        "description": _description(page) or str(DEFAULT_DESCRIPTION),
        "type": "article" if isinstance(page, ARTICLE_TYPES) else "website",
        "url": url,
        "locale": locale,
        "alternate_locales": [code for code in OPEN_GRAPH_LOCALES.values() if code != locale],
        "image": image,
        "image_alt": image_alt,
    }


@register.simple_tag
def page_kind(page) -> str:
    """What kind of page this is, as a reader would say it ("Result", "Lesson")."""
    return capfirst(page.specific_class._meta.verbose_name) if isinstance(page, Page) else ""
