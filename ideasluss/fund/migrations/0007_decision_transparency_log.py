"""The decision register becomes a transparency log (docs/fund.md).

- Decisions get a `log_index` (one Merkle tree over every fund), the `leaf_hash` of their
  leaf and the salt of their people digest; existing decisions are numbered in key order.
  No checkpoint is signed here (a migration has no key): the first signing afterwards
  (the next decision, or `manage.py sign_checkpoint`) covers them all.
- The per-fund hash chain (`previous_hash`, `hash`) goes.
- `Checkpoint` keeps every signed checkpoint, append-only like decisions.
- The database refuses UPDATE and DELETE of decisions, returned money and checkpoints:
  on PostgreSQL with 0002's trigger function (now also on the checkpoint table), on SQLite
  with triggers created here, last, because SQLite rebuilds a table (and drops its
  triggers) for most schema changes: a later migration that alters one of these tables
  on SQLite must create its triggers again (tests/fund/test_tlog_database.py checks).
"""

import secrets

from django.db import migrations, models

SQLITE_TABLES = ["fund_decision", "fund_moneyreturn", "fund_checkpoint"]


def number_existing_decisions(apps, schema_editor):
    from ideasluss.fund import tlog
    from ideasluss.fund.transparency import leaf_record

    Decision = apps.get_model("fund", "Decision")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("ALTER TABLE fund_decision DISABLE TRIGGER fund_decision_append_only")
    decisions = Decision.objects.select_related(
        "fund", "application__idea", "meeting", "decided_by", "supersedes"
    ).order_by("pk")
    for index, decision in enumerate(decisions):
        decision.log_index = index
        decision.people_salt = secrets.token_hex(16)
        leaf = tlog.leaf_hash(tlog.leaf_bytes(leaf_record(decision))).hex()
        Decision.objects.filter(pk=decision.pk).update(
            log_index=index, people_salt=decision.people_salt, leaf_hash=leaf
        )
    if postgresql:
        schema_editor.execute("ALTER TABLE fund_decision ENABLE TRIGGER fund_decision_append_only")


def refuse_changes_in_the_database(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TRIGGER fund_checkpoint_append_only BEFORE UPDATE OR DELETE "
            "ON fund_checkpoint FOR EACH ROW EXECUTE FUNCTION fund_refuse_change()"
        )
    elif schema_editor.connection.vendor == "sqlite":
        for table in SQLITE_TABLES:
            for operation in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_refuse_{operation.lower()} BEFORE {operation} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, "
                    f"'{table} is an append-only public record: {operation} refused'); END"
                )


def allow_changes_in_the_database(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS fund_checkpoint_append_only ON fund_checkpoint")
    elif schema_editor.connection.vendor == "sqlite":
        for table in SQLITE_TABLES:
            for operation in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_refuse_{operation}")


class Migration(migrations.Migration):

    dependencies = [
        ("fund", "0006_committee_agenda_minutes"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="decision", name="decision_chain_no_fork"),
        migrations.AddField(
            model_name="decision",
            name="log_index",
            field=models.PositiveBigIntegerField(null=True, verbose_name="position in the log"),
        ),
        migrations.AddField(
            model_name="decision",
            name="leaf_hash",
            field=models.CharField(default="", max_length=64, verbose_name="leaf hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="decision",
            name="people_salt",
            field=models.CharField(
                default="", max_length=32, verbose_name="salt of the people digest"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(number_existing_decisions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decision",
            name="log_index",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="position in the log"),
        ),
        migrations.RemoveField(model_name="decision", name="hash"),
        migrations.RemoveField(model_name="decision", name="previous_hash"),
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tree_size", models.PositiveBigIntegerField(unique=True, verbose_name="tree size")),
                ("root_hash", models.CharField(max_length=64, verbose_name="root hash")),
                ("note", models.TextField(verbose_name="signed note")),
                ("signed_at", models.DateTimeField(auto_now_add=True, verbose_name="signed")),
            ],
            options={
                "verbose_name": "checkpoint",
                "verbose_name_plural": "checkpoints",
                "ordering": ["-tree_size"],
            },
        ),
        migrations.RunPython(refuse_changes_in_the_database, allow_changes_in_the_database),
    ]
