"""Filters of /api/v1/cities/: country, search, min_partners (and ordering)."""

import pytest

from tests.factories import CityFactory, PartnershipFactory

URL = "/api/v1/cities/"


@pytest.fixture
def cities(db):
    beijing = CityFactory(slug="beijing", name="Beijing", native_name="北京", country="CN")
    tel_aviv = CityFactory(slug="tel-aviv", name="Tel Aviv", country="IL")
    haifa = CityFactory(slug="haifa", name="Haifa", country="IL")
    CityFactory(slug="lyon", name="Lyon", country="FR")
    # Beijing: 2 links (one on each side); Tel Aviv 1; Haifa 1; Lyon none.
    PartnershipFactory(city_a=beijing, city_b=tel_aviv)
    PartnershipFactory(city_a=haifa, city_b=beijing)


def slugs(api_client, **params):
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.json()
    return {row["slug"] for row in response.json()["results"]}


def test_country(api_client, cities):
    assert slugs(api_client, country="IL") == {"tel-aviv", "haifa"}


def test_country_that_is_not_iso_3166_is_a_400(api_client, cities):
    response = api_client.get(URL, {"country": "ZZ"})
    assert response.status_code == 400
    assert "country" in response.json()


def test_search_by_name_or_native_name(api_client, cities):
    assert slugs(api_client, search="aif") == {"haifa"}
    assert slugs(api_client, search="北京") == {"beijing"}


def test_min_partners_counts_links_on_either_side(api_client, cities):
    assert slugs(api_client, min_partners=2) == {"beijing"}
    assert slugs(api_client, min_partners=1) == {"beijing", "tel-aviv", "haifa"}
    assert slugs(api_client, min_partners=0) == {"beijing", "tel-aviv", "haifa", "lyon"}


@pytest.mark.parametrize("bad", ["-1", "two", "1.5"])
def test_min_partners_that_is_not_a_whole_number_is_a_400(api_client, cities, bad):
    response = api_client.get(URL, {"min_partners": bad})
    assert response.status_code == 400
    assert "min_partners" in response.json()


def test_each_city_shows_its_partnership_count(api_client, cities):
    rows = api_client.get(URL).json()["results"]
    assert {row["slug"]: row["partnership_count"] for row in rows} == {
        "beijing": 2,
        "haifa": 1,
        "lyon": 0,
        "tel-aviv": 1,
    }


def test_ordering_by_partnership_count(api_client, cities):
    rows = api_client.get(URL, {"ordering": "-partnership_count,name"}).json()["results"]
    assert [row["slug"] for row in rows] == ["beijing", "haifa", "tel-aviv", "lyon"]


def test_unknown_parameter_is_a_400(api_client, cities):
    response = api_client.get(URL, {"min_partner": 1})
    assert response.status_code == 400
    assert "min_partner" in response.json()
