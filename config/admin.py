"""The staff admin's site: the records first on its index, the machinery after.

Django lists apps by name, which puts "API tokens" (authtoken) and the login
lock-out (axes) above cities and partnerships. The default site is replaced by this
subclass (config.apps.AdminConfig.default_site), so every `admin.site.register` and
every admin URL stays as it was; only the order of the index and sidebar changes.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig

#: Apps in this order first; any other app after them, by name as Django sorts them.
APP_ORDER = ("partnerships", "cities", "suggestions", "changes", "ops", "auth")
#: Staff and security machinery last.
LAST = ("authtoken", "axes")


class StaffAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)

        def rank(app):
            label = app["app_label"]
            if label in APP_ORDER:
                return (0, APP_ORDER.index(label), "")
            if label in LAST:
                return (2, LAST.index(label), "")
            return (1, 0, app["name"])

        return sorted(apps, key=rank)


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin.StaffAdminSite"
