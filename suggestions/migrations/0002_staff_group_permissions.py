"""Editors review suggestions (view and change them); viewers may read the queue."""

from django.db import migrations


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label__in=["suggestions", "changes"])
    editors, _ = Group.objects.get_or_create(name="editors")
    editors.permissions.add(*perms.filter(codename__regex=r"^(view|change)_"))
    viewers, _ = Group.objects.get_or_create(name="viewers")
    viewers.permissions.add(*perms.filter(codename__startswith="view_"))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label__in=["suggestions", "changes"])
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["editors", "viewers"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0001_suggestion"),
        ("changes", "0001_import_run"),
        ("partnerships", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
