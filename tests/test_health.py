"""`/healthz` (ideasluss/health.py): ok, a failing database, a failing cache.

The production cases run `manage.py shell` under the production settings with a real
unreachable PostgreSQL or Redis (a closed port on 127.0.0.1), as a load balancer would
meet them: by an address that is not in ALLOWED_HOSTS, over plain HTTP.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import resolve, reverse

from ideasluss.fund.tlog import generate_signer
from ideasluss.health import HEALTH_PATH, health

ROOT = Path(__file__).resolve().parent.parent
CLOSED_PORT = 1


@pytest.mark.django_db
def test_a_healthy_server_answers_200_with_what_it_checked(client):
    response = client.get(HEALTH_PATH)
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"
    assert not response.cookies
    assert "Vary" not in response


@pytest.mark.django_db
def test_a_failing_cache_answers_503_and_names_it(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "ideasluss.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{CLOSED_PORT}/0",
        },
    }
    response = client.get(HEALTH_PATH)
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "failed"}


def test_the_health_check_has_its_name_in_the_urls():
    assert reverse("health") == HEALTH_PATH
    assert resolve(HEALTH_PATH).func is health


def health_in_production(tmp_path, **environ) -> dict:
    """GET /healthz by address over plain HTTP, and GET / by name over plain HTTP."""
    code = (
        "import json; from django.test import Client; c = Client(); "
        "h = c.get('/healthz', HTTP_HOST='10.1.2.3'); "
        "print(json.dumps({'status': h.status_code, 'body': json.loads(h.content), "
        "'headers': dict(h.headers), "
        "'home_by_name': c.get('/', HTTP_HOST='idesluss.kommun.se').status_code}))"
    )
    environment = {
        **{
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_"))
        },
        "DJANGO_SETTINGS_MODULE": "ideasluss.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-" + "x7Qz9" * 10,
        "ALLOWED_HOSTS": "idesluss.kommun.se",
        "IDESLUSS_LOG_SIGNING_KEY": str(generate_signer("idesluss.kommun.se/fonden/beslut")),
        "IDESLUSS_VAR_DIR": str(tmp_path),
        **environ,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_in_production_it_answers_by_address_over_plain_http(tmp_path):
    answer = health_in_production(tmp_path)
    assert (answer["status"], answer["body"]) == (200, {"database": "ok", "cache": "ok"})
    assert "Set-Cookie" not in answer["headers"]
    # Any other path is still sent to HTTPS.
    assert answer["home_by_name"] == 301


def test_in_production_a_failing_database_answers_503_and_names_it(tmp_path):
    answer = health_in_production(
        tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{CLOSED_PORT}/idesluss"
    )
    assert (answer["status"], answer["body"]) == (503, {"database": "failed", "cache": "ok"})


def test_in_production_a_failing_cache_answers_503_and_names_it(tmp_path):
    answer = health_in_production(
        tmp_path,
        CACHE_BACKEND="ideasluss.redis_cache.RedisCache",
        CACHE_LOCATION=f"redis://127.0.0.1:{CLOSED_PORT}/0",
    )
    assert (answer["status"], answer["body"]) == (503, {"database": "ok", "cache": "failed"})
