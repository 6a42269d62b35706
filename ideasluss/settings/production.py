"""Production: HTTPS only, secrets from the environment, nothing insecure by default.

`manage.py check --deploy` passes with zero warnings under these settings
(tests/test_settings.py proves it).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list, os

DEBUG = False


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [required("ALLOWED_HOSTS")]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The decision log's checkpoints are signed with a key only production holds: no key
# file is generated here, and without one of these two the site does not start.
if not (DECISION_LOG_SIGNING_KEY or DECISION_LOG_SIGNING_KEY_FILE):  # noqa: F405
    raise ImproperlyConfigured(
        "Set IDESLUSS_LOG_SIGNING_KEY or IDESLUSS_LOG_SIGNING_KEY_FILE in production: "
        "the key that signs the decision log's checkpoints "
        "(make one with `manage.py sign_checkpoint --generate-key NAME`)."
    )
DECISION_LOG_GENERATE_KEY_FILE = None

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
if env_bool("BEHIND_TLS_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
)

# E-mails and other background work wait in the database for `manage.py db_worker`,
# so a slow or failing mail server never holds up a request.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
