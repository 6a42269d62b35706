"""Production gunicorn: `gunicorn -c python:ideasluss.gunicorn_config ideasluss.wsgi`.

Every value can still be given on the command line or in GUNICORN_CMD_ARGS. Besides the
usual settings, loading this file stops gunicorn from announcing itself: by default every
response carries `Server: gunicorn`, which tells an attacker which server and (through
its changelog) which weaknesses to try. gunicorn has no setting for it, so the header
line is left out where gunicorn writes it (tests/test_gunicorn.py proves it against a
real gunicorn).
"""

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
