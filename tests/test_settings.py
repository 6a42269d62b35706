"""Production settings: secure by default, and explicit about what they need."""

import os
import subprocess
import sys
from pathlib import Path

from ideasluss.fund.tlog import generate_signer

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "IDESLUSS_LOG_SIGNING_KEY",
            "IDESLUSS_LOG_SIGNING_KEY_FILE",
        }
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="ideasluss.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_zero_warnings_in_production():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-secret-" + "x7Qz9" * 10,
        ALLOWED_HOSTS="idesluss.kommun.se",
        IDESLUSS_LOG_SIGNING_KEY=str(generate_signer("idesluss.kommun.se/fonden/beslut")),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="idesluss.kommun.se")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set in production" in result.stderr


def test_production_refuses_to_start_without_a_log_signing_key():
    result = run_manage("check", SECRET_KEY="x" * 60, ALLOWED_HOSTS="idesluss.kommun.se")
    assert result.returncode != 0
    assert "IDESLUSS_LOG_SIGNING_KEY" in result.stderr
