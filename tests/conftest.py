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

from ideasluss.accounts.roles import Role

from .factories import IdeaFactory, UnitFactory, UserFactory

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
def administrator(db):
    return UserFactory(username="administrator", roles=[Role.STAFF, Role.ADMINISTRATOR])


@pytest.fixture
def unit_factory(db):
    return UnitFactory


@pytest.fixture
def idea_factory(db):
    return IdeaFactory
