"""Production gunicorn: `gunicorn -c python:ideasluss.gunicorn_config ideasluss.wsgi`.

Every value can still be given on the command line or in GUNICORN_CMD_ARGS. Besides the
usual settings, loading this file stops gunicorn from announcing itself: by default every
response carries `Server: gunicorn`, which tells an attacker which server and (through
its changelog) which weaknesses to try. gunicorn has no setting for it, so the header
line is left out where gunicorn writes it (tests/test_gunicorn.py proves it against a
real gunicorn).
"""

import ctypes
import ctypes.util
import os

from gunicorn.http import wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
# A request that takes longer is stuck: the worker is restarted rather than held.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Request line and headers well within what the site needs (gunicorn's defaults, kept
# explicit): longer ones are refused before Django sees them.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"

_default_headers = wsgi.Response.default_headers


def _headers_without_server_banner(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _headers_without_server_banner


# glibc's malloc raises its trim threshold when a large buffer is freed (up to 64 MB), so
# a worker that once encoded a picture or built a large page kept that much freed heap
# for good: workers grew to 290–346 MB in the benchmark (docs/benchmarks/README.md). A
# fixed threshold gives free memory at the top of the heap back to the system.
M_TRIM_THRESHOLD = -1
TRIM_THRESHOLD_BYTES = 128 * 1024


def return_freed_memory() -> bool:
    """Fix glibc's trim threshold for this process; False where there is no glibc."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES))
    except (OSError, AttributeError):
        return False


def post_fork(server, worker):
    return_freed_memory()
