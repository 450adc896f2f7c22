"""GET /api/v1/network/path/ and /api/v1/network/stats/: questions about the whole network.

The answers come from partnerships.network, which keeps the graph fresh after
every edit (see there). Both endpoints are read-only and open to anyone.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import ErrorsInJSONMixin, reject_unknown_query_params
from api.etags import DataVersionETagMixin
from api.renderers import CSVRenderer, csv_text_response
from cities.models import City
from partnerships import network

COMMON_PARAMS = {"format"}


def _reject_unknown(request, accepted: set[str]) -> None:
    reject_unknown_query_params(request, accepted | COMMON_PARAMS, listed=accepted)


# ---------------------------------------------------------------- serializers


class NetworkCitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 (XK for Kosovo).")
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    def _absolute(self, name: str, slug: str) -> str:
        path = reverse(name, kwargs={"slug": slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, city) -> str:
        return self._absolute("api:city-detail", city["slug"])

    def get_page_url(self, city) -> str:
        return self._absolute("public:city-detail", city["slug"])


class NetworkLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The partnership's id.")
    url = serializers.SerializerMethodField()
    to = serializers.CharField(help_text="Slug of the city this hop arrives at.")
    one_sided = serializers.BooleanField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.CharField(help_text="Slug of the city this hop leaves.")
        return fields

    def get_url(self, link) -> str:
        path = reverse("api:partnership-detail", kwargs={"pk": link["id"]})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class NetworkPathSerializer(serializers.Serializer):
    to = NetworkCitySerializer()
    found = serializers.BooleanField(help_text="False when no chain of links joins the two.")
    hops = serializers.IntegerField(
        allow_null=True, help_text="Links in the shortest chain; null when there is none."
    )
    message = serializers.CharField()
    cities = NetworkCitySerializer(many=True, help_text="From the start to the end, in order.")
    links = NetworkLinkSerializer(many=True, help_text="One per hop, in order.")

    def get_fields(self):
        # "from" is a Python keyword, so it cannot be a class attribute.
        fields = {"from": NetworkCitySerializer()}
        fields.update(super().get_fields())
        return fields


SLUG_SCHEMA = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 220}


class NetworkPathQuerySerializer(serializers.Serializer):
    def get_fields(self):
        return {
            "from": serializers.SlugField(max_length=220),
            "to": serializers.SlugField(max_length=220),
            "max_hops": serializers.IntegerField(min_value=1, max_value=100, required=False),
        }


def _strict_boolean(**kwargs):
    return serializers.ChoiceField(choices=["true", "false"], required=False, **kwargs)


class NetworkStatsQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=500, required=False)
    ties = _strict_boolean()
    all_groups = _strict_boolean()


class CountryRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ConnectedCitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField()
    links = serializers.IntegerField(help_text="Active links of this city.")


class CountryPairSerializer(serializers.Serializer):
    countries = CountryRefSerializer(many=True)
    links = serializers.IntegerField()


class GroupsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Connected groups of linked cities.")
    largest_size = serializers.IntegerField(help_text="Cities in the largest group.")
    largest_countries = serializers.IntegerField(help_text="Countries in the largest group.")
    sizes = serializers.ListField(child=serializers.IntegerField(), help_text="Largest first.")
    unlinked_cities = serializers.IntegerField(help_text="Cities with no active link.")


class CountryReachSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    reachable_countries = serializers.IntegerField(
        help_text="Other countries with a city that a chain of links reaches from one of "
        "this country's cities."
    )


class CountriesSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Countries with at least one linked city.")
    reachable_pairs = serializers.IntegerField(
        help_text="Pairs of countries joined by some chain of links."
    )
    possible_pairs = serializers.IntegerField()
    reachability = CountryReachSerializer(many=True)


class NetworkStatsSerializer(serializers.Serializer):
    cities = serializers.IntegerField()
    linked_cities = serializers.IntegerField()
    links = serializers.IntegerField(help_text="Active links (edges of the network).")
    domestic_links = serializers.IntegerField(help_text="Links within one country.")
    most_connected = ConnectedCitySerializer(many=True)
    country_pairs = CountryPairSerializer(
        many=True, help_text="Pairs of different countries with the most links between them."
    )
    groups = GroupsSerializer()
    countries = CountriesSerializer()


# ---------------------------------------------------------------- views


class NetworkView(DataVersionETagMixin, APIView):  # ETag, 304: api/etags.py
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]


class NetworkStatsRenderers(ErrorsInJSONMixin):
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]


def _example_city(pk: int, slug: str, name: str, country: str) -> dict:
    return {
        "id": pk,
        "slug": slug,
        "name": name,
        "country": country,
        "url": f"https://example.org/api/v1/cities/{slug}/",
        "page_url": f"https://example.org/cities/{slug}/",
    }


def _example_link(pk: int, a: str, b: str) -> dict:
    return {
        "id": pk,
        "url": f"https://example.org/api/v1/partnerships/{pk}/",
        "from": a,
        "to": b,
        "one_sided": False,
    }


_BEIJING = _example_city(1, "beijing", "Beijing", "CN")
_TEL_AVIV = _example_city(2, "tel-aviv", "Tel Aviv", "IL")
_LIMASSOL = _example_city(7, "limassol", "Limassol", "CY")
PATH_EXAMPLE = OpenApiExample(
    "Two links apart",
    response_only=True,
    value={
        "from": _BEIJING,
        "to": _LIMASSOL,
        "found": True,
        "hops": 2,
        "message": "Beijing reaches Limassol in 2 links.",
        "cities": [_BEIJING, _TEL_AVIV, _LIMASSOL],
        "links": [
            _example_link(1, "beijing", "tel-aviv"),
            _example_link(9, "tel-aviv", "limassol"),
        ],
    },
)
NO_PATH_EXAMPLE = OpenApiExample(
    "No chain",
    response_only=True,
    value={
        "from": _BEIJING,
        "to": _example_city(40, "hargeisa", "Hargeisa", "SO"),
        "found": False,
        "hops": None,
        "message": "No chain of links connects Beijing and Hargeisa: they are in different groups.",
        "cities": [],
        "links": [],
    },
)


class NetworkPathView(NetworkView):
    @extend_schema(
        summary="Shortest chain of links between two cities",
        description="Breadth-first search over active links. No chain is a 200 with "
        "found=false, hops=null and a message; a missing or unknown slug is a 400 naming "
        "the parameter.",
        parameters=[
            OpenApiParameter(
                "from",
                SLUG_SCHEMA,
                required=True,
                description="Slug of the city to start from.",
            ),
            OpenApiParameter(
                "to", SLUG_SCHEMA, required=True, description="Slug of the city to reach."
            ),
            OpenApiParameter(
                "max_hops",
                {"type": "integer", "minimum": 1, "maximum": 100},
                description="At most this many links (1-100); a longer chain is found=false.",
            ),
        ],
        responses={
            200: NetworkPathSerializer,
            400: OpenApiResponse(description="Missing or unknown slug, or unknown parameter."),
        },
        examples=[PATH_EXAMPLE, NO_PATH_EXAMPLE],
    )
    def get(self, request):
        _reject_unknown(request, {"from", "to", "max_hops"})
        query = NetworkPathQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slugs = {"from": query.validated_data["from"], "to": query.validated_data["to"]}
        found = {city.slug: city for city in City.objects.filter(slug__in=slugs.values())}
        missing = {
            name: [f"No city has the slug {slug!r}."]
            for name, slug in slugs.items()
            if slug not in found
        }
        if missing:
            raise serializers.ValidationError(missing)
        answer = network.find_path(
            source=found[slugs["from"]],
            target=found[slugs["to"]],
            max_hops=query.validated_data.get("max_hops"),
        )
        data = NetworkPathSerializer(answer.as_dict(), context={"request": request}).data
        return Response(data)


class NetworkStatsView(NetworkStatsRenderers, NetworkView):
    @extend_schema(
        summary="The shape of the network",
        description="Most connected cities, the pairs of countries with most links, the "
        "connected groups and their sizes, and which countries reach which through "
        "chains of active links. Always computed from the current data.",
        responses={200: NetworkStatsSerializer, (200, "text/csv"): OpenApiTypes.STR},
        parameters=[
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": 500},
                description="Rows in most_connected, country_pairs and groups.sizes, 1-500 "
                f"(default {network.TOP}).",
            ),
            OpenApiParameter(
                "ties",
                OpenApiTypes.BOOL,
                description="true: also the rows tied with the last one kept (top 20 with ties).",
            ),
            OpenApiParameter(
                "all_groups",
                OpenApiTypes.BOOL,
                description="true: groups.sizes lists every connected group, largest first.",
            ),
        ],
    )
    def get(self, request):
        _reject_unknown(request, {"limit", "ties", "all_groups"})
        query = NetworkStatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        options = query.validated_data
        stats = network.network_stats(
            top=options.get("limit", network.TOP),
            ties=options.get("ties") == "true",
            all_groups=options.get("all_groups") == "true",
        )
        data = NetworkStatsSerializer(stats).data
        if getattr(request.accepted_renderer, "format", None) == "csv":
            return csv_text_response(stats_rows(data), "network-stats")
        return Response(data)


def stats_rows(stats: dict) -> list[list]:
    """The stats as one table: section, rank, code (slug or country codes), name, value."""
    rows = [["section", "rank", "code", "name", "value"]]
    for key in ("cities", "linked_cities", "links", "domestic_links"):
        rows.append([key, "", "", "", stats[key]])
    for rank, city in enumerate(stats["most_connected"], 1):
        rows.append(["most_connected", rank, city["slug"], city["name"], city["links"]])
    for rank, pair in enumerate(stats["country_pairs"], 1):
        codes = "-".join(c["code"] for c in pair["countries"])
        names = " – ".join(c["name"] for c in pair["countries"])
        rows.append(["country_pairs", rank, codes, names, pair["links"]])
    for rank, size in enumerate(stats["groups"]["sizes"], 1):
        rows.append(["group_sizes", rank, "", "", size])
    for rank, country in enumerate(stats["countries"]["reachability"], 1):
        rows.append(
            [
                "reachable_countries",
                rank,
                country["code"],
                country["name"],
                country["reachable_countries"],
            ]
        )
    return rows
