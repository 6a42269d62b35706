from django.db import migrations, models


class Migration(migrations.Migration):
    # A few thousand decisions a year: a plain CREATE INDEX takes milliseconds.
    dependencies = [
        ("fund", "0008_checkpoint_signed_with"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(fields=["-decided_at", "-id"], name="decision_register_order"),
        ),
    ]
