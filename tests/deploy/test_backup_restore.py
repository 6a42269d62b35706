"""A backup made as docs/deploy.md says (`pg_dump -Fc`) restores into a new database
(`pg_restore --no-owner --no-privileges --exit-on-error`), and the restored register
verifies.

PostgreSQL only. The restore runs with an empty `search_path` (pg_dump writes it so):
this is what caught the search index's function naming its text search configuration
without a schema (ideas migration 0009).
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connections
from psycopg import sql

from cms.site_tree import ensure_site_tree
from ideasluss.ideas.models import IdeaState
from tests.conftest import IN_CI
from tests.factories import IdeaFactory
from tests.fund.decision_helpers import delegated_decision

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parent.parent.parent
COUNTED = [
    "ideas_idea",
    "fund_decision",
    "fund_checkpoint",
    "accounts_user",
    "wagtailcore_page",
    "search_word",
]


def require(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        message = f"{program} is not installed (apt install postgresql-client)"
        if IN_CI:
            pytest.fail(f"CI=true: {message}; the backup test cannot be skipped.")
        pytest.skip(message)
    return found


def client_environment() -> dict[str, str]:
    """libpq's variables for the test database's server."""
    database = connections["default"].settings_dict
    environment = {
        "PGHOST": database["HOST"] or "127.0.0.1",
        "PGPORT": str(database["PORT"] or 5432),
        "PGUSER": database["USER"] or "postgres",
    }
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    return {**os.environ, **environment}


def counts(conninfo: str) -> dict[str, int]:
    with psycopg.connect(conninfo) as connection:
        return {
            table: connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in COUNTED
        }


@pytest.fixture
def restored_database(tmp_path):
    """An empty database beside the test database, dropped afterwards."""
    require("createdb")
    name = f"{connections['default'].settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    environment = client_environment()
    subprocess.run(["createdb", name], env=environment, check=True)
    yield name
    subprocess.run(["dropdb", "--if-exists", name], env=environment, check=True)


def conninfo_of(name: str) -> str:
    environment = client_environment()
    info = f"host={environment['PGHOST']} port={environment['PGPORT']} "
    info += f"user={environment['PGUSER']} dbname={name}"
    if "PGPASSWORD" in environment:
        info += f" password={environment['PGPASSWORD']}"
    return info


def url_of(name: str) -> str:
    environment = client_environment()
    password = f":{environment['PGPASSWORD']}" if "PGPASSWORD" in environment else ""
    return (
        f"postgres://{environment['PGUSER']}{password}@{environment['PGHOST']}:"
        f"{environment['PGPORT']}/{name}"
    )


def searched(name: str) -> int:
    with psycopg.connect(conninfo_of(name)) as connection:
        return connection.execute(
            "SELECT count(*) FROM ideas_idea WHERE idea_search_document(title, problem, "
            "target_group, description) @@ plainto_tsquery('swedish_compound', 'hemtjänst')"
        ).fetchone()[0]


def test_a_custom_format_dump_restores_and_the_register_verifies(
    restored_database, tmp_path, fund, coach
):
    ensure_site_tree()
    IdeaFactory.create_batch(3, state=IdeaState.SUBMITTED, description="Nyckelskåp i hemtjänsten")
    for total in (10_000, 12_000):
        delegated_decision(fund=fund, coach=coach, total=total)
    source = connections["default"].settings_dict["NAME"]
    dump = tmp_path / "idesluss.dump"
    environment = client_environment()

    subprocess.run(
        [require("pg_dump"), "-Fc", "-f", str(dump), source], env=environment, check=True
    )
    restore = subprocess.run(
        [require("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        + ["-d", restored_database, str(dump)],
        env=environment,
        capture_output=True,
        text=True,
    )

    assert restore.returncode == 0, restore.stderr
    assert counts(conninfo_of(restored_database)) == counts(conninfo_of(source))
    verified = subprocess.run(
        [sys.executable, "manage.py", "verify_decisions"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ideasluss.settings.test",
            "DATABASE_URL": url_of(restored_database),
        },
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "All 2 decisions verified." in verified.stdout
    # The search index's function works in the restored database as in the first.
    assert searched(restored_database) == searched(source) >= 3
