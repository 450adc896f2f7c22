"""Create the two staff groups: editors change every record, viewers only read."""

from django.db import migrations

APPS = ("cities", "partnerships")


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now so the
    # groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    every = Permission.objects.filter(content_type__app_label__in=APPS)
    editors, _ = Group.objects.get_or_create(name="editors")
    editors.permissions.set(every)
    viewers, _ = Group.objects.get_or_create(name="viewers")
    viewers.permissions.set(every.filter(codename__startswith="view_"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["editors", "viewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        ("cities", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
