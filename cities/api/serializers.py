"""City serializers: the full record and the short summary nested in other records."""

from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django_countries import countries, serializer_fields
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from api.fields import ApiUrlField, PageUrlField
from api.serializers import NestedSummaryMixin, StrictModelSerializer
from cities.models import City
from cities.names import choose_name

# Coordinates as JSON numbers, not DRF's default decimal strings: analysts plot them.
COORDINATES = {
    "latitude": {"coerce_to_string": False},
    "longitude": {"coerce_to_string": False},
}


class CountryCodeField(serializer_fields.CountryField):
    """django-countries' field (same input checks, same schema), reading the stored code
    directly: its own lookup in the country table for every city shown was a
    measurable share of rendering a page of links, which shows two cities each."""

    def to_representation(self, obj):
        return getattr(obj, "code", obj) or ""


class CoordinateField(serializers.DecimalField):
    """A latitude or longitude as a JSON number, without DRF's per-value quantize."""

    def to_representation(self, value):
        return float(value)


# ---------------------------------------------------------------- ?lang=

#: The query parameter that asks for display names in a language (the API is otherwise
#: language-neutral: codes and stored names). Documented in the schema by ApiAutoSchema.
LANG_PARAMETER = "lang"


def requested_language(context) -> str | None:
    """The settings.LANGUAGES code that ?lang= names ("zh-hans" for zh-hans, zh-CN or
    zh), None without it; an unknown language is a 400 naming the parameter. Read once
    per request."""
    request = context.get("request") if context else None
    if request is None:
        return None
    cached = getattr(request, "_display_language", False)
    if cached is not False:
        return cached
    raw = getattr(request, "query_params", request.GET).get(LANG_PARAMETER)
    language = None
    if raw is not None and raw.strip():  # empty: not given (api/schema.py)
        try:
            language = translation.get_supported_language_variant(raw.strip().lower())
        except LookupError:
            codes = ", ".join(code for code, _name in settings.LANGUAGES)
            raise serializers.ValidationError(
                {LANG_PARAMETER: [f"Unknown language {raw!r}. Choose one of: {codes}."]}
            ) from None
    request._display_language = language
    return language


@lru_cache(maxsize=8)
def country_names(language: str) -> dict[str, str]:
    """{code: name} of every country in `language` (django-countries), once per language."""
    with translation.override(language):
        return {country.code: str(country.name) for country in countries}


def add_display_names(representation: dict, city, language: str) -> dict:
    """display_name: the city's name for a reader of `language` (cities.names);
    country_name: its country's name in that language (django-countries)."""
    return add_display_names_of(
        representation,
        name=city.name,
        native_name=city.native_name,
        native_name_language=city.native_name_language,
        country=getattr(city.country, "code", city.country) or "",
        language=language,
        names=getattr(city, "names_by_language", None),
    )


def add_display_names_of(
    representation: dict,
    *,
    name: str,
    native_name: str,
    native_name_language: str,
    country: str,
    language: str,
    names=None,
) -> dict:
    """add_display_names() for a city read as values (the API's fast read path)."""
    representation["display_name"], _tag = choose_name(
        name=name,
        native_name=native_name,
        native_name_language=native_name_language,
        language=language,
        names=names,
    )
    representation["country_name"] = country_names(language).get(country, country)
    return representation


class CityFieldsMixin(CountryFieldMixin):
    def to_representation(self, instance):
        representation = super().to_representation(instance)
        language = requested_language(self.context)
        return add_display_names(representation, instance, language) if language else representation

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializer_fields.CountryField:
            field_class = CountryCodeField
        elif field_name in COORDINATES:
            field_class = CoordinateField
        return field_class, field_kwargs


class CitySummarySerializer(NestedSummaryMixin, CityFieldsMixin, serializers.ModelSerializer):
    """A city as it appears inside another record (a partnership's two sides)."""

    def to_representation(self, instance):
        # NestedSummaryMixin's fast path reads the fields; ?lang= adds display names.
        representation = NestedSummaryMixin.to_representation(self, instance)
        language = requested_language(self.context)
        return add_display_names(representation, instance, language) if language else representation

    url = ApiUrlField(view_name="api:city-detail", lookup_field="slug")
    page_url = PageUrlField()

    class Meta:
        model = City
        fields = [
            "url",
            "page_url",
            "slug",
            "name",
            "native_name",
            "country",
            "latitude",
            "longitude",
        ]
        read_only_fields = fields
        extra_kwargs = COORDINATES


class CitySerializer(CityFieldsMixin, StrictModelSerializer):
    """A city: where it is, what it is called, which country it belongs to."""

    url = ApiUrlField(view_name="api:city-detail", lookup_field="slug")
    page_url = PageUrlField()

    class Meta:
        model = City
        fields = [
            "url",
            "page_url",
            "id",
            "slug",
            "name",
            "native_name",
            "native_name_language",
            "native_name_direction",
            "country",
            "region",
            "population",
            "latitude",
            "longitude",
            "wikidata_id",
            "description",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = COORDINATES
