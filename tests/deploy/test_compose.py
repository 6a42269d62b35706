"""compose.yaml, beyond what the Compose Specification's schema checks (`make lint`).

No Docker engine is needed: the file is read as YAML, its `${...}` filled from
deploy/env.example as `docker compose` would fill them from .env, and the app image's
environment is given to the production settings in a fresh Python process that records
every variable they read.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands
from django.urls import resolve

from ideasluss.health import HEALTH_PATH, health

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = ROOT / "compose.yaml"
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
INTERPOLATION = re.compile(
    r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
)
# What Python and pip read, not the app: the image sets them for itself.
NOT_FOR_THE_SETTINGS = ("PYTHON", "PIP_")


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _sep, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def interpolate(text: str, values: dict[str, str]) -> str:
    """`${NAME}`, `${NAME:-default}` and `${NAME:?error}` as docker compose fills them."""

    def fill(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        value = values.get(name, "")
        if value or (op is not None and not op.startswith(":") and name in values):
            return value
        if op in {":-", "-"}:
            return arg
        raise AssertionError(f"compose.yaml needs {name}, which deploy/env.example does not set")

    return INTERPOLATION.sub(fill, text)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(interpolate(COMPOSE.read_text(encoding="utf-8"), env_example()))


def app_image(compose) -> str:
    return compose["services"]["app-1"]["image"]


def app_image_services(compose) -> dict[str, dict]:
    image = app_image(compose)
    return {name: s for name, s in compose["services"].items() if s.get("image") == image}


def web_services(compose) -> dict[str, dict]:
    """The app image's services that run its default command: gunicorn."""
    return {name: s for name, s in app_image_services(compose).items() if "command" not in s}


def dockerfile_env() -> dict[str, str]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line for line in text.splitlines() if line.startswith("ENV ")]
    return dict(pair.split("=", 1) for line in lines for pair in line[4:].split())


# --- The layout -------------------------------------------------------------------------


def test_two_stateless_app_servers_run_the_same_image(compose):
    servers = web_services(compose)
    assert sorted(servers) == ["app-1", "app-2"]
    assert {s["image"] for s in servers.values()} == {app_image(compose)}
    assert all(s.get("read_only") for s in servers.values())
    assert all("volumes" not in s for s in app_image_services(compose).values())


def test_the_load_balancer_sends_requests_to_both_app_servers(compose):
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    upstreams = re.search(r"reverse_proxy (app-[^{]+)\{", caddyfile)[1].split()
    assert sorted(upstreams) == [f"{name}:8000" for name in sorted(web_services(compose))]
    caddy = compose["services"]["caddy"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    # The public media it serves are the app's media bucket.
    assert (
        caddy["environment"]["S3_BUCKET"]
        == compose["services"]["app-1"]["environment"]["S3_BUCKET"]
    )


def test_the_app_waits_for_the_migrations_and_the_buckets(compose):
    for service in (*web_services(compose).values(), compose["services"]["worker"]):
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert service["depends_on"]["buckets"] == {"condition": "service_completed_successfully"}
        assert service["depends_on"]["postgres"] == {"condition": "service_healthy"}


def test_the_backing_services_are_the_versions_the_project_supports(compose):
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert "minio" in services["minio"]["image"]


# --- The environment --------------------------------------------------------------------

RECORD_READS = """
import json, os

class RecordingEnviron(dict):
    read = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

os.environ = RecordingEnviron(os.environ)
import django
django.setup()
import ideasluss.gunicorn_config
print(json.dumps(sorted(os.environ.read)))
"""


@pytest.fixture(scope="module")
def variables_read(compose, tmp_path_factory) -> set[str]:
    """What the production settings and gunicorn's config read, given web-1's environment."""
    environment = {
        **dockerfile_env(),
        **{name: str(value) for name, value in compose["services"]["app-1"]["environment"].items()},
        "IDESLUSS_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", RECORD_READS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_every_variable_the_app_services_set_is_read_by_the_settings(compose, variables_read):
    for name, service in app_image_services(compose).items():
        unread = set(service.get("environment", {})) - variables_read
        assert not unread, f"{name} sets variables no setting reads: {sorted(unread)}"


def test_every_variable_the_image_sets_is_read_by_the_settings(variables_read):
    image = {name for name in dockerfile_env() if not name.startswith(NOT_FOR_THE_SETTINGS)}
    assert image - variables_read == set()


def test_the_app_services_run_with_the_production_settings(compose):
    assert dockerfile_env()["DJANGO_SETTINGS_MODULE"] == "ideasluss.settings.production"
    for service in app_image_services(compose).values():
        assert "DJANGO_SETTINGS_MODULE" not in service.get("environment", {})


def test_every_secret_comes_from_the_env_file_not_from_compose_yaml():
    text = COMPOSE.read_text(encoding="utf-8")
    for name in (
        "SECRET_KEY",
        "IDESLUSS_LOG_SIGNING_KEY",
        "POSTGRES_PASSWORD",
        "MINIO_ROOT_PASSWORD",
    ):
        assert re.search(rf"\$\{{{name}:\?", text), f"{name} must be required from .env"
        assert env_example()[name] == "change-me"


def test_the_env_example_sets_nothing_compose_yaml_does_not_use():
    used = {match["name"] for match in INTERPOLATION.finditer(COMPOSE.read_text(encoding="utf-8"))}
    assert set(env_example()) - used == set()


# --- Health checks and commands ---------------------------------------------------------


def test_the_health_checks_ask_the_health_endpoint():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    paths = {
        re.search(r"HEALTHCHECK .*http://127\.0\.0\.1:8000(/[^'\"]*)", dockerfile, re.S)[1],
        re.search(r"health_uri (\S+)", caddyfile)[1],
    }
    assert paths == {HEALTH_PATH}
    assert resolve(HEALTH_PATH).func is health


def test_only_the_web_services_keep_the_images_health_check(compose):
    for name, service in app_image_services(compose).items():
        disabled = service.get("healthcheck", {}).get("disable", False)
        assert disabled == (name not in web_services(compose)), name


def test_every_management_command_the_services_run_exists(compose):
    commands = []
    for service in app_image_services(compose).values():
        command = " ".join(service.get("command", []))
        commands += re.findall(r"manage\.py (\w+)", command)
    scheduler = (ROOT / "deploy" / "scheduler.sh").read_text(encoding="utf-8")
    commands += re.findall(r"^\s*run (\w+)", scheduler, re.M)
    assert {"migrate", "db_worker", "send_notification_digests", "apply_retention"} <= set(commands)
    assert set(commands) - set(get_commands()) == set()


def test_the_one_shot_services_run_once(compose):
    for name in ("migrate", "buckets"):
        assert compose["services"][name]["restart"] == "no"
    assert compose["services"]["buckets"]["command"] == ["python", "deploy/create_buckets.py"]
