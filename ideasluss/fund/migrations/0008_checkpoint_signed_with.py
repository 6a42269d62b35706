"""Checkpoints name the key that signed them, so the signing key can be rotated
(docs/deploy.md, "The decision register's signing key").

- `signed_with` ("name+keyid") is read from each stored checkpoint's signature line. It
  has a database default (""), so that app servers of the release before, still running
  during a rolling upgrade, go on inserting checkpoints (docs/deploy.md, "Upgrades
  without downtime"); a blank one is read from its note (`Checkpoint.key`).
- After a rotation the current tree is signed again with the new key, so one tree size
  may have one checkpoint of each key: unique (tree size, key) instead of unique size.
- The append-only refusal: PostgreSQL's trigger stays (off while the column is filled);
  SQLite rebuilds the table for these changes, which drops its triggers, so they are
  dropped first and created again last (tests/fund/test_tlog_database.py checks).
"""

from django.db import migrations, models

TABLE = "fund_checkpoint"


def sqlite_triggers_off(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for operation in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_refuse_{operation}")


def sqlite_triggers_on(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {TABLE}_refuse_{operation.lower()} BEFORE {operation} "
                f"ON {TABLE} BEGIN SELECT RAISE(ABORT, "
                f"'{TABLE} is an append-only public record: {operation} refused'); END"
            )


def name_the_signing_keys(apps, schema_editor):
    from ideasluss.fund import tlog

    Checkpoint = apps.get_model("fund", "Checkpoint")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER fund_checkpoint_append_only")
    for pk, note in Checkpoint.objects.values_list("pk", "note"):
        Checkpoint.objects.filter(pk=pk).update(signed_with=tlog.signature_keys(note)[0])
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER fund_checkpoint_append_only")


class Migration(migrations.Migration):

    dependencies = [
        ("fund", "0007_decision_transparency_log"),
    ]

    operations = [
        migrations.RunPython(sqlite_triggers_off, sqlite_triggers_on),
        migrations.AddField(
            model_name="checkpoint",
            name="signed_with",
            field=models.CharField(db_default="", max_length=200, verbose_name="signing key"),
        ),
        migrations.RunPython(name_the_signing_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="checkpoint",
            name="tree_size",
            field=models.PositiveBigIntegerField(verbose_name="tree size"),
        ),
        migrations.AlterModelOptions(
            name="checkpoint",
            options={
                "ordering": ["-tree_size", "-pk"],
                "verbose_name": "checkpoint",
                "verbose_name_plural": "checkpoints",
            },
        ),
        migrations.AddConstraint(
            model_name="checkpoint",
            constraint=models.UniqueConstraint(
                fields=("tree_size", "signed_with"), name="checkpoint_one_per_size_and_key"
            ),
        ),
        migrations.RunPython(sqlite_triggers_on, sqlite_triggers_off),
    ]
