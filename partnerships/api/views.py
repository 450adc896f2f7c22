"""Viewsets for every resource under /api/v1/. Each is a queryset (from
`querysets`), a serializer, a FilterSet and the columns of its CSV export;
shared behaviour is in `base.ApiModelViewSet`.

CityViewSet lives here, not in `cities`, because a city's partners and partner
count need partnership knowledge, and `cities` knows nothing of partnerships.
"""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from cities.models import City
from partnerships import models as m

from . import filters, querysets, serializers
from .base import ApiModelViewSet, format_parameter
from .facets import partnership_facets
from .renderers import (
    Column,
    GeoJSONRenderer,
    ManyColumn,
    PartialDateColumn,
    stream_geojson,
)

JSON_ONLY = [JSONRenderer, BrowsableAPIRenderer]

CITY_COLUMNS = (
    Column("id", "pk"),
    Column("slug", "slug"),
    Column("name", "name"),
    Column("native_name", "native_name"),
    Column("country", "country"),
    Column("region", "region"),
    Column("population", "population"),
    Column("latitude", "latitude"),
    Column("longitude", "longitude"),
    Column("wikidata_id", "wikidata_id"),
    Column("partnership_count", "partnership_count"),
)

PARTNERSHIP_EXAMPLE = OpenApiExample(
    "Beijing – Tel Aviv",
    response_only=True,
    value={
        "url": "https://example.org/api/v1/partnerships/1/",
        "page_url": "https://example.org/partnerships/1/",
        "id": 1,
        "city_a": {
            "url": "https://example.org/api/v1/cities/beijing/",
            "page_url": "https://example.org/cities/beijing/",
            "slug": "beijing",
            "name": "Beijing",
            "native_name": "北京",
            "country": "CN",
            "latitude": 39.90403,
            "longitude": 116.407526,
        },
        "city_b": {
            "url": "https://example.org/api/v1/cities/tel-aviv/",
            "page_url": "https://example.org/cities/tel-aviv/",
            "slug": "tel-aviv",
            "name": "Tel Aviv",
            "native_name": "תל אביב-יפו",
            "country": "IL",
            "latitude": 32.08,
            "longitude": 34.78,
        },
        "kind": "twin",
        "status": "active",
        "start": "1998",
        "start_is_approximate": True,
        "end": None,
        "one_sided": False,
        "areas": ["art", "culture", "education", "municipal-knowledge-exchange", "technology"],
        "sources": [
            {
                "url": "https://example.org/api/v1/sources/1/",
                "id": 1,
                "publisher": "Globes",
                "title": "Beijing Science Park opens Tel Aviv liaison office",
                "source_url": "",
                "published_on": "2018-04-13",
            }
        ],
        "description": "Twin cities for about 20 years.",
        "created_at": "2018-04-13T00:00:00Z",
        "updated_at": "2018-04-13T00:00:00Z",
    },
)

PARTNERSHIP_WRITE_EXAMPLE = OpenApiExample(
    "A link started in April 2018",
    request_only=True,
    value={
        "city_a": "beijing",
        "city_b": "tel-aviv",
        "kind": "cooperation",
        "status": "active",
        "start": "2018-04",
        "areas": ["technology"],
        "sources": [1],
    },
)


