"""?fields= (sparse fieldsets): lean rows for analysts, on lists, details, partners and
exports, through the fast read path and the serializers alike; a bad name is a 400.
Also: a detail's queries and its one queryset (issue 10)."""

import csv
import io
import json

import pytest

from tests.factories import CityFactory, CooperationAreaFactory, PartnershipFactory, SourceFactory
from tests.test_api_query_counts import SIZES, get_page, links


@pytest.fixture(params=[True, False], ids=["fast", "serializers"])
def both_paths(request, monkeypatch):
    from api import base

    monkeypatch.setattr(base.ApiViewSetMixin, "fast_reads", request.param)
    return request.param


def test_a_lean_page_of_links(api_client, seed, both_paths):
    full = api_client.get("/api/v1/partnerships/").json()["results"]
    lean = api_client.get(
        "/api/v1/partnerships/", {"fields": "id,city_a.slug,city_b.slug,start"}
    ).json()
    assert lean["count"] == len(full) and lean["next"] is None
    assert lean["results"] == [
        {
            "id": link["id"],
            "city_a": {"slug": link["city_a"]["slug"]},
            "city_b": {"slug": link["city_b"]["slug"]},
            "start": link["start"],
        }
        for link in full
    ]
    # Fields keep the record's order, whatever order they were asked in.
    again = api_client.get("/api/v1/partnerships/", {"fields": "start,city_b.slug,id"}).json()
    assert list(again["results"][0]) == ["id", "city_b", "start"]


def test_a_whole_nested_object_and_a_list_of_objects(api_client, seed, both_paths):
    link = api_client.get("/api/v1/partnerships/1/").json()
    lean = api_client.get(
        "/api/v1/partnerships/1/", {"fields": "city_a,sources.publisher,areas"}
    ).json()
    assert lean == {
        "city_a": link["city_a"],
        "areas": link["areas"],
        "sources": [{"publisher": s["publisher"]} for s in link["sources"]],
    }


def test_details_and_partners(api_client, seed, both_paths):
    city = api_client.get("/api/v1/cities/beijing/", {"fields": "slug,partnership_count"})
    assert city.json() == {"slug": "beijing", "partnership_count": 1}
    partners = api_client.get(
        "/api/v1/cities/beijing/partners/", {"fields": "city.slug,partnership.start"}
    ).json()
    assert partners["results"] == [{"city": {"slug": "tel-aviv"}, "partnership": {"start": "1998"}}]


