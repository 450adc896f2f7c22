from django.apps import AppConfig

from common import data_version


class CitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cities"
    verbose_name = "Cities"

    def ready(self):
        # Every edit of a city says that the data changed (API answers, network, map).
        data_version.watch(self)
        # City search's typo match on SQLite (cities.search.TypoMatch).
        from django.db.backends.signals import connection_created

        from cities.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="cities-search-sqlite")
