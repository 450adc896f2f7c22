"""City filters that need no knowledge of partnerships.

`CountryFilter` is shared: partnerships, liaison offices and cities all filter by
an ISO 3166-1 alpha-2 code, and all reject a code that is not one.
"""

import django_filters
from django_countries import countries
from django_filters.fields import ChoiceField
from drf_spectacular.utils import extend_schema_field

from cities.models import City


class CountryChoiceField(ChoiceField):
    """An ISO 3166-1 alpha-2 code, in either case ("il" is read as "IL")."""

    default_error_messages = {
        "invalid_choice": "%(value)s is not an ISO 3166-1 alpha-2 country code (e.g. CN, IL).",
    }

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class CountryFilter(django_filters.ChoiceFilter):
    field_class = CountryChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", lambda: list(countries))
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 country code, e.g. CN or IL.")
        super().__init__(*args, **kwargs)
        # The schema names the type explicitly (drf-spectacular cannot guess it for a
        # method filter), and an explicit schema must carry its own description.
        extend_schema_field(
            {
                "type": "string",
                "pattern": "^[A-Za-z]{2}$",
                "example": "IL",
                "description": kwargs["help_text"],
            }
        )(self)


class CityFilterSet(django_filters.FilterSet):
    country = CountryFilter(field_name="country")
    search = django_filters.CharFilter(
        method="filter_search",
        help_text="Words in the name, the native name (e.g. 北京) or the slug.",
    )

    class Meta:
        model = City
        fields = ["country", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)