def test_display_names_can_be_asked_for_with_lang(api_client, seed, both_paths):
    lean = api_client.get(
        "/api/v1/partnerships/", {"lang": "zh-hans", "fields": "city_a.display_name"}
    ).json()
    assert lean["results"] == [{"city_a": {"display_name": "北京"}}]
    partners = api_client.get(
        "/api/v1/cities/tel-aviv/partners/",
        {"lang": "he", "fields": "city.display_name,city.country_name"},
    ).json()
    assert partners["results"][0]["city"] == {"country_name": "סין", "display_name": "Beijing"}
    # Without ?lang= a record has no display name.
    response = api_client.get("/api/v1/partnerships/", {"fields": "city_a.display_name"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("url", "fields", "named"),
    [
        ("/api/v1/partnerships/", "id,nope", "'nope'"),
        ("/api/v1/partnerships/", "city_a.nope", "'city_a.nope'"),
        ("/api/v1/partnerships/", "id.x", "'id.x'"),
        ("/api/v1/partnerships/", ",", "at least one"),
        ("/api/v1/partnerships/1/", "slug", "'slug'"),
        ("/api/v1/cities/", "partnerships", "'partnerships'"),
        ("/api/v1/cities/beijing/", "city.slug", "'city.slug'"),
        ("/api/v1/cities/beijing/partners/", "slug", "'slug'"),
        ("/api/v1/events/", "participants.nope", "'participants.nope'"),
        ("/api/v1/partnerships/?format=csv", "city_a.slug", "'city_a.slug'"),
    ],
)
def test_a_bad_field_name_is_a_400_naming_it(api_client, seed, both_paths, url, fields, named):
    path, _, query = url.partition("?")
    params = dict(part.split("=") for part in query.split("&") if part)
    response = api_client.get(path, {**params, "fields": fields})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    [message] = response.json()["fields"]
    assert named in message


def test_an_empty_fields_is_the_parameter_not_given(api_client, seed):
    full = api_client.get("/api/v1/partnerships/").json()
    assert api_client.get("/api/v1/partnerships/", {"fields": ""}).json() == full


def test_fields_on_exports(api_client, seed, both_paths):
    response = api_client.get(
        "/api/v1/partnerships/", {"format": "csv", "fields": "id,city_a,start,url"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        ["url", "id", "city_a", "start"],
        ["http://testserver/api/v1/partnerships/1/", "1", "beijing", "1998"],
    ]
    response = api_client.get("/api/v1/cities/", {"format": "ndjson", "fields": "slug,country"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert sorted((json.loads(line) for line in lines), key=lambda r: r["slug"]) == [
        {"slug": "beijing", "country": "CN"},
        {"slug": "tel-aviv", "country": "IL"},
    ]
    for url in ("/api/v1/cities/", "/api/v1/cities/beijing/partners/"):
        refused = api_client.get(url, {"format": "geojson", "fields": "slug"})
        assert refused.status_code == 400
        assert "format=geojson" in refused.json()["fields"][0]
    # Facets are counts, not records.
    assert api_client.get("/api/v1/partnerships/facets/", {"fields": "id"}).status_code == 400


def test_a_lean_detail_has_its_own_etag(api_client, seed):
    full = api_client.get("/api/v1/cities/beijing/")
    lean = api_client.get("/api/v1/cities/beijing/", {"fields": "slug"})
    assert lean["ETag"] and lean["ETag"] != full["ETag"]
    again = api_client.get(
        "/api/v1/cities/beijing/", {"fields": "slug"}, HTTP_IF_NONE_MATCH=lean["ETag"]
    )
    assert again.status_code == 304


def test_fields_is_documented_on_reads(api_client, db):
    schema = api_client.get("/api/v1/schema/?format=json").json()
    for path in (
        "/api/v1/partnerships/",
        "/api/v1/partnerships/{id}/",
        "/api/v1/cities/{slug}/",
        "/api/v1/cities/{slug}/partners/",
        "/api/v1/events/",
    ):
        names = [p["name"] for p in schema["paths"][path]["get"]["parameters"]]
        assert "fields" in names, path
    facets = schema["paths"]["/api/v1/partnerships/facets/"]["get"]["parameters"]
    assert "fields" not in [p["name"] for p in facets]


@pytest.mark.parametrize("n", SIZES)
def test_lean_pages_run_the_same_queries(api_client, django_assert_num_queries, db, n):
    area, source = CooperationAreaFactory(slug="technology"), SourceFactory()
    links(n, area, source)
    # count, ids of the page, the links with both cities, their sources and areas
    with django_assert_num_queries(4):
        get_page(api_client, "/api/v1/partnerships/", n, fields="id,city_a.slug,start")
    hub = CityFactory()
    for _ in range(3):
        PartnershipFactory(city_a=hub)
    # the city, count, ids of the page, the page with both cities
    with django_assert_num_queries(4):
        get_page(api_client, f"/api/v1/cities/{hub.slug}/partners/", 3, fields="city.slug")


@pytest.mark.parametrize("n", SIZES)
def test_details_run_one_queryset(api_client, django_assert_num_queries, db, n, both_paths):
    """A detail is read with one queryset (no second one for the permission check):
    a city is one query with its link count; a link one with both cities, then its
    areas and its sources (one statement on the fast path, two through the
    serializers); the same however many links and sources there are."""
    area, source = CooperationAreaFactory(slug="technology"), SourceFactory()
    hub = CityFactory()
    made = links(n, area, source, hub=hub)
    with django_assert_num_queries(1):
        assert api_client.get(f"/api/v1/cities/{hub.slug}/").json()["partnership_count"] == n
    with django_assert_num_queries(2 if both_paths else 3):
        assert api_client.get(f"/api/v1/partnerships/{made[-1].pk}/").json()["areas"] == [
            "technology"
        ]
    # A slug that names no city: the lookup, then the old slugs (a 301 if one matches).
    with django_assert_num_queries(2):
        assert api_client.get("/api/v1/cities/no-such-city/").status_code == 404


def test_a_detail_builds_its_queryset_once(api_client, seed, monkeypatch, both_paths):
    from partnerships.api import views

    built = []
    for name in ("get_queryset", "fast_queryset"):
        original = getattr(views.CityViewSet, name)

        def counting(self, _original=original, _name=name):
            built.append(_name)
            return _original(self)

        monkeypatch.setattr(views.CityViewSet, name, counting)
    assert api_client.get("/api/v1/cities/beijing/").status_code == 200
    # The fast path's values() queryset, or the serializer path's get_object().
    assert built in (["fast_queryset"], ["get_queryset"])
