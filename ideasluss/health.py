"""`/healthz` for load balancers and container health checks.

200 with `{"database": "ok", "cache": "ok"}` when this app server can reach the database
and the shared cache, otherwise 503 naming what failed. A load balancer asks each server
by its address over plain HTTP, so `HealthCheckMiddleware`, first in MIDDLEWARE, answers
before the host check (ALLOWED_HOSTS), the HTTPS redirect or the session can refuse it.
The answer holds nothing else (no versions, no errors, no personal data) and is never
cached; why a check failed goes to the log.
"""

import logging
import uuid

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

HEALTH_PATH = "/healthz"
OK = "ok"
FAILED = "failed"

logger = logging.getLogger(__name__)


def database_status(alias: str = DEFAULT_DB_ALIAS) -> str:
    """Whether the database answers a query."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database %r does not answer.", alias)
        return FAILED
    return OK


def cache_status(alias: str = "default") -> str:
    """Whether the shared cache stores a value and gives it back."""
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache = caches[alias]
        cache.set(key, OK, timeout=30)
        stored = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.exception("Health check: the cache %r does not answer.", alias)
        return FAILED
    if stored != OK:
        logger.error("Health check: the cache %r did not keep a value.", alias)
        return FAILED
    return OK


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_status(), "cache": cache_status()}
    healthy = all(status == OK for status in checks.values())
    response = JsonResponse(checks, status=200 if healthy else 503)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    """Answers `/healthz` before every other middleware (first in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path_info == HEALTH_PATH:
            return health(request)
        return self.get_response(request)
