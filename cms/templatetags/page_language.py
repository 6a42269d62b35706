"""The language of a public page's own text, and the notice when it is not the reader's."""

from django import template
from django.utils.html import format_html
from wagtail.models import Page

from ..locales import is_shown_untranslated, language_of

register = template.Library()


def _untranslated(page) -> bool:
    return isinstance(page, Page) and is_shown_untranslated(page)


@register.simple_tag
def content_lang(page) -> str:
    """` lang="sv"` on an element holding the page's own text when the page is shown to a
    reader of another language (WCAG 3.1.2, language of parts); nothing otherwise."""
    if not _untranslated(page):
        return ""
    return format_html(' lang="{}"', language_of(page))


@register.inclusion_tag("cms/includes/untranslated_notice.html", takes_context=True)
def untranslated_notice(context):
    """Says, in the reader's language, that this page has no translation yet."""
    return {"untranslated": _untranslated(context.get("page"))}
