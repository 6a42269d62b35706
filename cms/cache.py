"""A cache of the public site's rendered pages, for anonymous visitors.

An anonymous public page is the same for every visitor of one language: the language
switcher is made of GET links (ideasluss.accounts.views.language_switch) and the public
search is a GET form, so no public page carries a CSRF token or anything else of the
visitor's. Such a page is stored once per (site version, scheme, host, language, full
path) and served to every anonymous visitor who asks for it.

Why our own middleware and not Django's cache framework:

- Django's UpdateCacheMiddleware/FetchFromCacheMiddleware key a page on the Vary
  headers of the final response. Every page reads the session (is the visitor signed
  in?), so SessionMiddleware adds `Vary: Cookie`, and the key becomes the visitor's
  whole Cookie header: anyone who has a `csrftoken` cookie (from the login page, kept
  for a year) gets a private copy of every page, and the shared copies are pushed out
  of a cache of bounded size. Dropping `Vary: Cookie` instead would let browsers reuse
  a page across a language switch or a sign-in.
- The site-wide framework also stores every GET response that is not marked private:
  staff pages, notifications, the login form with its token. All of that would need
  marking; here only the Wagtail pages and the views marked `public_cache` are stored.
- `cache_page` inside the view would see no `Vary: Cookie`, but it cannot wrap Wagtail's
  `serve` without copying Wagtail's URL patterns, its key prefix is fixed when the view
  is decorated (the site version changes), and it sends `Expires` and a 10-minute
  max-age to browsers. wagtail-cache 3.0 (the latest release) requires `wagtail<8.0`.

Invalidation is by a "site version": one value in the cache that is part of every
page's key (a whole response of the cookieless path is stored with the version it was
rendered under instead, and read together with the current one in one round trip).
Publishing, unpublishing, moving or deleting a page, and any change to the
domain data the public pages show (ideas, fund decisions, costs, nominations...) replace
it, so every page renders afresh on its next request. Pages depend on each other (the
home page lists results, the fund page counts decisions), so throwing everything away
is the only invalidation that is simple enough to be right.

What is cached: GET responses (status 200) of Wagtail pages and of the public views
decorated with `public_cache` (feeds, sitemap, robots.txt), for anonymous visitors
without pending messages. Never cached: signed-in users, free-text searches (a `q`
parameter), responses that set cookies, change the session or used a value of the
visitor's (a CSRF token, a CSP nonce: a form or inline script added to a public
template some day makes its page uncacheable, never one visitor's token everyone's),
responses marked private/no-cache/no-store (Wagtail marks pages behind a view
restriction so), streaming responses.

Two middlewares serve stored pages. Most visitors of the public site carry no cookie of
ours (no session, no pending message): `CookielessPageCacheMiddleware`, placed before the
session, serves them the whole stored response (its headers as the middleware inside it
left them) without running the session, CSRF, authentication, language, messages, CSP and
other middleware for every request; that stack cost about as much as the rest of a hit.
A visitor with a session cookie (signed in, or anonymous with something kept in the
session) goes through all of them to `PublicPageCacheMiddleware`, last in MIDDLEWARE,
which decides from the request as Django sees it whether a stored copy may be used. The
inner one decides what may be stored in both cases; the outer one only says where.

The cache must be shared by every process (see CACHES in the settings), or a publish
would only reach the process that handled it.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from wagtail import views as wagtail_views
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from ideasluss.accounts.middleware import anonymous_language
from ideasluss.cache_versions import current_version, renew_version

VERSION_KEY = "public-page-cache:site-version"
KEY_PREFIX = "public-page-cache:page"
#: Whole responses for visitors without cookies of ours (CookielessPageCacheMiddleware).
WHOLE_KEY_PREFIX = "public-page-cache:whole"
#: Says whether a page came from the cache ("hit") or was just stored ("miss").
STATUS_HEADER = "X-Public-Cache"
REFUSING_CACHE_CONTROL = ("private", "no-cache", "no-store")
# Headers that come from the view and belong to the page (the rest is added per
# response by the middleware around this one: cookies, CSP, Content-Language...).
STORED_HEADERS = ("Content-Type", "Content-Disposition", "Last-Modified")

#: Domain models whose changes can show on a public page (figures, story facts,
#: the fund register, the best mistake). A save or delete of one renews the site version.
PUBLIC_DATA_MODELS = frozenset(
    {
        "accounts.Unit",
        "fund.Application",
        "fund.BudgetLine",
        "fund.Cost",
        "fund.Decision",
        "fund.Fund",
        # A meeting's date, and its minutes checked and posted (the appeal period).
        "fund.Meeting",
        "fund.MoneyReturn",
        "ideas.Evaluation",
        "ideas.Idea",
        "ideas.Nomination",
        "ideas.TestPlan",
        # A page put behind a password or login must leave the cache at once.
        "wagtailcore.PageViewRestriction",
        "wagtailcore.Site",
        "wagtailimages.Image",
    }
)


def page_cache():
    return caches[getattr(settings, "PUBLIC_PAGE_CACHE_ALIAS", "default")]


def page_cache_seconds() -> int:
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 10 * 60)


def browser_cache_seconds() -> int:
    return getattr(settings, "PUBLIC_PAGE_BROWSER_CACHE_SECONDS", 60)


# --- the site version ------------------------------------------------------------------------


def site_version() -> str:
    """The current site version; every cached page is stored under it."""
    return current_version(page_cache(), VERSION_KEY)


def public_site_changed() -> None:
    """Forget every cached public page: the next request of each renders it afresh
    (now, and again after the transaction commits: `ideasluss.cache_versions`)."""
    renew_version(page_cache(), VERSION_KEY)


@receiver(page_published, dispatch_uid="public-cache-page-published")
@receiver(page_unpublished, dispatch_uid="public-cache-page-unpublished")
@receiver(post_page_move, dispatch_uid="public-cache-page-moved")
def forget_pages_when_a_page_changes(sender, **kwargs):
    public_site_changed()


@receiver(post_delete, dispatch_uid="public-cache-row-deleted")
def forget_pages_when_public_data_is_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) or _is_public_data(sender):
        public_site_changed()


@receiver(post_save, dispatch_uid="public-cache-row-saved")
def forget_pages_when_public_data_is_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if isinstance(instance, Page):
        # Saving a draft leaves the live content alone (it is in a revision; autosave
        # does it every few seconds). A page saved with nothing unpublished is live
        # content written directly: by publishing, by `add_child`, by a script.
        if instance.live and not instance.has_unpublished_changes:
            public_site_changed()
    elif _is_public_data(sender):
        public_site_changed()


def _is_public_data(model) -> bool:
    # Proxies (the lifecycle models) count as their concrete model.
    return model._meta.concrete_model._meta.label in PUBLIC_DATA_MODELS


# --- which requests and responses ----------------------------------------------------------


def public_cache(view):
    """Mark a public view (anonymous-readable, the same for every visitor) as cacheable."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.public_cache_allowed = True
        return view(request, *args, **kwargs)

    return wrapped


