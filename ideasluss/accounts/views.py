from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .forms import ProfileForm
from .services import PROFILE_FIELDS, profile_update


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
    _remember_language(response, code)
    return response


def _remember_language(response, code: str) -> None:
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


class ProfileView(LoginRequiredMixin, View):
    """The signed-in person's own profile: name, unit, language and how they hear of
    their notifications. A refused form comes back with what was typed and why."""

    template_name = "accounts/profile.html"

    def get(self, request):
        user = request.user
        form = ProfileForm(initial={name: getattr(user, name) for name in PROFILE_FIELDS})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = ProfileForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        user = profile_update(user=request.user, **form.cleaned_data)
        # The chosen language shows at once: the middleware reads the cookie first.
        translation.activate(user.preferred_language)
        messages.success(request, _("Your profile is saved."))
        response = redirect("profile")
        _remember_language(response, user.preferred_language)
        return response
