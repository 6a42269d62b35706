"""On PostgreSQL the database itself refuses to change or remove a decision or a
returned-money record, so not even a raw SQL statement can rewrite the public record.

TRUNCATE is left to the tables' owner (test databases are flushed with it);
in production the application's database role should not own the tables.
"""

from django.db import migrations

TABLES = ["fund_decision", "fund_moneyreturn"]

CREATE = """
CREATE OR REPLACE FUNCTION fund_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is an append-only public record: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION fund_refuse_change()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS fund_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("fund", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