def _request_may_use_cache(request) -> bool:
    if request.method != "GET" or getattr(request, "is_preview", False):
        return False
    if request.user.is_authenticated:
        return False
    # A pending "saved" or "error" message is for this visitor only.
    return len(messages.get_messages(request)) == 0


def _used_a_visitors_value(request) -> bool:
    # get_token() flags the request so that CsrfViewMiddleware sends the cookie (it does
    # so outside this middleware, hence the flag and not response.cookies); django-csp
    # makes the nonce on first use.
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) or isinstance(
        getattr(request, "_csp_nonce", None), str
    )


def _response_may_be_stored(request, response) -> bool:
    if not getattr(request, "public_cache_allowed", False):
        return False
    if "q" in request.GET:
        # A free-text search (the register's): every query differs, and storing them
        # would push the pages everyone reads out of a cache of bounded size.
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if _used_a_visitors_value(request):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in REFUSING_CACHE_CONTROL):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    storage = getattr(request, "_messages", None)
    return storage is None or not (storage.used or len(storage))


def _address(request, language: str) -> str:
    """What a stored page is for: scheme, host, language and full path."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return ":".join([request.scheme, request.get_host(), language, path])


def _cache_key(request, version: str) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"{KEY_PREFIX}:{version}:{_address(request, language)}"


def _cookieless_key(request) -> str | None:
    """The key of the whole stored response for this request, or None when the request
    must go through the session and everything after it: not a GET, or it carries a
    session (signed in, or something kept for this visitor) or a pending message."""
    if request.method != "GET":
        return None
    # An emptied cookie (a message shown, a session flushed) counts as none.
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return None
    if request.COOKIES.get(CookieStorage.cookie_name):
        return None
    try:
        return f"{WHOLE_KEY_PREFIX}:{_address(request, anonymous_language(request))}"
    except DisallowedHost:
        # CommonMiddleware answers 400, as for every other request with a wrong host.
        return None


class CookielessPageCacheMiddleware:
    """Serve a visitor without cookies of ours the whole stored response of a public
    page, before the session and everything after it run.

    Placed after the security and static-file middleware (an HTTP request is redirected
    to HTTPS before it reaches this, and security headers are added to every answer)
    and before the session. What is stored is decided by PublicPageCacheMiddleware.
    A stored response carries the site version it was rendered under, and the page and
    the current version are read in one round trip to the cache: a response of an
    older version is a miss, as a key of an older version is for the inner middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _cookieless_key(request)
        if key is None:
            return self.get_response(request)
        cache = page_cache()
        found = cache.get_many([VERSION_KEY, key])
        version, stored = found.get(VERSION_KEY), found.get(key)
        if version is not None and stored is not None and stored[0] == version:
            _version, content, headers = stored
            response = HttpResponse(content, headers=headers)
            response[STATUS_HEADER] = "hit"
            return response

        version = version or site_version()
        request.public_cache_cookieless = True
        response = self.get_response(request)
        if getattr(response, "public_cache_storable", False) and not response.cookies:
            headers = {name: value for name, value in response.items() if name != STATUS_HEADER}
            cache.set(key, (version, response.content, headers), page_cache_seconds())
        return response


