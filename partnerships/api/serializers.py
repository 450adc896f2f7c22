"""Serializers for every resource under /api/v1/.

Conventions, the same on every record:
- `url` is the record's API address; `page_url` its public page, where it has one
  (cities, partnerships, liaison offices, officials).
- Related records are written as a slug (an id for records without one) and read
  back as a short nested summary (RelatedSummaryField).
- A date with a precision is one reduced ISO 8601 string (PartialDateField), made
  from the model's PARTIAL_DATES.
- Writes are validated by the model's own full_clean() (StrictModelSerializer).
"""

from rest_framework import serializers

from api.fields import (
    ApiUrlField,
    PageUrlField,
    PrefetchedListSerializer,
    PrefetchedManyMixin,
    RelatedSummaryField,
)
from api.serializers import NestedSummaryMixin, PartialDateFieldsMixin, StrictModelSerializer
from cities.api.serializers import CitySerializer, CitySummarySerializer
from cities.models import City
from partnerships import models as m


def _api_url(name: str, lookup_field: str = "pk"):
    return ApiUrlField(view_name=f"api:{name}-detail", lookup_field=lookup_field)


def _city_field(**kwargs):
    return RelatedSummaryField(
        summary_serializer=CitySummarySerializer, queryset=City.objects.all(), **kwargs
    )


# -- summaries nested in other records ------------------------------------------


class AreaSummaryField(PrefetchedManyMixin, serializers.SlugRelatedField):
    """Cooperation areas are short words; they are read and written as their slugs."""

    default_error_messages = {"does_not_exist": "No cooperation area has the slug “{value}”."}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        kwargs.setdefault("queryset", m.CooperationArea.objects.all())
        super().__init__(**kwargs)


class SourceSummarySerializer(NestedSummaryMixin, serializers.ModelSerializer):
    """A source as cited by another record."""

    url = _api_url("source")
    # allow_blank: a source without a URL reads "" (documented as such, not as a bad URI).
    source_url = serializers.URLField(
        source="url", read_only=True, allow_blank=True, help_text="The source itself."
    )

    class Meta:
        model = m.Source
        fields = ["url", "id", "publisher", "title", "source_url", "published_on"]
        read_only_fields = fields


class OrganizationSummarySerializer(serializers.ModelSerializer):
    """An organisation as it appears inside another record."""

    url = _api_url("organization", "slug")

    class Meta:
        model = m.Organization
        fields = ["url", "slug", "name", "short_name"]
        read_only_fields = fields


class OfficialSummarySerializer(serializers.ModelSerializer):
    """An official as it appears inside another record."""

    url = _api_url("official", "slug")
    page_url = PageUrlField()

    class Meta:
        model = m.Official
        fields = ["url", "page_url", "slug", "name", "title"]
        read_only_fields = fields


class PartnershipSummarySerializer(serializers.ModelSerializer):
    """A link as it appears inside another record (an office, an event)."""

    url = _api_url("partnership")
    page_url = PageUrlField(key="pk")
    city_a = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    city_b = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = m.Partnership
        fields = ["url", "page_url", "id", "city_a", "city_b", "kind", "status"]
        read_only_fields = fields


class LiaisonOfficeSummarySerializer(serializers.ModelSerializer):
    """A liaison office as it appears inside an event."""

    url = _api_url("liaison-office", "slug")
    page_url = PageUrlField()

    class Meta:
        model = m.LiaisonOffice
        fields = ["url", "page_url", "slug", "name"]
        read_only_fields = fields


def _sources_field():
    return RelatedSummaryField(
        summary_serializer=SourceSummarySerializer,
        slug_field="pk",
        queryset=m.Source.objects.all(),
        many=True,
        required=False,
        help_text="Written as source ids; read as short source records.",
    )


# -- resources ------------------------------------------------------------------


class CityWithPartnershipsSerializer(CitySerializer):
    """A city, with the number of links it has (which only this layer can count)."""

    partnership_count = serializers.IntegerField(
        read_only=True,
        # A city just created has no annotation, and no links: the response says 0
        # rather than leaving out a field the schema marks as always present.
        default=0,
        help_text="Links of any kind in which this city is either side.",
    )

    class Meta(CitySerializer.Meta):
        fields = [*CitySerializer.Meta.fields, "partnership_count"]


