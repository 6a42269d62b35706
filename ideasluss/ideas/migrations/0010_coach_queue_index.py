from django.db import migrations, models

from ideasluss.migration_operations import AddIndexWithoutLocking


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("ideas", "0009_search_document_search_path"),
    ]

    operations = [
        AddIndexWithoutLocking(
            model_name="idea",
            index=models.Index(
                condition=models.Q(("state__in", ["submitted", "testing", "tested"])),
                fields=["state_changed_at", "id"],
                name="idea_coach_queue",
            ),
        ),
    ]
