"""Switching off the database's append-only triggers, as someone with database access can."""

from contextlib import contextmanager

APPEND_ONLY_TABLES = ("fund_decision", "fund_moneyreturn", "fund_checkpoint")


@contextmanager
def triggers_off(connection, *, vendors=("sqlite", "postgresql")):
    """Drop SQLite's triggers (and create them again after), or disable PostgreSQL's."""
    if connection.vendor not in vendors:
        yield
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        else:
            for table in APPEND_ONLY_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for _name, sql in triggers:
                    cursor.execute(sql)
            else:
                for table in APPEND_ONLY_TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
