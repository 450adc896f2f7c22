"""?format=csv exports every filtered row (not one page), streamed; ?format=geojson
returns the cities as a GeoJSON FeatureCollection."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.pagination import DEFAULT_PAGE_SIZE
from tests.factories import (
    CityFactory,
    CooperationAreaFactory,
    PartnershipFactory,
    SourceFactory,
)


def body_of(response) -> str:
    assert response.streaming, "exports are streamed"
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body_of(response))))


@pytest.fixture
def many_links(db):
    """More links than one page holds, half of them with Israel on one side."""
    hub = CityFactory(slug="tel-aviv", name="Tel Aviv", country="IL")
    technology = CooperationAreaFactory(slug="technology")
    culture = CooperationAreaFactory(slug="culture")
    source = SourceFactory()
    total = DEFAULT_PAGE_SIZE + 30
    for n in range(total):
        link = PartnershipFactory(
            city_a=hub if n % 2 else CityFactory(country="FR"), city_b=CityFactory(country="FR")
        )
        link.areas.set([technology, culture])
        link.sources.set([source])
    return total


def test_csv_has_every_row_not_one_page(api_client, many_links):
    response = api_client.get("/api/v1/partnerships/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="partnerships.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert len(rows) == many_links > DEFAULT_PAGE_SIZE


def test_csv_columns_are_flat(api_client, many_links):
    [row] = csv_rows(
        api_client.get(
            "/api/v1/partnerships/", {"format": "csv", "page_size": 1, "city": "tel-aviv"}
        )
    )[:1]
    assert row["city_a"] == "tel-aviv" or row["city_b"] == "tel-aviv"
    assert row["kind"] == "twin"
    assert row["start"] == "1998"
    assert row["end"] == ""
    assert row["areas"] == "culture; technology"
    assert row["start_is_approximate"] == "false"


def test_csv_follows_the_filters(api_client, many_links):
    rows = csv_rows(api_client.get("/api/v1/partnerships/", {"format": "csv", "country": "IL"}))
    assert len(rows) == many_links // 2
    assert all("IL" in (row["city_a_country"], row["city_b_country"]) for row in rows)


def test_csv_reads_many_to_many_values_per_chunk_not_per_row(api_client, many_links):
    with CaptureQueriesContext(connection) as queries:
        body_of(api_client.get("/api/v1/partnerships/", {"format": "csv"}))
    # rows, areas of the chunk, sources of the chunk (all rows fit one chunk)
    assert len(queries) == 3


def test_csv_with_a_bad_filter_is_a_json_400(api_client, many_links):
    response = api_client.get("/api/v1/partnerships/", {"format": "csv", "kind": "bogus"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "kind" in response.json()


@pytest.mark.parametrize(
    "resource",
    [
        "cities",
        "partnerships",
        "liaison-offices",
        "officials",
        "organizations",
        "events",
        "sources",
        "areas",
    ],
)
def test_every_list_exports_csv(api_client, seed, resource):
    response = api_client.get(f"/api/v1/{resource}/", {"format": "csv"})
    assert response.status_code == 200
    rows = csv_rows(response)
    assert len(rows) == api_client.get(f"/api/v1/{resource}/").json()["count"]


def test_geojson_feature_collection_of_cities(api_client, seed):
    response = api_client.get("/api/v1/cities/", {"format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(body_of(response))
    assert collection["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in collection["features"]}
    beijing = features["beijing"]
    assert beijing["type"] == "Feature"
    # GeoJSON order is [longitude, latitude].
    assert beijing["geometry"] == {"type": "Point", "coordinates": [116.407526, 39.90403]}
    assert beijing["properties"]["name"] == "Beijing"
    assert beijing["properties"]["native_name"] == "北京"
    assert beijing["properties"]["country"] == "CN"
    assert beijing["properties"]["url"] == "http://testserver/api/v1/cities/beijing/"
    assert beijing["properties"]["page_url"] == "http://testserver/cities/beijing/"


def test_geojson_keeps_cities_without_coordinates_with_a_null_geometry(api_client, db):
    CityFactory(slug="somewhere", latitude=None, longitude=None)
    collection = json.loads(body_of(api_client.get("/api/v1/cities/", {"format": "geojson"})))
    [feature] = collection["features"]
    assert feature["geometry"] is None


def test_geojson_follows_the_filters(api_client, seed):
    response = api_client.get("/api/v1/cities/", {"format": "geojson", "country": "IL"})
    collection = json.loads(body_of(response))
    assert [feature["id"] for feature in collection["features"]] == ["tel-aviv"]


def test_csv_keeps_formula_like_text_as_text_and_numbers_as_numbers(api_client, db):
    CityFactory(slug="evil", name='=HYPERLINK("http://evil.example")', longitude="-33.5")
    CityFactory(slug="plus", name="+cmd|' /C calc'!A0", native_name="@SUM(1+1)")

    rows = {row["slug"]: row for row in csv_rows(api_client.get("/api/v1/cities/?format=csv"))}

    assert rows["evil"]["name"] == """'=HYPERLINK("http://evil.example")"""
    assert rows["plus"]["name"] == "'+cmd|' /C calc'!A0"
    assert rows["plus"]["native_name"] == "'@SUM(1+1)"
    assert rows["evil"]["longitude"] == "-33.500000"