class PublicPageCacheMiddleware:
    """Serve anonymous visitors a stored copy of a public page; store it on first render.

    Placed last in MIDDLEWARE: sessions, authentication, the language and messages are
    known when it runs, and the middleware around it (CSRF cookie, CSP header, security
    headers) still treats a stored page as any other response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _request_may_use_cache(request):
            response = self.get_response(request)
            if getattr(request, "public_cache_allowed", False):
                # A signed-in view of a public page: never for shared caches.
                patch_cache_control(response, private=True)
            return response

        if getattr(request, "public_cache_cookieless", False):
            # CookielessPageCacheMiddleware looked for its copy and stores the whole answer.
            response = self.get_response(request)
            if _response_may_be_stored(request, response):
                response.public_cache_storable = True
                response[STATUS_HEADER] = "miss"
                self._patch_public_headers(response)
            return response

        cache = page_cache()
        key = _cache_key(request, site_version())
        stored = cache.get(key)
        if stored is not None:
            return self._stored_response(stored)

        response = self.get_response(request)
        if _response_may_be_stored(request, response):
            headers = {name: response[name] for name in STORED_HEADERS if name in response}
            cache.set(key, (response.content, headers), page_cache_seconds())
            response[STATUS_HEADER] = "miss"
            self._patch_public_headers(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_views.serve:
            request.public_cache_allowed = True

    def _stored_response(self, stored) -> HttpResponse:
        content, headers = stored
        response = HttpResponse(content, headers=headers)
        response[STATUS_HEADER] = "hit"
        self._patch_public_headers(response)
        return response

    @staticmethod
    def _patch_public_headers(response) -> None:
        # The page depends on the language and on being signed in, both cookies: Vary
        # tells the browser so, and private keeps it out of shared caches, which
        # cannot all be trusted to honour Vary: Cookie.
        patch_cache_control(response, private=True, max_age=browser_cache_seconds())
        patch_vary_headers(response, ["Cookie"])
