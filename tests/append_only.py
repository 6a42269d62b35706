"""Switching off the database's append-only triggers, as someone with database access can."""

from contextlib import contextmanager


@contextmanager
def triggers_off(connection, *, vendors=("sqlite", "postgresql")):
    """Drop SQLite's triggers (and create them again after), or switch PostgreSQL's off for
    the session (`session_replication_role`: no ALTER TABLE inside a test's transaction)."""
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
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for _name, sql in triggers:
                    cursor.execute(sql)
            else:
                cursor.execute("SET session_replication_role = DEFAULT")
