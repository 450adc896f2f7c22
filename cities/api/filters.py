"""City filters that need no knowledge of partnerships."""

import django_filters
from drf_spectacular.utils import extend_schema_field

from api.filters import CountryListFilter, SearchFilter
from cities.models import City, wikidata_id_validator


class CityFilterSet(django_filters.FilterSet):
    country = CountryListFilter(field_name="country")
    region = django_filters.CharFilter(
        field_name="region", lookup_expr="iexact", help_text="The region, e.g. Bavaria (any case)."
    )
    wikidata_id = extend_schema_field(
        {"type": "string", "pattern": "^Q[1-9][0-9]*$", "description": "A Wikidata ID, e.g. Q956."}
    )(
        django_filters.CharFilter(
            field_name="wikidata_id",
            validators=[wikidata_id_validator],
            help_text="A Wikidata ID, e.g. Q956.",
        )
    )
    search = SearchFilter(
        help_text="Words of any of the city's names, in any language (北京, Peking), accents "
        "and case aside, a typo forgiven (Bejing); best match first unless ?ordering= "
        "says otherwise."
    )

    class Meta:
        model = City
        fields = ["country", "region", "wikidata_id", "search"]
