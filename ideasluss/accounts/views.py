from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .backends import local_login_enabled
from .forms import LoginForm, ProfileForm
from .oidc import oidc_enabled, provider_name
from .services import PROFILE_FIELDS, profile_update
from .sign_in_protection import password_reset_allowed


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


class SignInView(auth_views.LoginView):
    """The login page: "Logga in med …" when sign-on is configured, and the username and
    password form while local login is on. With local login off a password POST is
    refused here (403) as well as by LocalLoginSwitchBackend for every other login."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            local_login_enabled=local_login_enabled(),
            oidc_enabled=oidc_enabled(),
            oidc_provider_name=provider_name() if oidc_enabled() else "",
        )

    def post(self, request, *args, **kwargs):
        if not local_login_enabled():
            messages.error(
                request,
                _("Signing in with a password is switched off. Sign in with %(provider)s.")
                % {"provider": provider_name()},
            )
            return self.render_to_response(self.get_context_data(), status=403)
        return super().post(request, *args, **kwargs)


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, sending at most a few e-mails per address and per client
    in an hour (`password_reset_allowed`). Over the limit the page is the same "sent if
    the address exists", so it tells no one whether an address exists or is limited."""

    def dispatch(self, request, *args, **kwargs):
        if not local_login_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if not password_reset_allowed(self.request):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
