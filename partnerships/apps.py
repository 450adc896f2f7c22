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


def drop_link_countries(sender, using="default", **kwargs):
    """Before migrations run, drop the link-country and country-count triggers
    (link_countries.before_migrate, country_counts.before_migrate)."""
    from django.db import connections

    from partnerships import country_counts, link_countries

    country_counts.before_migrate(connections[using])
    link_countries.before_migrate(connections[using])


def ensure_link_countries(sender, using="default", **kwargs):
    """After migrations (and flush), put back what is missing (link_countries.after_migrate)
    and count each country's links again (country_counts.after_migrate)."""
    from django.db import connections

    from partnerships import country_counts, link_countries

    link_countries.after_migrate(connections[using])
    country_counts.after_migrate(connections[using])


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
