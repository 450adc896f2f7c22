"""Filters of /api/v1/officials/: city and search."""

import pytest

from tests.factories import CityFactory, OfficialFactory

URL = "/api/v1/officials/"


@pytest.fixture
def officials(db):
    beijing = CityFactory(slug="beijing")
    tel_aviv = CityFactory(slug="tel-aviv")
    OfficialFactory(slug="yin-hejun", name="Yin Hejun", title="Vice Mayor", city=beijing)
    OfficialFactory(slug="doron-sapir", name="Doron Sapir", title="Deputy Mayor", city=tel_aviv)
    OfficialFactory(slug="ron-huldai", name="Ron Huldai", title="Mayor", city=tel_aviv)


def slugs(api_client, **params):
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.json()
    return {row["slug"] for row in response.json()["results"]}


def test_city(api_client, officials):
    assert slugs(api_client, city="tel-aviv") == {"doron-sapir", "ron-huldai"}


def test_unknown_city_is_a_400(api_client, officials):
    response = api_client.get(URL, {"city": "atlantis"})
    assert response.status_code == 400
    assert "city" in response.json()


def test_search_by_name_or_title(api_client, officials):
    assert slugs(api_client, search="huldai") == {"ron-huldai"}
    assert slugs(api_client, search="deputy") == {"doron-sapir"}