class PartnershipSerializer(StrictModelSerializer):
    """A twin-city link between two cities, stored once whichever order it is given in."""

    url = _api_url("partnership")
    page_url = PageUrlField(key="pk")
    city_a = _city_field(help_text="Written as a city slug. Stored in canonical order.")
    city_b = _city_field(help_text="Written as a city slug. Stored in canonical order.")
    areas = AreaSummaryField(many=True, required=False, help_text="Cooperation area slugs.")
    sources = _sources_field()

    class Meta:
        model = m.Partnership
        fields = [
            "url",
            "page_url",
            "id",
            "city_a",
            "city_b",
            "kind",
            "status",
            "start",
            "start_is_approximate",
            "end",
            "one_sided",
            "areas",
            "sources",
            "description",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class AreaSerializer(StrictModelSerializer):
    """An area of cooperation (technology, culture, education...)."""

    url = _api_url("area", "slug")

    class Meta:
        model = m.CooperationArea
        fields = ["url", "id", "slug", "name", "description"]
        read_only_fields = ["id"]


class SourceSerializer(StrictModelSerializer):
    """A published source that records cite."""

    url = _api_url("source")
    source_url = serializers.URLField(
        source="url",
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text="Where the source can be read, if known.",
    )

    class Meta:
        model = m.Source
        fields = ["url", "id", "publisher", "title", "source_url", "published_on", "note"]
        read_only_fields = ["id"]


class OrganizationFigureSerializer(serializers.ModelSerializer):
    """A sourced figure about an organisation, e.g. a year's turnover."""

    class Meta:
        model = m.OrganizationFigure
        fields = ["metric", "year", "comparator", "value", "unit", "as_reported", "source"]
        read_only_fields = fields
        list_serializer_class = PrefetchedListSerializer


class OrganizationSerializer(StrictModelSerializer):
    """An organisation (science park, municipality, company...) with its sourced figures."""

    url = _api_url("organization", "slug")
    city = _city_field(required=False, allow_null=True, help_text="Written as a city slug.")
    figures = OrganizationFigureSerializer(many=True, read_only=True)

    class Meta:
        model = m.Organization
        fields = [
            "url",
            "id",
            "slug",
            "name",
            "short_name",
            "nickname",
            "kind",
            "city",
            "description",
            "website",
            "figures",
        ]
        read_only_fields = ["id"]


class OfficialSerializer(StrictModelSerializer):
    """A person who acts for a city (mayor, vice mayor...)."""

    url = _api_url("official", "slug")
    page_url = PageUrlField()
    city = _city_field(help_text="Written as a city slug.")
    organization = RelatedSummaryField(
        summary_serializer=OrganizationSummarySerializer,
        queryset=m.Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="Written as an organisation slug.",
    )

    class Meta:
        model = m.Official
        fields = [
            "url",
            "page_url",
            "id",
            "slug",
            "name",
            "title",
            "city",
            "organization",
            "term_start",
            "term_end",
        ]
        read_only_fields = ["id"]


class LiaisonOfficeSerializer(StrictModelSerializer):
    """An office that an organisation of one city opens in another."""

    url = _api_url("liaison-office", "slug")
    page_url = PageUrlField()
    organization = RelatedSummaryField(
        summary_serializer=OrganizationSummarySerializer,
        queryset=m.Organization.objects.all(),
        help_text="Who opens the office; written as an organisation slug.",
    )
    home_city = _city_field(help_text="Written as a city slug.")
    host_city = _city_field(help_text="Written as a city slug.")
    partnership = RelatedSummaryField(
        summary_serializer=PartnershipSummarySerializer,
        slug_field="pk",
        queryset=m.Partnership.objects.all(),
        required=False,
        allow_null=True,
        help_text="The link the office serves; written as a partnership id.",
    )
    focus_areas = AreaSummaryField(many=True, required=False, help_text="Cooperation area slugs.")
    sources = _sources_field()

    class Meta:
        model = m.LiaisonOffice
        fields = [
            "url",
            "page_url",
            "id",
            "slug",
            "name",
            "organization",
            "home_city",
            "host_city",
            "partnership",
            "status",
            "announced_on",
            "opened_on",
            "closed_on",
            "focus_areas",
            "purpose",
            "network_ordinal",
            "description",
            "sources",
        ]
        read_only_fields = ["id"]


class QuoteSerializer(serializers.ModelSerializer):
    """Words an official said at an event, with their source."""

    official = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = m.Quote
        fields = ["official", "text", "source"]
        read_only_fields = fields
        list_serializer_class = PrefetchedListSerializer


class EventSerializer(StrictModelSerializer):
    """A dated happening: a meeting, an announcement, a visit, an agreement..."""

    url = _api_url("event")
    city = _city_field(required=False, allow_null=True, help_text="Where; a city slug.")
    partnership = RelatedSummaryField(
        summary_serializer=PartnershipSummarySerializer,
        slug_field="pk",
        queryset=m.Partnership.objects.all(),
        required=False,
        allow_null=True,
        help_text="Written as a partnership id.",
    )
    liaison_office = RelatedSummaryField(
        summary_serializer=LiaisonOfficeSummarySerializer,
        queryset=m.LiaisonOffice.objects.all(),
        required=False,
        allow_null=True,
        help_text="Written as a liaison office slug.",
    )
    participants = RelatedSummaryField(
        summary_serializer=OfficialSummarySerializer,
        queryset=m.Official.objects.all(),
        many=True,
        required=False,
        help_text="Written as official slugs.",
    )
    sources = _sources_field()
    quotes = QuoteSerializer(many=True, read_only=True)

    class Meta:
        model = m.Event
        fields = [
            "url",
            "id",
            "date",
            "kind",
            "title",
            "summary",
            "city",
            "partnership",
            "liaison_office",
            "participants",
            "sources",
            "quotes",
        ]
        read_only_fields = ["id"]


# -- /cities/<slug>/partners/ ---------------------------------------------------


class PartnerLinkSerializer(PartialDateFieldsMixin, serializers.ModelSerializer):
    """The link that ties a city to one partner."""

    url = _api_url("partnership")
    page_url = PageUrlField(key="pk")

    class Meta:
        model = m.Partnership
        fields = [
            "url",
            "page_url",
            "id",
            "kind",
            "status",
            "start",
            "start_is_approximate",
            "end",
            "one_sided",
        ]
        read_only_fields = fields


class PartnerCitySerializer(CitySummarySerializer):
    """The city on the other side, with its country's name."""

    country_name = serializers.SerializerMethodField(help_text="The country's English name.")

    class Meta(CitySummarySerializer.Meta):
        fields = [*CitySummarySerializer.Meta.fields, "country_name"]
        read_only_fields = fields

    def get_country_name(self, city) -> str:
        return city.country.name if city.country else ""


class PartnerSerializer(serializers.Serializer):
    """One partner of a city: the city on the other side, and the link."""

    city = PartnerCitySerializer(source="partner", read_only=True)
    partnership = PartnerLinkSerializer(source="*", read_only=True)


# -- /partnerships/facets/ ------------------------------------------------------


class FacetCountSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The value counted (a kind, a country code...).")
    label = serializers.CharField(help_text="Its human-readable name.")
    count = serializers.IntegerField()


class DecadeCountSerializer(serializers.Serializer):
    value = serializers.IntegerField(allow_null=True, help_text="First year of the decade.")
    label = serializers.CharField(help_text='"1990s", or "unknown" for links with no start.')
    count = serializers.IntegerField()


class PartnershipFacetsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Links matching the filters.")
    kind = FacetCountSerializer(many=True)
    status = FacetCountSerializer(many=True)
    country = FacetCountSerializer(
        many=True,
        help_text="Links involving each country; a link within one country counts once.",
    )
    start_decade = DecadeCountSerializer(many=True)
    country_pair = FacetCountSerializer(
        many=True,
        help_text='Links between each unordered pair of countries: value "DE-FR" (codes in '
        'alphabetical order), "DE-DE" for links within one country; most links first.',
    )
    one_sided = FacetCountSerializer(
        many=True, help_text='"true": stated by one city only; "false": by both.'
    )
    start_known = FacetCountSerializer(
        many=True, help_text='"true": links with a known start; "false": with none.'
    )
    source = FacetCountSerializer(
        many=True, help_text="Links each data set states (value: its key, e.g. wikidata)."
    )
