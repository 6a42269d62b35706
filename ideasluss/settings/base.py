"""Settings shared by every environment.

Everything that differs between machines comes from the environment; see the
configuration table in README.md.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from ideasluss.media_storage import media_storages, public_media_origin

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Runtime state (SQLite file, uploaded media, collected static files) lives in
# one ignored folder so a checkout stays clean.
VAR_DIR = Path(os.environ.get("IDESLUSS_VAR_DIR", BASE_DIR / ".var"))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
# Only dev and test settings may load the demo users, whose password is public.
DEMO_DATA_ALLOWED = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "ideasluss.accounts",
    "ideasluss.search",
    "ideasluss.ideas",
    "ideasluss.fund",
    "ideasluss.demo",
    "workflows",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.locales",
    "ideasluss.accounts.apps.IdeslussUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_fsm_log",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Widget templates for FORM_RENDERER (TemplatesSetting reads them from the app).
    "django.forms",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: load balancers ask /healthz by address over plain HTTP (ideasluss/health.py).
    "ideasluss.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a stored public page for a visitor without our cookies.
    "cms.cache.CookielessPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ideasluss.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "ideasluss.admin_csp.AdminContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: it needs the user, language and messages, and serves a stored page
    # through every middleware above (CSRF cookie, CSP and security headers).
    "cms.cache.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "ideasluss.urls"
# Every form field through templates/components/field.html (labels without colons,
# checkboxes beside their label, hint and error tied to the input).
FORM_RENDERER = "ideasluss.form_rendering.FormRenderer"
WSGI_APPLICATION = "ideasluss.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "workflows.context_processors.notifications",
            ],
        },
    },
]

# Database: SQLite in .var/ unless DATABASE_URL says otherwise
# (postgres://user@host:5432/name for PostgreSQL).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores SELECT ... FOR UPDATE; taking the write lock when a transaction
    # begins gives the same one-at-a-time guarantee to the fund's decisions.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# An optional read replica of PostgreSQL for the heavy public lists: only views marked
# with ideasluss.db_routing.reads_from_replica read from it, and never after a write or
# inside a transaction. Tests run it as a mirror of the test database.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        ),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["ideasluss.db_routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Signing in lands on "My work" (a `next` in the login form still wins).
LOGIN_REDIRECT_URL = "start:my-work"

# Swedish first, English complete. The browser's Accept-Language is ignored on
# purpose (see PreferredLanguageMiddleware): the working language is Swedish.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# One house style for dates and numbers in both languages ("1 december 2026").
FORMAT_MODULE_PATH = ["ideasluss.formats"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The public pages can be translated with Wagtail's own localisation (cms/locales.py):
# Swedish is the original, an editor makes an English copy ("Translate" in the admin,
# wagtail.contrib.simple_translation) and translates it. Both live at the same address;
# the visitor's language (PreferredLanguageMiddleware) chooses which one is served, and a
# page without an English version is served in Swedish with a notice saying so.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Public media (Wagtail's images) in "default"; idea attachments and receipts in "private",
# which has no URL: they are served only through permission-checking views. On this
# machine's disk by default; with MEDIA_STORAGE=s3 (or S3_BUCKET set) on S3-compatible
# object storage, which every app server shares (ideasluss/media_storage.py).
STORAGES = {
    **media_storages(os.environ, private_root=PRIVATE_MEDIA_ROOT),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PUBLIC_MEDIA_ORIGIN = public_media_origin(os.environ)
# Wagtail documents through its own view (which checks a collection's privacy), never a
# redirect to the file's address in object storage.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail goes through Django's mail backends; SMTP settings from the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Idésluss <noreply@idesluss.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (django-tasks, as Wagtail 8 uses): run in-process by default;
# production queues them in the database for `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# One cache for every process (the web workers, `manage.py` commands such as
# seed_demo or publish_scheduled): the public page cache (cms/cache.py) is
# invalidated by a value in it, which must be the same for all of them. Files under
# the var folder need no extra server; CACHE_BACKEND/CACHE_LOCATION choose another
# (e.g. ideasluss.redis_cache.RedisCache with redis://...).
FILE_CACHE = "django.core.cache.backends.filebased.FileBasedCache"
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", FILE_CACHE),
        "LOCATION": os.environ.get("CACHE_LOCATION", str(VAR_DIR / "cache")),
    }
}
if CACHES["default"]["BACKEND"] == FILE_CACHE:
    # Room for every public page in both languages (the default is 300 files).
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 5000}
# Public pages are stored for anonymous visitors (cms/cache.py) and thrown away on
# every publish or change of the data they show; the timeout only bounds staleness
# of what no signal sees (the date, for "this year").
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "600"))
PUBLIC_PAGE_BROWSER_CACHE_SECONDS = 60

# Security headers that hold in every environment; production adds HTTPS.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions are kept in the database and read through the shared cache: one query less on
# every signed-in request (docs/benchmarks/README.md); a session the cache has lost is read
# from the database again.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# A municipal computer is often shared: a sign-in ends when the browser closes and lasts a
# working day (8 hours) at most. Both can be changed.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# Browser features the site never uses are switched off for it and for anything it embeds;
# only the video players on story pages may go full screen or picture-in-picture.
VIDEO_PLAYER_ORIGINS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
PERMISSIONS_POLICY = {
    **{
        feature: []
        for feature in (
            "accelerometer",
            "ambient-light-sensor",
            "autoplay",
            "bluetooth",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "hid",
            "idle-detection",
            "interest-cohort",
            "local-fonts",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    },
    "fullscreen": ["self", *VIDEO_PLAYER_ORIGINS],
    "picture-in-picture": ["self", *VIDEO_PLAYER_ORIGINS],
}
CSRF_FAILURE_VIEW = "ideasluss.views.csrf_failure"
# Content Security Policy for our own pages: no inline script or style at all. The
# Wagtail and Django admin get a policy of their own below (ideasluss/admin_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", *filter(None, [PUBLIC_MEDIA_ORIGIN])],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Video blocks on story pages embed these players (Wagtail's oEmbed finders).
        "frame-src": VIDEO_PLAYER_ORIGINS,
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# The admin (Wagtail's and Django's code) still runs inline scripts and styles of its own:
# with "script-src 'self'" alone, Wagtail 8 blocks its date choosers (filters, page
# settings), the focal-point cropper, the page editor's widgets inserted by jQuery, and the
# history and report pages (docs/security.md lists what a browser crawl found). So inline
# code is allowed there and nothing else is: no eval, no other site's scripts, styles,
# fonts, pictures or connections, no plugins, forms only to this site, framed only by it.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *filter(None, [PUBLIC_MEDIA_ORIGIN])],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        # The editor previews a page in a frame of its own origin, with its videos.
        "frame-src": ["'self'", *VIDEO_PLAYER_ORIGINS],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Wagtail shows each editor's Gravatar by default, which tells gravatar.com who works in
# the admin; initials are shown instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the dashboard ask releases.wagtail.org for news: upgrades are planned, and the
# admin talks to no other site.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Uploads and rate limits (docs/security-uploads.md) ---------------------------------
# Idea attachments (pictures: JPEG, PNG, WebP; and PDFs) and the Wagtail image library
# share these limits (ideasluss/ideas/attachments.py, cms/images.py).
IDEA_ATTACHMENT_MAX_BYTES = int(os.environ.get("IDEA_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# Pixels decoded into memory at most; a 24 Mpx phone photo (6000 × 4000) fits.
IDEA_IMAGE_MAX_PIXELS = 25_000_000
# A JPEG may declare more: it is decoded at 1/2, 1/4 or 1/8 scale (Image.draft), so a
# 48-64 Mpx photo costs what a 12-16 Mpx one does. Below Pillow's own bomb limit (89 Mpx).
UPLOAD_JPEG_MAX_DECLARED_PIXELS = 80_000_000
# Memory the decoded pixels may take (Pillow holds RGB in 4 bytes a pixel): 100 MiB.
UPLOAD_IMAGE_MAX_DECODED_BYTES = 100 * 1024 * 1024
# A picture that decodes to more than 32 MiB may not unpack to more than 500 times its
# file size (a zlib bomb: the probe's 154 KB PNG of 6,300 × 6,300 unpacks 1,000-fold).
UPLOAD_IMAGE_EXPANSION_CHECKED_ABOVE_BYTES = 32 * 1024 * 1024
UPLOAD_IMAGE_MAX_EXPANSION = 500
# Stored pictures are scaled down to this longest side when re-encoded.
UPLOAD_IMAGE_MAX_SIDE = 3000
# What the zlib streams of a PDF may unpack to, all together, while it is checked.
UPLOAD_PDF_MAX_INFLATED_BYTES = 64 * 1024 * 1024
# The Wagtail image library: our checks and re-encoding in its upload form.
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.images.ImageForm"
# Rate limits (ideasluss.rate_limits, the one limiter): "count/period" (s, m, h, d;
# "20/10m" is 20 in ten minutes). Submissions per person, over the limit a 429 page with
# Retry-After (workflows/rate_limits.py); password reset e-mails per address and
# requests per client address, over the limit no e-mail (docs/sign-on.md).
RATE_LIMITS = {
    "idea_create": "10/h",
    "comment": "30/10m",
    "nomination": "10/h",
    "attachment_upload": "20/10m",
    "image_upload": "50/10m",
    "password_reset_address": os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "3").strip()
    + "/h",
    "password_reset_client": os.environ.get("PASSWORD_RESET_LIMIT_PER_IP", "20").strip() + "/h",
}
# The counts live in a cache of their own that every process shares and increments
# atomically: the same Redis or memcached as the default cache, or on files a locking
# variant of Django's file cache (its plain one can lose counts between workers).
RATE_LIMIT_CACHE = "ratelimit"
CACHES["ratelimit"] = (
    {
        "BACKEND": "ideasluss.accounts.rate_limit_cache.LockedFileBasedCache",
        "LOCATION": str(VAR_DIR / "ratelimit-cache"),
        # Room for every count of a busy hour (Django's default, 300, would cull counts).
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
    if CACHES["default"]["BACKEND"] == FILE_CACHE
    else {**CACHES["default"], "KEY_PREFIX": "ratelimit"}
)
# --- end of uploads and rate limits ----------------------------------------------------

# Flow figures (docs/flow-figures.md): the target in whole days of each measure. The coach
# inbox flags an idea that has stayed in its stage longer; the flow page shows the share
# of stays, answers and decisions within target. A measure left out has no target.
FLOW_TARGET_DAYS = {
    "first_answer": 5,
    "submitted": 10,
    "planning": 30,
    "testing": 90,
    "tested": 30,
    "fund_decision": 30,
}

# How long personal data that is only a means to an end is kept, in days
# (workflows/personal_data/retention.py; `manage.py apply_retention` daily). The privacy
# page states the same periods.
RETENTION_DAYS = {
    "unsubmitted_drafts": int(os.environ.get("RETENTION_UNSUBMITTED_DRAFTS_DAYS", "730")),
    "notifications": int(os.environ.get("RETENTION_NOTIFICATIONS_DAYS", "365")),
    "sign_in_records": int(os.environ.get("RETENTION_SIGN_IN_RECORDS_DAYS", "90")),
    "email_queue": int(os.environ.get("RETENTION_EMAIL_QUEUE_DAYS", "30")),
}

WAGTAIL_SITE_NAME = "Idésluss"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# The decision register's transparency log (docs/fund.md). Its checkpoints are signed
# with an Ed25519 key in Go's note format ("PRIVATE+KEY+name+id+base64"), given in the
# environment or in a file, never in the database. Without one, development, demo and
# tests generate a key file in VAR_DIR; production refuses to start.
DECISION_LOG_ORIGIN = os.environ.get(
    "IDESLUSS_LOG_ORIGIN",
    f"{urlsplit(WAGTAILADMIN_BASE_URL).hostname or 'localhost'}/fonden/beslut",
)
DECISION_LOG_SIGNING_KEY = os.environ.get("IDESLUSS_LOG_SIGNING_KEY", "").strip()
DECISION_LOG_SIGNING_KEY_FILE = os.environ.get("IDESLUSS_LOG_SIGNING_KEY_FILE", "").strip()
DECISION_LOG_GENERATE_KEY_FILE = VAR_DIR / "decision-log-signing-key"
# After a key rotation: the public (verifier) keys that signed earlier checkpoints, newest
# first, comma-separated, so that checkpoints kept from before still verify (docs/deploy.md).
DECISION_LOG_EARLIER_KEYS = env_list("IDESLUSS_LOG_EARLIER_KEYS")
# The public site's search (cms/views.py). On PostgreSQL the pages are indexed with the
# Swedish configuration with compounds, as the idea bank's search is ("cykel" finds
# "Elcyklar", "hemtjänst" finds "hemtjänsten"; docs/search.md); after changing it, run
# `manage.py update_index`. SQLite ignores the setting.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "cms.search_backend", "SEARCH_CONFIG": "swedish_compound"}
}
WAGTAILDOCS_EXTENSIONS = ["pdf"]
# Pictures on the public site: the same limits as idea attachments (no SVG, no
# decompression bombs), and renditions in modern formats chosen per tag.
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = IDEA_ATTACHMENT_MAX_BYTES
# Wagtail's own pixel check is the widest of ours (a JPEG's); cms.images.ImageForm
# applies the rest.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = UPLOAD_JPEG_MAX_DECLARED_PIXELS
# A WebP original stays WebP when a tag names no format (Wagtail's default is PNG).
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"webp": "webp", "avif": "avif"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Sign-on ---------------------------------------------------------------------------
# Signing in with the organisation's identity provider (OpenID Connect, through
# mozilla-django-oidc), local password sign-in and its protection (django-axes). The
# limit on password reset e-mails is in RATE_LIMITS above. Every variable is in
# README.md's configuration table; how it fits together is docs/sign-on.md.
INSTALLED_APPS += ["axes"]
# Last: it turns a sign-in that django-axes stopped into the lockout page.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "").strip()
# The provider's discovery document (…/.well-known/openid-configuration), read on first
# use and cached; or each endpoint below, which then wins over the document.
OIDC_OP_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL", "").strip()
OIDC_OP_ISSUER = os.environ.get("OIDC_ISSUER", "").strip()
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_USERINFO_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_JWKS_ENDPOINT", "").strip()
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID and (OIDC_OP_DISCOVERY_URL or OIDC_OP_AUTHORIZATION_ENDPOINT))
OIDC_DISCOVERY_CACHE_SECONDS = int(os.environ.get("OIDC_DISCOVERY_CACHE_SECONDS", "3600"))
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "").strip()
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_CLOCK_LEEWAY_SECONDS = 60
OIDC_AUTHENTICATE_CLASS = "ideasluss.accounts.oidc.SignOnRequestView"
OIDC_CALLBACK_CLASS = "ideasluss.accounts.oidc.SignOnCallbackView"
# Claims: the unit by name (an unknown name keeps the person's unit), the groups, and
# "provider-group=role" pairs (roles: staff, coach, committee_member, committee_chair,
# administrator) that the provider grants and takes away at each sign-in.
OIDC_UNIT_CLAIM = os.environ.get("OIDC_UNIT_CLAIM", "department").strip()
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups").strip()
OIDC_ROLE_MAP = {
    group.strip(): role.strip()
    for group, _sep, role in (pair.rpartition("=") for pair in env_list("OIDC_ROLE_MAP"))
    if group.strip()
}
OIDC_DEFAULT_ROLES = env_list("OIDC_DEFAULT_ROLES", "staff")
OIDC_LINK_BY_EMAIL = env_bool("OIDC_LINK_BY_EMAIL", True)
LOCAL_LOGIN_ENABLED = env_bool("LOCAL_LOGIN_ENABLED", True)
AUTHENTICATION_BACKENDS = [
    # First, so that a locked sign-in stops before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    *AUTHENTICATION_BACKENDS,
]
AUTHENTICATION_BACKENDS.insert(
    AUTHENTICATION_BACKENDS.index("django.contrib.auth.backends.ModelBackend"),
    "ideasluss.accounts.backends.LocalLoginSwitchBackend",
)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("ideasluss.accounts.oidc.OrganisationOIDCBackend")
if OIDC_ENABLED or not LOCAL_LOGIN_ENABLED:
    # The Wagtail admin sends people to our login page, which has the provider's button.
    WAGTAILADMIN_LOGIN_URL = LOGIN_URL
# The Wagtail admin has no password reset of its own: ours is rate-limited and follows
# LOCAL_LOGIN_ENABLED.
WAGTAIL_PASSWORD_RESET_ENABLED = False
# The client's address for lockouts and limits: REMOTE_ADDR, or the header the TLS proxy
# sets (e.g. HTTP_X_FORWARDED_FOR; only behind a proxy that overwrites it).
CLIENT_IP_META_KEY = os.environ.get("CLIENT_IP_META_KEY", "REMOTE_ADDR").strip()
# Lockout: after LOGIN_FAILURE_LIMIT wrong passwords for one username from one address,
# that username is refused from that address for LOGIN_LOCKOUT_MINUTES (the right
# password too). Keyed on the pair: an address alone would lock a whole municipality
# behind one NAT address, a username alone would let anyone lock anyone out.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "ideasluss.accounts.sign_in_protection.lockout_response"
AXES_CLIENT_IP_CALLABLE = "ideasluss.accounts.sign_in_protection.client_ip"
AXES_WHITELIST_CALLABLE = "ideasluss.accounts.sign_in_protection.is_not_a_password_attempt"
# Kept on: every failure (AccessFailureLog), the counters (AccessAttempt) and successful
# sign-ins and sign-outs (AccessLog) are stored; retention clears them.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_DISABLE_ACCESS_LOG = False
AXES_SENSITIVE_PARAMETERS = ["password"]
