"""Which translation of a public page a visitor reads.

Swedish is the original language of the site: every page exists in Swedish first, and an
editor may add an English translation (Wagtail's own localisation, "Translate" in the
admin). Both translations answer at the same address; the visitor's language, chosen by
the switcher or the user's preference (PreferredLanguageMiddleware), decides which is
served. Where no live translation exists, the Swedish original is served instead and the
page says so (`templates/cms/page.html`).

Lists (the home page's latest results, an index, the feeds, the search) show each page
once: in the visitor's language where a live translation exists, else the original.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

# The locales' ids by language code, read once per process: they change only when an
# administrator adds a language (which needs WAGTAIL_CONTENT_LANGUAGES changed too), and
# every page and list asks for them.
_locale_ids: dict[str, int] | None = None


def locale_ids() -> dict[str, int]:
    """Every locale's id by its language code (one query per process)."""
    global _locale_ids
    if _locale_ids is None:
        _locale_ids = dict(Locale.objects.values_list("language_code", "pk"))
    return _locale_ids


@receiver(post_save, sender=Locale, dispatch_uid="cms-locale-ids-saved")
@receiver(post_delete, sender=Locale, dispatch_uid="cms-locale-ids-deleted")
def forget_locale_ids(**kwargs) -> None:
    global _locale_ids
    _locale_ids = None


def language_of(page) -> str:
    """The language code of `page`'s locale, without a query."""
    codes = {pk: code for code, pk in locale_ids().items()}
    return codes.get(page.locale_id) or original_language()


def original_language() -> str:
    """The language every page is written in first (the site's default, Swedish)."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def visitor_language() -> str:
    """The content language the visitor reads (the active UI language, as Wagtail maps it)."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return original_language()


def _ids() -> tuple[int | None, int | None]:
    ids = locale_ids()
    return ids.get(original_language()), ids.get(visitor_language())


def localized(pages):
    """`pages` (a page queryset) with each page once, in the visitor's language where a
    live translation exists, else in the original language (one subquery, no extra
    query)."""
    original, visitor = _ids()
    if visitor is None or visitor == original:
        return pages.filter(locale_id=original)
    translated = Page.objects.live().filter(
        locale_id=visitor, translation_key=OuterRef("translation_key")
    )
    return pages.filter(Q(locale_id=visitor) | (Q(locale_id=original) & ~Exists(translated)))


def localized_for_search(pages):
    """`localized` for a search: the search index filters only on indexed fields (the
    locale, the translation key), so the translated originals are left out by their keys
    (one query)."""
    original, visitor = _ids()
    if visitor is None or visitor == original:
        return pages.filter(locale=original)
    translated = list(
        Page.objects.live().filter(locale_id=visitor).values_list("translation_key", flat=True)
    )
    return pages.filter(
        Q(locale=visitor) | (Q(locale=original) & ~Q(translation_key__in=translated))
    )


def originals(pages):
    """`pages` (a page queryset) in the original language only: what staff work on
    (a story page made from an idea) and what is counted once."""
    return pages.filter(locale_id=locale_ids().get(original_language()))


class OriginalFallbackRouting:
    """Route to a child that has no translation yet: the original's child is served.

    Mixed into the page types that have children. Wagtail routes an English visitor
    through the English translation of the home page; a child that exists only in
    Swedish is then not found among the English page's children. It is looked up among
    the original's children instead, and served (in Swedish, with the notice), or its
    English translation when that lives under another parent.
    """

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
            original = self._original_translation()
            if original is None:
                raise
            child = original.get_children().filter(slug=path_components[0]).first()
            if child is None:
                raise
            child = child.specific
            child._cached_parent_obj = original
            return child.localized.specific.route(request, path_components[1:])

    def _original_translation(self):
        original = locale_ids().get(original_language())
        if original is None or self.locale_id == original:
            return None
        page = self.get_translation_or_none(original)
        return page.specific if page is not None else None


def is_shown_untranslated(page) -> bool:
    """True when `page` is served to a reader of another language (no translation yet)."""
    return language_of(page) != visitor_language()
