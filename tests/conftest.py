"""Shared fixtures and the rules that decide which tests run where.

- Tests marked `postgres` need PostgreSQL; on SQLite they are deselected and
  the run says so. With CI=true and DATABASE_URL pointing at PostgreSQL they
  must run: a missing server is an error, not a skip.
- Tests marked `sqlite` check the SQLite fallback of something PostgreSQL does
  natively (search ranking); they are deselected in the PostgreSQL pass.
- Tests marked `browser` need Chromium (tests/e2e/conftest.py).
"""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from ideasluss.accounts.roles import Role

from .factories import ApplicationFactory, FundFactory, IdeaFactory, UnitFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def database_vendor() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if "postgresql" in engine else engine.rsplit(".", 1)[-1]


def pytest_configure(config):
    if os.environ.get("IDESLUSS_REQUIRE_POSTGRES") and database_vendor() != "postgresql":
        raise pytest.UsageError(
            "IDESLUSS_REQUIRE_POSTGRES is set but DATABASE_URL does not point at PostgreSQL."
        )


def pytest_collection_modifyitems(config, items):
    """Deselect (never skip) tests that belong to the other database's pass."""
    other = "sqlite" if database_vendor() == "postgresql" else "postgres"
    deselected = [item for item in items if item.get_closest_marker(other)]
    if deselected:
        items[:] = [item for item in items if not item.get_closest_marker(other)]
        config.hook.pytest_deselected(items=deselected)
        if other == "postgres":
            config._idesluss_postgres_deselected = len(deselected)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    count = getattr(config, "_idesluss_postgres_deselected", 0)
    if count:
        terminalreporter.write_sep(
            "=",
            f"{count} PostgreSQL-only tests were NOT run (database is {database_vendor()}); "
            "set DATABASE_URL=postgres://... to run them",
            yellow=True,
            bold=True,
        )


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (Swedish): a page requested in English by
    an earlier test must not leave this thread speaking English to the next one."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: stored pages and figures belong to one database."""
    cache.clear()


@pytest.fixture
def staff(db):
    return UserFactory(username="staffer", roles=[Role.STAFF])


@pytest.fixture
def coach(db):
    return UserFactory(username="coach", roles=[Role.STAFF, Role.COACH])


@pytest.fixture
def committee_member(db):
    return UserFactory(username="member", roles=[Role.STAFF, Role.COMMITTEE_MEMBER])


@pytest.fixture
def chair(db):
    return UserFactory(username="chair", roles=[Role.STAFF, Role.COMMITTEE_CHAIR])


@pytest.fixture
def fund(db, chair, committee_member):
    """A fund of 100,000 kr whose committee is the chair and one member (a quorum is both)."""
    return FundFactory(capital=100_000, delegated_limit=30_000, committee=[chair, committee_member])


@pytest.fixture
def application(fund):
    return ApplicationFactory(fund=fund, total=20_000)


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="administrator",
        roles=[Role.STAFF, Role.ADMINISTRATOR],
        is_superuser=True,
        is_staff=True,
    )


@pytest.fixture
def unit_factory(db):
    return UnitFactory


@pytest.fixture
def idea_factory(db):
    return IdeaFactory


@pytest.fixture(autouse=True)
def _transactional_tests_restore_the_initial_data(request):
    """A test that commits (transaction=True) must also ask for serialized_rollback:
    the flush after a serialized test skips post_migrate, so a plain transactional test
    that followed it would start without content types, groups or the home page."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
        pytest.fail("Use @pytest.mark.django_db(transaction=True, serialized_rollback=True).")


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_append_only_triggers():
    """Test flushes (transactional tests, live_server) empty the append-only tables too.

    On SQLite, Django empties tables with DELETE (PostgreSQL uses TRUNCATE, which row
    triggers do not see), so the triggers would refuse the flush between tests."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from .append_only import triggers_off

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with triggers_off(self.connection, vendors=("sqlite",)):
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialized initial data reachable from every connection wrapper.

    Django stores it on the connection object of the thread that created the test
    database. Playwright's sync API runs the browser tests in greenlets, and there
    Django hands out a fresh connection object without it: a serialized_rollback test
    then restored nothing, and every later test ran without the home page, groups
    or content types. Storing it on the wrapper class makes every instance see it.
    """
    from django.db import connections

    for alias in connections:
        wrapper = connections[alias]
        contents = getattr(wrapper, "_test_serialized_contents", None)
        if contents is not None:
            type(wrapper)._test_serialized_contents = contents
    yield


# --- Hypothesis profiles (property tests, tests/hardening/; docs/security-input.md) -------
# "ci" (the default, `make test`): 50 examples a test, derandomised so a run is repeatable
# and CI stable, no example database. HYPOTHESIS_PROFILE=thorough: 1,000 random examples a
# test, failures remembered under .var/hypothesis so the next run tries them first.
from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis.database import DirectoryBasedExampleDatabase  # noqa: E402

hypothesis_settings.register_profile(
    "ci", max_examples=50, deadline=None, derandomize=True, database=None, print_blob=True
)
hypothesis_settings.register_profile(
    "thorough",
    max_examples=1000,
    deadline=None,
    database=DirectoryBasedExampleDatabase(
        os.path.join(os.path.dirname(os.path.dirname(__file__)), ".var", "hypothesis")
    ),
    print_blob=True,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