@extend_schema_view(
    list=extend_schema(
        summary="List cities",
        parameters=[format_parameter("csv", "geojson")],
        description="Paginated cities. ?format=geojson returns every matching city as a "
        "GeoJSON FeatureCollection (Point [longitude, latitude]; null geometry when "
        "coordinates are unknown); ?format=csv every matching city as CSV.",
    ),
    retrieve=extend_schema(summary="One city, by slug"),
)
class CityViewSet(ApiModelViewSet):
    serializer_class = serializers.CityWithPartnershipsSerializer
    filterset_class = filters.CityWithPartnersFilterSet
    lookup_field = "slug"
    renderer_classes = [*ApiModelViewSet.renderer_classes, GeoJSONRenderer]
    csv_columns = CITY_COLUMNS
    export_name = "cities"

    def get_queryset(self):
        return querysets.cities_with_partnership_count()

    def export_response(self):
        if self.requested_format() != "geojson":
            return super().export_response()
        queryset = self.filter_queryset(self.get_export_queryset())
        # Reverse once with a marker slug; each row's URL is then a string replace.
        marker = "SLUG__MARKER"

        def template(name):
            url = self.request.build_absolute_uri(reverse(name, args=[marker]))
            return url.replace(marker, "{slug}")

        response = StreamingHttpResponse(
            stream_geojson(
                queryset,
                properties=["slug", "name", "native_name", "country", "partnership_count"],
                url_template=template("api:city-detail"),
                page_url_template=template("public:city-detail"),
            ),
            content_type=GeoJSONRenderer.media_type,
        )
        response["Content-Disposition"] = 'inline; filename="cities.geojson"'
        return response

    @extend_schema(
        summary="Partner cities of one city",
        description="Every city linked to this one, whichever side of the link it was "
        "stored on, each with the link that ties them; ordered by the partner's name.",
        responses=serializers.PartnerSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], renderer_classes=JSON_ONLY)
    def partners(self, request, slug=None):
        city = get_object_or_404(City, slug=slug)
        links = self.paginate_queryset(querysets.partners_of(city))
        for link in links:
            link.partner = link.other_city(city)
        data = serializers.PartnerSerializer(
            links, many=True, context=self.get_serializer_context()
        ).data
        return self.get_paginated_response(data)


PARTNERSHIP_COLUMNS = (
    Column("id", "pk"),
    Column("city_a", "city_a__slug"),
    Column("city_a_name", "city_a__name"),
    Column("city_a_country", "city_a__country"),
    Column("city_b", "city_b__slug"),
    Column("city_b_name", "city_b__name"),
    Column("city_b_country", "city_b__country"),
    Column("kind", "kind"),
    Column("status", "status"),
    PartialDateColumn("start", "start_date", "start_precision"),
    Column("start_is_approximate", "start_is_approximate"),
    PartialDateColumn("end", "end_date", "end_precision"),
    Column("one_sided", "one_sided"),
    ManyColumn("areas", m.PartnershipArea, "partnership_id", "area__slug"),
    ManyColumn("sources", m.PartnershipSource, "partnership_id", "source_id"),
)


@extend_schema_view(
    list=extend_schema(
        summary="List partnerships (twin-city links)",
        parameters=[format_parameter("csv")],
        examples=[PARTNERSHIP_EXAMPLE],
    ),
    retrieve=extend_schema(summary="One partnership, by id", examples=[PARTNERSHIP_EXAMPLE]),
    create=extend_schema(
        summary="Record a link",
        description="city_a and city_b are slugs, in either order: the link is stored "
        "once, lower city id first. A reversed duplicate, a self-link or an end before "
        "the start is a 400 naming the field.",
        examples=[PARTNERSHIP_WRITE_EXAMPLE, PARTNERSHIP_EXAMPLE],
    ),
)
class PartnershipViewSet(ApiModelViewSet):
    serializer_class = serializers.PartnershipSerializer
    filterset_class = filters.PartnershipFilterSet
    csv_columns = PARTNERSHIP_COLUMNS
    export_name = "partnerships"

    def get_queryset(self):
        return querysets.partnerships_for_api()

    @extend_schema(
        summary="Counts of the filtered links",
        description="Takes the same filters as the list and counts the matching links by "
        "kind, status, country (either side; a link within one country counts once) and "
        "decade of start.",
        responses=serializers.PartnershipFacetsSerializer,
        filters=True,
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT, exclude=True),
            OpenApiParameter("page_size", OpenApiTypes.INT, exclude=True),
        ],
    )
    @action(detail=False, methods=["get"], renderer_classes=JSON_ONLY, pagination_class=None)
    def facets(self, request):
        links = self.filter_queryset(m.Partnership.objects.all())
        return Response(partnership_facets(links))


