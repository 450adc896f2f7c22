"""Give the staff groups the permissions of the world-record models (city names,
redirects, possible duplicates, data-set keys): editors all, viewers view only."""

import importlib

from django.db import migrations

create_groups = importlib.import_module("partnerships.migrations.0002_staff_groups").create_groups


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0003_world_record"),
        ("cities", "0003_world_record"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
