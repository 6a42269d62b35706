"""Coaches edit the public site: Wagtail admin access, pages under the home page, pictures.

A coach turns an idea into a draft story page and is sent to Wagtail's editor to
finish and publish it, so the coach group (and the administrator group, whose
members count as coaches) needs access to the admin, add/change/publish on the
home page's subtree, and add/choose on images in every collection.
"""

from django.db import migrations

GROUPS = ["coach", "administrator"]
PAGE_PERMISSIONS = [
    ("add_page", "Can add page"),
    ("change_page", "Can change page"),
    ("publish_page", "Publish any page"),
]
IMAGE_PERMISSIONS = [
    ("add_image", "Can add image"),
    ("choose_image", "Can choose image"),
]


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    HomePage = apps.get_model("cms", "HomePage")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    access_admin = _permission(
        apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"
    )
    page_permissions = [_permission(apps, "wagtailcore", "page", *p) for p in PAGE_PERMISSIONS]
    image_permissions = [_permission(apps, "wagtailimages", "image", *p) for p in IMAGE_PERMISSIONS]
    home = HomePage.objects.order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).first()
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        if home is not None:
            for permission in page_permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page_id=home.pk, permission=permission
                )
        if root_collection is not None:
            for permission in image_permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    groups = Group.objects.filter(name__in=GROUPS)
    GroupPagePermission.objects.filter(
        group__in=groups, permission__codename__in=[c for c, _ in PAGE_PERMISSIONS]
    ).delete()
    GroupCollectionPermission.objects.filter(
        group__in=groups, permission__codename__in=[c for c, _ in IMAGE_PERMISSIONS]
    ).delete()
    for group in groups:
        group.permissions.remove(*group.permissions.filter(codename="access_admin"))


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_showcase_pages"),
        ("accounts", "0002_create_role_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
