"""Two app servers, one database, one cache: what one changes, the other serves.

Production runs several gunicorn servers behind one TLS proxy (docs/deploy.md). Each is
started here as it is in production (`ideasluss.wsgi`, production settings, its own
port), both against the test database and one Redis database, and a person's requests
go now to one, now to the other, as a load balancer sends them. Three things must hold
across them: a sign-in (sessions live in the database, cookies are signed with the one
SECRET_KEY), the public page cache (cms/cache.py: a change through one server makes the
other render afresh) and the rate limits (ideasluss/rate_limits.py: counted in the
shared cache, not per process).

PostgreSQL only (the CI's PostgreSQL pass), and Redis must be there: with CI=true a
missing Redis fails the run. The test database is pytest-django's, transactional, so
what the test writes is committed and the servers see it.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext

from cms.cache import STATUS_HEADER
from cms.site_tree import ensure_site_tree
from ideasluss.accounts.roles import Role
from ideasluss.ideas.models import Comment, IdeaState
from tests.conftest import IN_CI
from tests.factories import IdeaFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parent.parent.parent
# A Redis database of this test's own: it is emptied before every test.
REDIS_URL = os.environ.get("IDESLUSS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
# Both servers answer at one public name, as behind one proxy: the page cache keys a page
# on the host, so a page stored by one server is found by the other.
HOST = "idesluss.test"
PASSWORD = "two-servers-one-database"
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        message = f"Redis is not reachable at {REDIS_URL}: {error}"
        if IN_CI:
            pytest.fail(f"CI=true: {message}; the two-server test cannot be skipped.")
        pytest.skip(f"{message} (start redis-server to run the two-server test)")


def database_url_of_the_tests() -> str:
    """The URL of the test database pytest-django made (test_<name>), for the servers."""
    database = connections["default"].settings_dict
    user = urllib.parse.quote(database["USER"] or "", safe="")
    password = database.get("PASSWORD") or ""
    credentials = user + (":" + urllib.parse.quote(password, safe="") if password else "")
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{database['NAME']}"


def base_environment() -> dict[str, str]:
    """This process's environment without any of our settings: each server gets its own."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "IDESLUSS_", "DATABASE_", "GUNICORN_", "CACHE_"))
    }


