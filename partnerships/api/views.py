"""Viewsets for every resource under /api/v1/ but the network questions. Each is a
queryset (from `querysets`), a serializer, a FilterSet and the columns of its CSV
export; shared behaviour is in `api.base.ApiModelViewSet`.

`CityViewSet` here extends `cities.api.views.CityViewSet` (a place and its exports)
with what needs knowledge of links: the partnership count (`partnerships.selectors`),
?min_partners= and /cities/<slug>/partners/. It belongs to this layer, which knows
both cities and links; `cities` knows nothing of partnerships.
"""

from __future__ import annotations

import functools

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from api.base import ApiModelViewSet, format_parameter
from api.fastread import OrjsonRenderer, field_tree, reuse_form_class
from api.renderers import (
    Column,
    CSVRenderer,
    GeoJSONRenderer,
    ManyColumn,
    columns,
    csv_text_response,
)
from cities.api import views as city_views
from cities.models import City
from partnerships import models as m
from partnerships import selectors

from . import exports, fast, filters, lean, querysets, serializers
from .facets import facet_rows, partnership_facets

JSON_ONLY = [OrjsonRenderer, BrowsableAPIRenderer]
EXPORTABLE = [OrjsonRenderer, BrowsableAPIRenderer, CSVRenderer, GeoJSONRenderer]


def _filter_schema(f):
    """A filter's schema as the list views document it: the one its class declares
    (extend_schema_field: booleans, countries, partial dates), else its choices."""
    declared = getattr(f, "_spectacular_annotation", {}).get("field")
    if isinstance(declared, dict):
        return {key: value for key, value in declared.items() if key != "description"}
    choices = f.extra.get("choices")
    if isinstance(f, django_filters.ChoiceFilter) and choices and not callable(choices):
        return {"type": "string", "enum": [value for value, _ in choices]}
    return OpenApiTypes.STR


def partner_filter_parameters():
    """The partners action's filters, for the schema (the action is not a list)."""
    return [
        OpenApiParameter(
            name,
            _filter_schema(f),
            description=str(f.extra.get("help_text") or f.label or name),
        )
        for name, f in filters.PartnerFilterSet.base_filters.items()
    ]


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


# Each list's queryset is built once per process and cloned per request (as DRF does
# with a class-level `queryset`): building the two correlated link counts cost more
# than running the query of a city detail. Never evaluated itself.
_cities_with_link_count = functools.cache(selectors.cities_with_link_count)
_partnerships_for_api = functools.cache(querysets.partnerships_for_api)
_city_values = functools.cache(lambda: fast.city_values(_cities_with_link_count()))
_partnership_values = functools.cache(lambda: fast.partnership_values(_partnerships_for_api()))


class CityViewSet(city_views.CityViewSet):
    serializer_class = serializers.CityWithPartnershipsSerializer
    filterset_class = filters.CityWithPartnersFilterSet
    csv_columns = (*city_views.CITY_COLUMNS, Column("partnership_count", "partnership_count"))
    geojson_properties = (*city_views.CityViewSet.geojson_properties, "partnership_count")

    lean_actions = {"partners": lean.partners}

    def get_queryset(self):
        return _cities_with_link_count().all()

    def fast_queryset(self):
        return _city_values().all()

    def fast_records(self, queryset):
        return fast.city_records(self.request, queryset)

    def known_fields(self) -> dict:
        if self.action == "partners":
            tree = field_tree(serializers.PartnerSerializer(context=self.get_serializer_context()))
            if self.request.query_params.get("lang"):
                tree["city"] = {**tree["city"], "display_name": None}
            return tree
        return super().known_fields()

    def allowed_query_params(self) -> set[str]:
        allowed = super().allowed_query_params()
        if self.action == "partners":
            allowed |= set(filters.PartnerFilterSet.base_filters)
        return allowed

    def repeatable_query_params(self) -> set[str]:
        if self.action == "partners":
            return {
                name
                for name, f in filters.PartnerFilterSet.base_filters.items()
                if getattr(f, "repeatable", False)
            }
        return super().repeatable_query_params()

    @extend_schema(
        summary="Partner cities of one city",
        description="Every city linked to this one, whichever side of the link it was "
        "stored on, each with the link that ties them; ordered by the partner's name. "
        "?format=csv streams every matching partner as CSV (one row per link, the "
        "partner's columns prefixed partner., the link's partnership.); ?format=geojson "
        "as LineStrings from this city to each partner.",
        responses={
            200: serializers.PartnerSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
        },
        filters=False,
        parameters=[
            format_parameter("csv", "geojson"),
            *partner_filter_parameters(),
        ],
    )
    @action(detail=True, methods=["get"], renderer_classes=EXPORTABLE)
    def partners(self, request, slug=None):
        city = get_object_or_404(City, slug=slug)
        found = reuse_form_class(
            filters.PartnerFilterSet(
                request.query_params, queryset=selectors.partners_of(city), request=request
            )
        )
        if not found.is_valid():
            raise ValidationError(found.errors)
        links = found.qs
        fmt = self.requested_format()
        if fmt in ("csv", "geojson") and "fields" in request.query_params:
            raise ValidationError({"fields": [f"?fields= does not apply to format={fmt}."]})
        if fmt == "csv":
            return exports.csv_response(
                exports.partner_rows(links, city), exports.PARTNER_COLUMNS, f"{city.slug}-partners"
            )
        if fmt == "geojson":
            return exports.geojson_lines_response(
                request, links.with_cities(), f"{city.slug}-partners", from_city=city
            )
        self.sparse_fields()  # a bad ?fields= is a 400 before any row is read
        if self.fast_reads:
            ids = self.paginator.page_ids(links, request, self)
            made = dict(fast.partner_records(request, links.order_by().filter(pk__in=ids), city))
            return self.get_paginated_response([made[pk] for pk in ids if pk in made])
        page = self.paginate_queryset(links.with_cities())
        for link in page:
            link.partner = link.other_city(city)
        data = serializers.PartnerSerializer(
            page, many=True, context=self.get_serializer_context()
        ).data
        return self.get_paginated_response(data)


