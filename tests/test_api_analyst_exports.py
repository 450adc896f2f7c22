"""What an analyst reads in one request (issue 12): a city's partners filtered and as
CSV or GeoJSON, facets by country pair and as CSV, links as GeoJSON LineStrings and
NDJSON, the network's top lists at any length, a chain of at most N links, and an
unknown format named as such."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships import models as m
from partnerships import network
from tests.factories import CityFactory, PartnershipFactory, SourceFactory


@pytest.fixture
def tel_aviv_links(db):
    network.forget()
    tel_aviv = CityFactory(slug="tel-aviv", name="Tel Aviv", country="IL")
    berlin = CityFactory(slug="berlin", name="Berlin", country="DE")
    paris = CityFactory(slug="paris", name="Paris", country="FR", latitude=None, longitude=None)
    haifa = CityFactory(slug="haifa", name="Haifa", country="IL")
    lyon = CityFactory(slug="lyon", name="Lyon", country="FR")
    wikidata = SourceFactory(dataset_key="wikidata", title="Wikidata")
    made = {
        "berlin": PartnershipFactory(city_a=tel_aviv, city_b=berlin, one_sided=True),
        "paris": PartnershipFactory(city_a=paris, city_b=tel_aviv, kind="sister", start_date=None),
        "haifa": PartnershipFactory(city_a=haifa, city_b=tel_aviv),
        "lyon-berlin": PartnershipFactory(city_a=lyon, city_b=berlin),
    }
    m.PartnershipSource.objects.create(partnership=made["berlin"], source=wikidata)
    return made


PARTNERS = "/api/v1/cities/tel-aviv/partners/"


def streamed(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def test_partners_take_filters_and_carry_one_sided_and_country_name(api_client, tel_aviv_links):
    rows = api_client.get(PARTNERS).json()["results"]
    by_slug = {row["city"]["slug"]: row for row in rows}
    assert by_slug["berlin"]["partnership"]["one_sided"] is True
    assert by_slug["berlin"]["city"]["country_name"] == "Germany"
    assert by_slug["paris"]["partnership"]["start"] is None

    def slugs(**params):
        response = api_client.get(PARTNERS, params)
        assert response.status_code == 200, response.json()
        return [row["city"]["slug"] for row in response.json()["results"]]

    assert slugs(kind="sister") == ["paris"]
    assert slugs(country="DE,FR") == ["berlin", "paris"]
    assert slugs(country="IL") == ["haifa"]
    assert slugs(one_sided="true") == ["berlin"]
    assert slugs(started_before="2000") == ["berlin", "haifa"]
    assert slugs(start_known="false") == ["paris"]
    assert api_client.get(PARTNERS, {"kind": "bogus"}).status_code == 400
    assert api_client.get(PARTNERS, {"min_partners": "1"}).status_code == 400


def test_partners_as_csv_with_dotted_columns(api_client, tel_aviv_links):
    text = streamed(api_client.get(PARTNERS, {"format": "csv", "country": "DE,FR"}))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["city.slug"] for row in rows] == ["berlin", "paris"]
    assert rows[0]["city.country_name"] == "Germany"
    assert rows[0]["partnership.one_sided"] == "true"
    assert rows[1]["partnership.start"] == ""
    assert rows[0]["partnership.start"] == "1998"


def test_partners_and_partnerships_as_geojson_lines(api_client, tel_aviv_links):
    body = json.loads(streamed(api_client.get(PARTNERS, {"format": "geojson"})))
    features = {f["properties"]["to.slug"]: f for f in body["features"]}
    assert set(features) == {"berlin", "paris", "haifa"}
    assert all(f["properties"]["from.slug"] == "tel-aviv" for f in body["features"])
    line = features["berlin"]["geometry"]
    assert line["type"] == "LineString" and len(line["coordinates"]) == 2
    assert features["paris"]["geometry"] is None  # Paris has no coordinates here

    body = json.loads(
        streamed(api_client.get("/api/v1/partnerships/", {"format": "geojson", "country": "FR"}))
    )
    assert len(body["features"]) == 2
    assert {f["geometry"]["type"] for f in body["features"] if f["geometry"]} == {"LineString"}


def test_lists_as_ndjson_hold_what_the_json_holds(api_client, tel_aviv_links):
    text = streamed(api_client.get("/api/v1/partnerships/", {"format": "ndjson", "country": "IL"}))
    lines = [json.loads(line) for line in text.splitlines()]
    page = api_client.get("/api/v1/partnerships/", {"country": "IL"}).json()["results"]
    assert lines == page


def test_an_unknown_format_is_a_400_listing_the_formats(api_client, tel_aviv_links):
    response = api_client.get("/api/v1/cities/", {"format": "xlsx"})
    assert response.status_code == 400
    message = response.json()["format"][0]
    assert "xlsx" in message and "csv" in message and "geojson" in message and "ndjson" in message


def test_facets_by_country_pair_one_sided_start_known_source(api_client, tel_aviv_links):
    body = api_client.get("/api/v1/partnerships/facets/").json()
    pairs = {row["value"]: row["count"] for row in body["country_pair"]}
    assert pairs == {"DE-IL": 1, "FR-IL": 1, "IL-IL": 1, "DE-FR": 1}
    assert {r["value"]: r["count"] for r in body["one_sided"]} == {"true": 1, "false": 3}
    assert {r["value"]: r["count"] for r in body["start_known"]} == {"true": 3, "false": 1}
    assert body["source"] == [{"value": "wikidata", "label": "Wikidata", "count": 1}]
    # The country facet, now folded from the pairs, is as before: once per link.
    assert {r["value"]: r["count"] for r in body["country"]} == {"IL": 3, "DE": 2, "FR": 2}


def test_facets_as_csv_and_strict_about_pages(api_client, tel_aviv_links):
    response = api_client.get("/api/v1/partnerships/facets/", {"format": "csv", "country": "IL"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["facet", "value", "label", "count"]
    assert ["count", "", "links matching", "3"] in rows
    assert ["country_pair", "IL-IL", "Israel – Israel", "1"] in rows
    assert api_client.get("/api/v1/partnerships/facets/", {"page_size": "5"}).status_code == 400


def test_stats_limit_ties_and_every_group(api_client, tel_aviv_links):
    url = reverse("api:network-stats")
    assert len(api_client.get(url, {"limit": "1"}).json()["most_connected"]) == 1
    # Tel Aviv has 3 links, Berlin 2, the rest 1: limit=2 with ties keeps Berlin only;
    # limit=3 with ties keeps all three cities with one link.
    tied = api_client.get(url, {"limit": "3", "ties": "true"}).json()["most_connected"]
    assert [c["links"] for c in tied] == [3, 2, 1, 1, 1]
    assert api_client.get(url, {"all_groups": "true"}).json()["groups"]["sizes"] == [5]
    assert api_client.get(url, {"limit": "501"}).status_code == 400
    assert api_client.get(url, {"limit": "0"}).status_code == 400


def test_path_max_hops(api_client, tel_aviv_links):
    url = reverse("api:network-path")
    body = api_client.get(url, {"from": "haifa", "to": "lyon"}).json()
    assert body["hops"] == 3
    short = api_client.get(url, {"from": "haifa", "to": "lyon", "max_hops": "2"}).json()
    assert short["found"] is False and "at most 2 links" in short["message"]
    assert api_client.get(url, {"from": "haifa", "to": "lyon", "max_hops": "3"}).json()["hops"] == 3
    assert api_client.get(url, {"from": "haifa", "to": "lyon", "max_hops": "x"}).status_code == 400


def test_decimal_coordinates_survive_geojson(api_client, db):
    a = CityFactory(latitude=Decimal("1.5"), longitude=Decimal("2.5"))
    b = CityFactory(latitude=Decimal("-3.25"), longitude=Decimal("4"))
    PartnershipFactory(city_a=a, city_b=b)
    body = json.loads(streamed(api_client.get("/api/v1/partnerships/", {"format": "geojson"})))
    assert body["features"][0]["geometry"]["coordinates"] == [[2.5, 1.5], [4.0, -3.25]]


def test_the_cities_csv_holds_what_the_json_holds(api_client, tel_aviv_links):
    rows = list(csv.DictReader(io.StringIO(streamed(api_client.get("/api/v1/cities/?format=csv")))))
    json_row = api_client.get("/api/v1/cities/tel-aviv/").json()
    csv_row = next(row for row in rows if row["slug"] == "tel-aviv")
    assert set(json_row) - {"partnership_count"} <= set(csv_row) | {"id"}
    assert csv_row["url"] == json_row["url"]
    assert csv_row["page_url"] == json_row["page_url"]


def test_the_links_csv_holds_the_json_fields_flattened(api_client, tel_aviv_links):
    text = streamed(api_client.get("/api/v1/partnerships/?format=csv&country=FR"))
    rows = list(csv.DictReader(io.StringIO(text)))
    link = tel_aviv_links["lyon-berlin"]
    row = next(r for r in rows if r["id"] == str(link.pk))
    assert row["url"] == f"http://testserver/api/v1/partnerships/{link.pk}/"
    assert {"city_a.latitude", "city_b.native_name", "description", "updated_at"} <= set(row)


def test_stats_as_csv(api_client, tel_aviv_links):
    response = api_client.get(reverse("api:network-stats"), {"format": "csv", "limit": "2"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "rank", "code", "name", "value"]
    assert ["most_connected", "1", "tel-aviv", "Tel Aviv", "3"] in rows
