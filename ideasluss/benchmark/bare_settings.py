"""The yardstick: one Django view rendering one template, no database, no middleware,
served by the same gunicorn as the site. A page's ratio is its req/s over this view's."""

from pathlib import Path

SECRET_KEY = "benchmark-bare-view"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "ideasluss.benchmark.bare_urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
USE_TZ = True
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
    }
]
DATABASES: dict = {}
LOGGING_CONFIG = None
