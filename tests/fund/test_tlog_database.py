"""The database itself refuses to change or remove a decision or a checkpoint, on SQLite
(migration 0006's triggers) as on PostgreSQL (0002's trigger function)."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests.fund.decision_helpers import delegated_decision

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE fund_decision SET amount = 1",
        "UPDATE fund_decision SET log_index = log_index + 10",
        "UPDATE fund_decision SET leaf_hash = ''",
        "DELETE FROM fund_decision",
        "UPDATE fund_checkpoint SET root_hash = ''",
        "DELETE FROM fund_checkpoint",
    ],
)
def test_raw_sql_cannot_rewrite_the_log(fund, coach, statement):
    delegated_decision(fund=fund, coach=coach)
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)


@pytest.mark.sqlite
def test_the_sqlite_triggers_survive_the_migrations():
    """A later migration that rebuilds these tables on SQLite would drop their triggers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    for table in ("fund_decision", "fund_moneyreturn", "fund_checkpoint"):
        assert {f"{table}_refuse_update", f"{table}_refuse_delete"} <= names
