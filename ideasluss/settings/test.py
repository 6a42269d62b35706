"""Settings for the test suite: SQLite unless DATABASE_URL points elsewhere."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "ideasluss.ideas.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "test-private"},  # noqa: F405
    },
}

DEMO_DATA_ALLOWED = True
# In memory: each test starts with an empty cache (tests/conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The public address the site answers at (sitemaps, feeds, og:url, e-mail links).
WAGTAILADMIN_BASE_URL = "http://localhost"
# The decision log: a key file of the tests' own, generated once (ideasluss.fund.transparency).
DECISION_LOG_ORIGIN = "localhost/fonden/beslut"
DECISION_LOG_SIGNING_KEY = ""
DECISION_LOG_SIGNING_KEY_FILE = ""
DECISION_LOG_EARLIER_KEYS = []
DECISION_LOG_GENERATE_KEY_FILE = VAR_DIR / "test-decision-log-signing-key"  # noqa: F405
# Sign-on: django-axes is off by default, because Django's test client logs in without a
# request, which AxesStandaloneBackend refuses; the lockout tests (tests/accounts/
# test_lockout.py) switch it on. Rate limits count in the in-memory cache, which the one
# test process shares fully and every test empties (tests/conftest.py). Nothing is
# silenced: the check that the rate-limit cache is shared between processes
# (idesluss.W101) runs only on `check --deploy`, which the test settings are not for.
AXES_ENABLED = False
RATE_LIMIT_CACHE = "default"