PARTNERSHIP_COLUMNS = columns(
    m.Partnership,
    ("id", "pk"),
    ("city_a", "city_a__slug"),
    ("city_a_name", "city_a__name"),
    ("city_a_country", "city_a__country"),
    ("city_b", "city_b__slug"),
    ("city_b_name", "city_b__name"),
    ("city_b_country", "city_b__country"),
    "kind",
    "status",
    "start",
    "start_is_approximate",
    "end",
    "one_sided",
    ManyColumn("areas", m.PartnershipArea, "partnership_id", "area__slug"),
    ManyColumn("sources", m.PartnershipSource, "partnership_id", "source_id"),
    # The rest of what the JSON holds, nested fields with dotted names.
    *(
        (f"city_{side}.{field}", f"city_{side}__{field}")
        for side in "ab"
        for field in ("native_name", "latitude", "longitude")
    ),
    "description",
    "created_at",
    "updated_at",
)


@extend_schema_view(
    list=extend_schema(
        summary="List partnerships (twin-city links)",
        description="Paginated links. ?format=geojson returns every matching link as a "
        "GeoJSON FeatureCollection of LineStrings from city A to city B (null geometry "
        "when a city has no coordinates); ?format=csv and ?format=ndjson every matching "
        "link as CSV or as one JSON object per line.",
        parameters=[format_parameter("csv", "geojson", "ndjson")],
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
    renderer_classes = [*ApiModelViewSet.renderer_classes, GeoJSONRenderer]
    csv_columns = PARTNERSHIP_COLUMNS
    csv_urls = (
        ("url", "api:partnership-detail", "pk"),
        ("page_url", "public:partnership-detail", "pk"),
    )
    export_name = "partnerships"
    lean_actions = {"list": lean.partnerships}

    def get_queryset(self):
        return _partnerships_for_api().all()

    def fast_queryset(self):
        return _partnership_values().all()

    def fast_records(self, queryset):
        return fast.partnership_records(self.request, queryset)

    def export_response(self):
        if self.requested_format() != "geojson" or self.action != "list":
            return super().export_response()
        links = self.filter_queryset(m.Partnership.objects.all())
        return exports.geojson_lines_response(self.request, links, self.export_name)

    def allowed_query_params(self) -> set[str]:
        allowed = super().allowed_query_params()
        if self.action == "facets":
            # Facets are one answer, not pages: page, page_size and fields are unknown there.
            allowed -= {"page", "page_size", "fields"}
        return allowed

    @extend_schema(
        summary="Counts of the filtered links",
        description="Takes the same filters as the list and counts the matching links by "
        "kind, status, country (either side; a link within one country counts once), "
        "decade of start, unordered country pair, one_sided, start_known and the data "
        "sets that state them. ?format=csv: one row per count (facet, value, label, count).",
        responses={
            200: serializers.PartnershipFacetsSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
        },
        filters=True,
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT, exclude=True),
            OpenApiParameter("page_size", OpenApiTypes.INT, exclude=True),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
        ],
    )
    @action(
        detail=False,
        methods=["get"],
        renderer_classes=[*JSON_ONLY, CSVRenderer],
        pagination_class=None,
    )
    def facets(self, request):
        links = self.filter_queryset(m.Partnership.objects.all())
        counts = partnership_facets(links)
        if self.requested_format() == "csv":
            return csv_text_response(facet_rows(counts), "partnership-facets")
        return Response(counts)


