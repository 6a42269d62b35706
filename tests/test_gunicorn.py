"""The production server as it is started (README): a real gunicorn with production settings."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ideasluss.fund.tlog import generate_signer

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    port = free_port()
    var = tmp_path_factory.mktemp("var")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "IDESLUSS_", "DATABASE_", "GUNICORN_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ideasluss.settings.production",
        SECRET_KEY="a-long-random-production-secret-" + "x7Qz9" * 10,
        ALLOWED_HOSTS="idesluss.kommun.se",
        IDESLUSS_LOG_SIGNING_KEY=str(generate_signer("idesluss.kommun.se/fonden/beslut")),
        IDESLUSS_VAR_DIR=str(var),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:ideasluss.gunicorn_config",
            "ideasluss.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail("gunicorn did not start: " + process.stderr.read().decode())
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "GET", path, headers={"Host": "idesluss.kommun.se", "X-Forwarded-Proto": "https"}
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_gunicorn_sends_no_server_banner(gunicorn):
    response = get(gunicorn, "/api/v1/openapi.json")
    assert response.status == 200
    assert response.getheader("Server") is None


def test_production_responses_carry_a_permissions_policy(gunicorn):
    policy = get(gunicorn, "/api/v1/openapi.json").getheader("Permissions-Policy")
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy
    assert 'fullscreen=(self "https://www.youtube.com"' in policy


def test_production_responses_keep_the_other_security_headers(gunicorn):
    response = get(gunicorn, "/api/v1/openapi.json")
    assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000")
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Frame-Options") == "DENY"


RETAINED_HEAP = """
import re, sys
from pathlib import Path

def rss_mb():
    return int(re.search(r"VmRSS:\\s+(\\d+)", Path("/proc/self/status").read_text())[1]) / 1024

if sys.argv[1] == "hook":
    from ideasluss import gunicorn_config
    gunicorn_config.post_fork(server=None, worker=None)
big = b"x" * (20 << 20)  # mapped on its own, and glibc raises its thresholds when it goes
del big
before = rss_mb()
chunks = [b"y" * (1 << 20) for _ in range(30)]  # now on the heap, 30 MB
del chunks
print(round(rss_mb() - before))
"""


def retained_mb(mode: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", RETAINED_HEAP, mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout)


def test_a_worker_gives_freed_memory_back_to_the_system():
    # Without the hook glibc keeps the freed 30 MB (the behaviour the hook is for) ...
    assert retained_mb("plain") >= 20
    # ... with it, a worker returns to its size after a large request.
    assert retained_mb("hook") <= 2


def test_gunicorn_takes_the_hook_from_the_config_file():
    """gunicorn ignores a name it does not know, so a misspelt hook would never run."""
    from gunicorn.app.base import Application
    from gunicorn.config import Config

    from ideasluss import gunicorn_config

    loader = Application.__new__(Application)
    loader.cfg = Config()
    loader.load_config_from_module_name_or_filename("python:ideasluss.gunicorn_config")

    assert loader.cfg.post_fork is gunicorn_config.post_fork
