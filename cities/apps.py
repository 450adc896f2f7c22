from django.apps import AppConfig

from common import data_version


class CitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cities"
    verbose_name = "Cities"

    def ready(self):
        # Every edit of a city says that the data changed (API answers, network, map).
        data_version.watch(self)
        # City search (cities.search): SQLite's typo match, and a city's search text
        # following its names (fixtures loaded raw, CityName edits).
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save, pre_save

        from cities import search
        from cities.models import City, CityName

        connection_created.connect(search.register_sqlite_functions, dispatch_uid="city-typo")
        pre_save.connect(search.city_pre_save, sender=City, dispatch_uid="city-search-raw")
        for signal in (post_save, post_delete):
            signal.connect(search.city_name_changed, sender=CityName, dispatch_uid="city-names")
