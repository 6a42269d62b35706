from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PreferredLanguageMiddleware(LocaleMiddleware):
    """Choose the UI language: the switcher's cookie, else the user's preference, else Swedish.

    Django's LocaleMiddleware would fall back to the browser's Accept-Language,
    which would show most visitors English; Idésluss is Swedish first, so the
    browser's wish is ignored and a person picks English explicitly.
    """

    def process_request(self, request):
        language = chosen_language(request)
        if language is None:
            user = getattr(request, "user", None)
            language = (
                user.preferred_language
                if user is not None and user.is_authenticated
                else settings.LANGUAGE_CODE
            )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def chosen_language(request) -> str | None:
    """The language picked with the switcher (its cookie), if it is one we speak."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language and translation.check_for_language(language):
        return language
    return None


def anonymous_language(request) -> str:
    """The language an anonymous visitor is shown."""
    return chosen_language(request) or settings.LANGUAGE_CODE
