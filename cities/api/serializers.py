"""City serializers: the full record and the short summary nested in other records."""

from django_countries import serializer_fields
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from api.fields import ApiUrlField, PageUrlField
from api.serializers import NestedSummaryMixin, StrictModelSerializer
from cities.models import City

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


class CityFieldsMixin(CountryFieldMixin):
    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializer_fields.CountryField:
            field_class = CountryCodeField
        elif field_name in COORDINATES:
            field_class = CoordinateField
        return field_class, field_kwargs


class CitySummarySerializer(NestedSummaryMixin, CityFieldsMixin, serializers.ModelSerializer):
    """A city as it appears inside another record (a partnership's two sides)."""

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
