"""English for the public pages, and the Wagtail admin's own data in Swedish.

- The English locale, so that an editor can translate a page ("Translate" in the admin,
  wagtail.contrib.simple_translation) from the start; coaches and administrators, who
  edit the public site, may do so.
- Wagtail's migrations create the moderation workflow, its task and two groups with
  English names ("Moderators approval", "Moderators", "Editors"). They are data, not
  translatable strings, so every Swedish editor saw them in English: renamed here. A
  name an administrator already changed is left alone.
"""

from django.db import migrations

SWEDISH_NAMES = {
    "wagtailcore.Workflow": {"Moderators approval": "Moderatorernas godkännande"},
    "wagtailcore.Task": {"Moderators approval": "Moderatorernas godkännande"},
    "auth.Group": {"Moderators": "Moderatorer", "Editors": "Redaktörer"},
}
TRANSLATORS = ["coach", "administrator"]


def forwards(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="en")
    for label, names in SWEDISH_NAMES.items():
        model = apps.get_model(label)
        for english, swedish in names.items():
            if not model.objects.filter(name=swedish).exists():
                model.objects.filter(name=english).update(name=swedish)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="simple_translation", model="simpletranslation"
    )
    submit, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    for group in Group.objects.filter(name__in=TRANSLATORS):
        group.permissions.add(submit)


def backwards(apps, schema_editor):
    for label, names in SWEDISH_NAMES.items():
        model = apps.get_model(label)
        for english, swedish in names.items():
            if not model.objects.filter(name=english).exists():
                model.objects.filter(name=swedish).update(name=english)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    submit = Permission.objects.filter(codename="submit_translation").first()
    if submit is not None:
        for group in Group.objects.filter(name__in=TRANSLATORS):
            group.permissions.remove(submit)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_information_pages_and_translations"),
        ("simple_translation", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
