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
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language or not translation.check_for_language(language):
            user = getattr(request, "user", None)
            language = (
                user.preferred_language
                if user is not None and user.is_authenticated
                else settings.LANGUAGE_CODE
            )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