def generate_signing_key(var: Path) -> str:
    """A decision log signing key, made as an operator makes one (docs/deploy.md)."""
    environment = base_environment()
    environment.update(DJANGO_SETTINGS_MODULE="ideasluss.settings.test", IDESLUSS_VAR_DIR=str(var))
    result = subprocess.run(
        [sys.executable, "manage.py", "sign_checkpoint", "--generate-key", HOST + "/fonden/beslut"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"^Signing key \(keep it secret\): (\S+)$", result.stdout, re.MULTILINE)
    assert match, result.stdout + result.stderr
    return match.group(1)


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    stderr_path: Path

    def stderr_tail(self, lines: int = 60) -> str:
        text = self.stderr_path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(name: str, environment: dict[str, str], logs: Path) -> Server:
    port = free_port()
    stderr_path = logs / f"{name}.stderr"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:ideasluss.gunicorn_config"]
            + ["ideasluss.wsgi"],
            cwd=ROOT,
            env={**environment, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    return Server(name, port, process, stderr_path)


def wait_until_listening(server: Server) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            return
        except OSError:
            if server.process.poll() is not None:
                pytest.fail(f"server {server.name} did not start:\n{server.stderr_tail()}")
            time.sleep(0.2)
    pytest.fail(f"server {server.name} did not listen within {START_SECONDS} s")


@pytest.fixture(scope="module")
def servers(request, django_db_setup, tmp_path_factory):
    """Servers A and B: production settings, one database, one Redis, one media folder."""
    require_redis()
    var = tmp_path_factory.mktemp("var")
    logs = tmp_path_factory.mktemp("logs")
    database_url = database_url_of_the_tests()
    environment = base_environment()
    environment.update(
        DJANGO_SETTINGS_MODULE="ideasluss.settings.production",
        SECRET_KEY="two-servers-share-this-secret-" + "k3Vq8" * 10,
        ALLOWED_HOSTS=HOST,
        IDESLUSS_LOG_SIGNING_KEY=generate_signing_key(var),
        IDESLUSS_VAR_DIR=str(var),
        SECURE_SSL_REDIRECT="false",
        BEHIND_TLS_PROXY="false",
        CACHE_BACKEND="ideasluss.redis_cache.RedisCache",
        CACHE_LOCATION=REDIS_URL,
        DATABASE_URL=database_url,
        SITE_URL=f"https://{HOST}",
    )
    # The pages name hashed static files (the manifest): collected once, as a release does.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    started = {}
    for name in ("A", "B"):
        server = start_server(name, environment, logs)
        request.addfinalizer(server.stop)
        started[name] = server
    for server in started.values():
        wait_until_listening(server)
    return started


@pytest.fixture(autouse=True)
def empty_shared_cache(servers):
    """Every test starts with nothing in the servers' cache: no pages, counts or figures."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@dataclass
class Browser:
    """One person's browser: its cookies go with every request, to whichever server."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        server: Server,
        method: str,
        path: str,
        form: dict | None = None,
        expect: int | tuple[int, ...] = 200,
    ) -> Response:
        headers = {"Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.msg, raw.read().decode("utf-8", "replace"))
        except OSError as error:
            pytest.fail(f"{method} {path} on server {server.name}: {error}\n{server.stderr_tail()}")
        finally:
            connection.close()
        self._keep_cookies(response)
        expected = (expect,) if isinstance(expect, int) else expect
        if response.status not in expected:
            pytest.fail(
                f"{method} {path} on server {server.name} answered {response.status}, "
                f"expected {expected}.\n--- server {server.name}'s stderr ---\n"
                f"{server.stderr_tail()}\n--- response ---\n{response.text[:2000]}"
            )
        return response

    def _keep_cookies(self, response: Response) -> None:
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel.value in ("", '""') or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def csrf_token(self, server: Server, path: str) -> str:
        page = self.request(server, "GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, server: Server, username: str) -> None:
        """A real sign-in: the login page, then its form posted with the password."""
        token = self.csrf_token(server, "/accounts/login/")
        response = self.request(
            server,
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
            expect=302,
        )
        assert "sessionid" in self.cookies, response.headers

    def post(self, server: Server, path: str, form: dict, *, token_from: str, expect=302):
        token = self.csrf_token(server, token_from)
        return self.request(
            server, "POST", path, {"csrfmiddlewaretoken": token, **form}, expect=expect
        )


def staff_member(username: str, roles=(Role.STAFF,)):
    """A person who signs in with a password the production servers can check (their
    hashers, not the test settings' fast MD5)."""
    user = UserFactory(username=username, roles=list(roles))
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


def ideas_submitted_figure(page: Response) -> int:
    with translation.override("sv"):
        label = gettext("ideas submitted")
    match = re.search(
        r'figure__number">\s*([\d\s\u00a0]+?)\s*</span>\s*<span class="figure__label">'
        + re.escape(label),
        page.text,
    )
    assert match, "the home page shows no 'ideas submitted' figure"
    return int(re.sub(r"\D", "", match.group(1)))


def test_a_sign_in_through_one_server_holds_on_the_other(servers):
    a, b = servers["A"], servers["B"]
    commenter = staff_member("kommentator")
    idea = IdeaFactory(state=IdeaState.SUBMITTED, title="Nycklar i mobilen")
    browser = Browser()

    browser.sign_in(a, "kommentator")
    body = "Vi provade samma sak i Kvarnby, fråga oss gärna."
    browser.post(
        a,
        f"/ideas/{idea.pk}/comments/",
        {"body": body},
        token_from=f"/ideas/{idea.pk}/",
    )

    # The same person, the next request landing on the other server: still signed in,
    # the comment there, and the message set by A shown by B (one SECRET_KEY).
    page = browser.request(b, "GET", f"/ideas/{idea.pk}/")
    assert body in page.text
    assert "/accounts/logout/" in page.text
    with translation.override("sv"):
        assert gettext("Your comment is published.") in page.text
    assert Comment.objects.filter(idea=idea, author=commenter, body=body).exists()
    # And a stranger's request to B is not signed in.
    anonymous = Browser().request(b, "GET", f"/ideas/{idea.pk}/", expect=302)
    assert anonymous.header("Location").startswith("/accounts/login/")


def test_a_change_through_one_server_renews_the_page_the_other_stored(servers):
    a, b = servers["A"], servers["B"]
    ensure_site_tree()
    IdeaFactory.create_batch(2, state=IdeaState.SUBMITTED)
    owner = staff_member("agare")
    draft = IdeaFactory(owner=owner, title="Lånecyklar för hemtjänsten")
    visitor = Browser()

    first = visitor.request(a, "GET", "/")
    assert first.header(STATUS_HEADER) == "miss"
    assert ideas_submitted_figure(first) == 2
    # B serves the copy A stored: the cache is one.
    second = visitor.request(b, "GET", "/")
    assert second.header(STATUS_HEADER) == "hit"
    assert second.text == first.text

    staff = Browser()
    staff.sign_in(b, "agare")
    staff.post(
        b,
        f"/ideas/{draft.pk}/transition/submit/",
        {"expected_state": IdeaState.DRAFT},
        token_from=f"/ideas/{draft.pk}/transition/submit/",
    )
    draft.refresh_from_db()
    assert draft.state == IdeaState.SUBMITTED

    fresh = visitor.request(a, "GET", "/")
    assert fresh.header(STATUS_HEADER) == "miss"
    assert ideas_submitted_figure(fresh) == 3
    again = visitor.request(b, "GET", "/")
    assert again.header(STATUS_HEADER) == "hit"
    assert ideas_submitted_figure(again) == 3


def wait_for_room_in_the_window(seconds_needed: int, window_seconds: int) -> None:
    """The limits count in fixed windows; start where the whole run fits in one."""
    left = window_seconds - time.time() % window_seconds
    if left < seconds_needed:
        time.sleep(left + 0.5)


def test_a_rate_limit_counts_the_requests_to_both_servers(servers):
    a, b = servers["A"], servers["B"]
    staff_member("flitig")
    idea = IdeaFactory(state=IdeaState.SUBMITTED)
    browser = Browser()
    browser.sign_in(a, "flitig")
    token = browser.csrf_token(a, f"/ideas/{idea.pk}/")
    path = f"/ideas/{idea.pk}/comments/"

    # "comment": 30 in ten minutes a person (settings.RATE_LIMITS); 15 on each server.
    wait_for_room_in_the_window(seconds_needed=60, window_seconds=600)
    for number in range(30):
        server = a if number % 2 == 0 else b
        form = {"csrfmiddlewaretoken": token, "body": f"Kommentar nummer {number + 1}"}
        saved = browser.request(server, "POST", path, form, expect=302)
        assert saved.header("Location") == f"/ideas/{idea.pk}/#comments", server.name

    for server in (a, b):
        refused = browser.request(
            server, "POST", path, {"csrfmiddlewaretoken": token, "body": "En till"}, expect=429
        )
        assert int(refused.header("Retry-After")) > 0
    assert Comment.objects.filter(idea=idea).count() == 30