@extend_schema_view(list=extend_schema(parameters=[format_parameter("csv")]))
class LiaisonOfficeViewSet(ApiModelViewSet):
    serializer_class = serializers.LiaisonOfficeSerializer
    filterset_class = filters.LiaisonOfficeFilterSet
    lookup_field = "slug"
    export_name = "liaison-offices"
    csv_columns = (
        Column("id", "pk"),
        Column("slug", "slug"),
        Column("name", "name"),
        Column("organization", "organization__slug"),
        Column("home_city", "home_city__slug"),
        Column("host_city", "host_city__slug"),
        Column("partnership", "partnership_id"),
        Column("status", "status"),
        PartialDateColumn("announced_on", "announced_on", "announced_precision"),
        PartialDateColumn("opened_on", "opened_on", "opened_precision"),
        PartialDateColumn("closed_on", "closed_on", "closed_precision"),
        ManyColumn("focus_areas", m.LiaisonOfficeFocusArea, "liaison_office_id", "area__slug"),
        Column("network_ordinal", "network_ordinal"),
        Column("purpose", "purpose"),
        ManyColumn("sources", m.LiaisonOfficeSource, "liaison_office_id", "source_id"),
    )

    def get_queryset(self):
        return querysets.liaison_offices_for_api()


@extend_schema_view(list=extend_schema(parameters=[format_parameter("csv")]))
class OfficialViewSet(ApiModelViewSet):
    serializer_class = serializers.OfficialSerializer
    filterset_class = filters.OfficialFilterSet
    lookup_field = "slug"
    export_name = "officials"
    csv_columns = (
        Column("id", "pk"),
        Column("slug", "slug"),
        Column("name", "name"),
        Column("title", "title"),
        Column("city", "city__slug"),
        Column("organization", "organization__slug"),
        PartialDateColumn("term_start", "term_start", "term_start_precision"),
        PartialDateColumn("term_end", "term_end", "term_end_precision"),
    )

    def get_queryset(self):
        return querysets.officials_for_api()


@extend_schema_view(list=extend_schema(parameters=[format_parameter("csv")]))
class OrganizationViewSet(ApiModelViewSet):
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilterSet
    lookup_field = "slug"
    export_name = "organizations"
    csv_columns = (
        Column("id", "pk"),
        Column("slug", "slug"),
        Column("name", "name"),
        Column("short_name", "short_name"),
        Column("nickname", "nickname"),
        Column("kind", "kind"),
        Column("city", "city__slug"),
        Column("website", "website"),
    )

    def get_queryset(self):
        return querysets.organizations_for_api()


@extend_schema_view(list=extend_schema(parameters=[format_parameter("csv")]))
class EventViewSet(ApiModelViewSet):
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilterSet
    export_name = "events"
    csv_columns = (
        Column("id", "pk"),
        PartialDateColumn("date", "date", "date_precision"),
        Column("kind", "kind"),
        Column("title", "title"),
        Column("city", "city__slug"),
        Column("partnership", "partnership_id"),
        Column("liaison_office", "liaison_office__slug"),
        ManyColumn("participants", m.EventParticipant, "event_id", "official__slug"),
        ManyColumn("sources", m.EventSource, "event_id", "source_id"),
        Column("summary", "summary"),
    )

    def get_queryset(self):
        return querysets.events_for_api()


@extend_schema_view(list=extend_schema(parameters=[format_parameter("csv")]))
class SourceViewSet(ApiModelViewSet):
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilterSet
    export_name = "sources"
    csv_columns = (
        Column("id", "pk"),
        Column("publisher", "publisher"),
        Column("title", "title"),
        Column("source_url", "url"),
        Column("published_on", "published_on"),
        Column("note", "note"),
    )

    def get_queryset(self):
        return m.Source.objects.all()


@extend_schema_view(list=extend_schema(parameters=[format_parameter("csv")]))
class AreaViewSet(ApiModelViewSet):
    serializer_class = serializers.AreaSerializer
    filterset_class = filters.AreaFilterSet
    lookup_field = "slug"
    export_name = "areas"
    csv_columns = (
        Column("id", "pk"),
        Column("slug", "slug"),
        Column("name", "name"),
        Column("description", "description"),
    )

    def get_queryset(self):
        return m.CooperationArea.objects.all()
