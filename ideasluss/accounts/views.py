from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def language_switch(request, code):
    """Remember the chosen language in the language cookie, then go back to `next`.

    A GET link rather than Django's POST `set_language`, so that the switcher on every
    page needs no CSRF token and a public page is the same for every anonymous visitor
    (cms/cache.py). A forged link can at worst change someone's language, which the
    switcher changes back. Like `set_language`, it only sets the cookie, for visitors
    and signed-in users alike; a user's `preferred_language` is left as it is
    (PreferredLanguageMiddleware reads the cookie first). A `next` that leads off the
    site is ignored: the switch lands on the home page instead.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
