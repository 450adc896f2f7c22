"""Filters of the smaller lists: organizations (city, kind, search), sources and areas
(search)."""

import pytest

from tests.factories import (
    CityFactory,
    CooperationAreaFactory,
    OrganizationFactory,
    SourceFactory,
)


@pytest.fixture
def records(db):
    beijing = CityFactory(slug="beijing")
    OrganizationFactory(
        slug="z-park", name="Zhongguancun Science Park", short_name="Z-Park", city=beijing
    )
    OrganizationFactory(slug="globes", name="Globes", kind="news_outlet", city=CityFactory())
    SourceFactory(publisher="Globes", title="Beijing Science Park opens Tel Aviv office")
    SourceFactory(publisher="Xinhua", title="Something else")
    CooperationAreaFactory(slug="technology", name="technology")
    CooperationAreaFactory(slug="culture", name="culture")


def get(api_client, url, **params):
    return api_client.get(url, params)


def values(response, key):
    assert response.status_code == 200, response.json()
    return {row[key] for row in response.json()["results"]}


def test_organizations_by_city_kind_and_search(api_client, records):
    url = "/api/v1/organizations/"
    assert values(get(api_client, url, city="beijing"), "slug") == {"z-park"}
    assert values(get(api_client, url, kind="news_outlet"), "slug") == {"globes"}
    assert values(get(api_client, url, search="z-park"), "slug") == {"z-park"}
    assert get(api_client, url, kind="bank").status_code == 400
    assert "city" in get(api_client, url, city="atlantis").json()


def test_sources_by_search(api_client, records):
    response = get(api_client, "/api/v1/sources/", search="globes")
    assert values(response, "publisher") == {"Globes"}


def test_areas_by_search(api_client, records):
    assert values(get(api_client, "/api/v1/areas/", search="tech"), "slug") == {"technology"}


@pytest.mark.parametrize(
    "url", ["/api/v1/organizations/", "/api/v1/sources/", "/api/v1/areas/", "/api/v1/events/"]
)
def test_an_unknown_parameter_is_a_400_on_every_list(api_client, records, url):
    response = get(api_client, url, colour="blue")
    assert response.status_code == 400
    assert "colour" in response.json()
