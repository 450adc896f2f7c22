"""The city resource: a place, its list filters, and its exports (CSV and GeoJSON).

This is the cities-only half. The viewset registered at /api/v1/cities/ is
`partnerships.api.views.CityViewSet`, which extends this one with what needs
knowledge of links (the partnership count, ?min_partners=, /partners/): cities
never imports partnerships.
"""

from __future__ import annotations

from django.http import Http404, HttpResponsePermanentRedirect, StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view

from api.base import ApiModelViewSet, format_parameter
from api.renderers import GeoJSONRenderer, columns, stream_geojson
from cities.models import City, redirect_target

from .filters import CityFilterSet
from .serializers import CitySerializer

CITY_COLUMNS = columns(
    City,
    ("id", "pk"),
    "slug",
    "name",
    "native_name",
    "country",
    "region",
    "population",
    "latitude",
    "longitude",
    "wikidata_id",
    # The rest of what the JSON holds (issue 12: an export holds what the JSON holds).
    "native_name_language",
    "native_name_direction",
    "description",
    "created_at",
    "updated_at",
)


@extend_schema_view(
    list=extend_schema(
        summary="List cities",
        parameters=[format_parameter("csv", "geojson", "ndjson")],
        description="Paginated cities. ?format=geojson returns every matching city as a "
        "GeoJSON FeatureCollection (Point [longitude, latitude]; null geometry when "
        "coordinates are unknown); ?format=csv every matching city as CSV.",
    ),
    retrieve=extend_schema(summary="One city, by slug"),
)
class CityViewSet(ApiModelViewSet):
    serializer_class = CitySerializer
    filterset_class = CityFilterSet
    lookup_field = "slug"
    renderer_classes = [*ApiModelViewSet.renderer_classes, GeoJSONRenderer]
    csv_columns = CITY_COLUMNS
    csv_urls = (("url", "api:city-detail", "slug"), ("page_url", "public:city-detail", "slug"))
    export_name = "cities"
    #: The properties of each GeoJSON feature (besides its URLs and its geometry).
    geojson_properties = ("slug", "name", "native_name", "country")

    def get_queryset(self):
        return City.objects.all()

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            # A slug the city had before a rename or a merge answers 301 to its new address.
            moved = redirect_target(kwargs.get(self.lookup_field, ""))
            if moved is None:
                raise
            target = reverse("api:city-detail", args=[moved.slug])
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)

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
                properties=list(self.geojson_properties),
                url_template=template("api:city-detail"),
                page_url_template=template("public:city-detail"),
            ),
            content_type=GeoJSONRenderer.media_type,
        )
        response["Content-Disposition"] = 'inline; filename="cities.geojson"'
        return response
