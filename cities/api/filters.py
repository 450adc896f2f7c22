"""City filters that need no knowledge of partnerships."""

import django_filters

from api.filters import CountryFilter, SearchFilter
from cities.models import City


class CityFilterSet(django_filters.FilterSet):
    country = CountryFilter(field_name="country")
    search = SearchFilter(help_text="Words in the name, the native name (e.g. 北京) or the slug.")

    class Meta:
        model = City
        fields = ["country", "search"]