@extend_schema_view(list=extend_schema(parameters=[format_parameter("csv", "ndjson")]))
class LiaisonOfficeViewSet(ApiModelViewSet):
    serializer_class = serializers.LiaisonOfficeSerializer
    filterset_class = filters.LiaisonOfficeFilterSet
    lookup_field = "slug"
    export_name = "liaison-offices"
    csv_columns = columns(
        m.LiaisonOffice,
        ("id", "pk"),
        "slug",
        "name",
        ("organization", "organization__slug"),
        ("home_city", "home_city__slug"),
        ("host_city", "host_city__slug"),
        ("partnership", "partnership_id"),
        "status",
        "announced_on",
        "opened_on",
        "closed_on",
        ManyColumn("focus_areas", m.LiaisonOfficeFocusArea, "liaison_office_id", "area__slug"),
        "network_ordinal",
        "purpose",
        ManyColumn("sources", m.LiaisonOfficeSource, "liaison_office_id", "source_id"),
    )

    def get_queryset(self):
        return querysets.liaison_offices_for_api()


@extend_schema_view(list=extend_schema(parameters=[format_parameter("csv", "ndjson")]))
class OfficialViewSet(ApiModelViewSet):
    serializer_class = serializers.OfficialSerializer
    filterset_class = filters.OfficialFilterSet
    lookup_field = "slug"
    export_name = "officials"
    csv_columns = columns(
        m.Official,
        ("id", "pk"),
        "slug",
        "name",
        "title",
        ("city", "city__slug"),
        ("organization", "organization__slug"),
        "term_start",
        "term_end",
    )

    def get_queryset(self):
        return querysets.officials_for_api()


@extend_schema_view(list=extend_schema(parameters=[format_parameter("csv", "ndjson")]))
class OrganizationViewSet(ApiModelViewSet):
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilterSet
    lookup_field = "slug"
    export_name = "organizations"
    csv_columns = columns(
        m.Organization,
        ("id", "pk"),
        "slug",
        "name",
        "short_name",
        "nickname",
        "kind",
        ("city", "city__slug"),
        "website",
    )

    def get_queryset(self):
        return querysets.organizations_for_api()


@extend_schema_view(list=extend_schema(parameters=[format_parameter("csv", "ndjson")]))
class EventViewSet(ApiModelViewSet):
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilterSet
    export_name = "events"
    csv_columns = columns(
        m.Event,
        ("id", "pk"),
        "date",
        "kind",
        "title",
        ("city", "city__slug"),
        ("partnership", "partnership_id"),
        ("liaison_office", "liaison_office__slug"),
        ManyColumn("participants", m.EventParticipant, "event_id", "official__slug"),
        ManyColumn("sources", m.EventSource, "event_id", "source_id"),
        "summary",
    )

    def get_queryset(self):
        return querysets.events_for_api()


@extend_schema_view(list=extend_schema(parameters=[format_parameter("csv", "ndjson")]))
class SourceViewSet(ApiModelViewSet):
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilterSet
    export_name = "sources"
    csv_columns = columns(
        m.Source,
        ("id", "pk"),
        "publisher",
        "title",
        ("source_url", "url"),
        "published_on",
        "note",
    )

    def get_queryset(self):
        return m.Source.objects.all()


@extend_schema_view(list=extend_schema(parameters=[format_parameter("csv", "ndjson")]))
class AreaViewSet(ApiModelViewSet):
    serializer_class = serializers.AreaSerializer
    filterset_class = filters.AreaFilterSet
    lookup_field = "slug"
    export_name = "areas"
    csv_columns = columns(
        m.CooperationArea,
        ("id", "pk"),
        "slug",
        "name",
        "description",
    )

    def get_queryset(self):
        return m.CooperationArea.objects.all()
