from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate

from common import data_version

STAFF_APPS = ("cities", "partnerships")


def sync_staff_group_permissions(sender, using="default", **kwargs):
    """Keep the editors/viewers groups holding every permission of the data apps.

    The 0002 migration creates the groups; this keeps them complete when a
    later migration adds a model, without writing a new data migration each time.
    """
    from django.contrib.auth.models import Group, Permission

    every = Permission.objects.using(using).filter(content_type__app_label__in=STAFF_APPS)
    for name, perms in (
        ("editors", every),
        ("viewers", every.filter(codename__startswith="view_")),
    ):
        group = Group.objects.using(using).filter(name=name).first()
        if group is not None:
            group.permissions.add(*perms)


def _link_countries_column(connection) -> bool | None:
    """Whether the links table has its country copy (None: the tables are not there)."""
    from partnerships import link_countries

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if link_countries.LINK_TABLE not in tables or link_countries.CITY_TABLE not in tables:
            return None
        description = connection.introspection.get_table_description(
            cursor, link_countries.LINK_TABLE
        )
    return any(column.name == "country_a" for column in description)


def drop_link_countries(sender, using="default", **kwargs):
    """Before migrations run, drop the link-country triggers: a schema change could
    otherwise trip over them (SQLite rebuilds a table by dropping it and renaming a
    copy, which fails while a trigger names the dropped table; PostgreSQL refuses to
    change the type of a column a trigger names). post_migrate puts them back."""
    from django.db import connections

    from partnerships import link_countries

    connection = connections[using]
    if _link_countries_column(connection) is not None:
        link_countries.uninstall(connection)


def ensure_link_countries(sender, using="default", **kwargs):
    """After migrations (and flush), install whichever link-country trigger is missing
    and copy the countries again, once the column they fill exists."""
    from django.db import connections

    from partnerships import link_countries

    connection = connections[using]
    if _link_countries_column(connection):
        link_countries.ensure(connection)


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = "Partnerships"

    def ready(self):
        post_migrate.connect(sync_staff_group_permissions, sender=self)
        pre_migrate.connect(drop_link_countries, sender=self)
        post_migrate.connect(ensure_link_countries, sender=self)
        # Every edit of a partnership record says that the data changed.
        data_version.watch(self)
