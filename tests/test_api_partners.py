"""GET /api/v1/cities/<slug>/partners/: a city's partners, whichever side it was stored on."""

import pytest

from tests.factories import CityFactory, PartnershipFactory


@pytest.fixture
def cities(db):
    # Created in this order so Beijing is side B of one link and side A of another.
    tel_aviv = CityFactory(slug="tel-aviv", name="Tel Aviv", country="IL")
    beijing = CityFactory(slug="beijing", name="Beijing", country="CN")
    paris = CityFactory(slug="paris", name="Paris", country="FR")
    CityFactory(slug="lonely", name="Lonely")
    first = PartnershipFactory(city_a=tel_aviv, city_b=beijing, kind="twin")
    second = PartnershipFactory(city_a=beijing, city_b=paris, kind="cooperation")
    assert (first.city_b, second.city_a) == (beijing, beijing)
    return {"tel_aviv_link": first.pk, "paris_link": second.pk}


def partners(api_client, slug):
    response = api_client.get(f"/api/v1/cities/{slug}/partners/")
    assert response.status_code == 200, response.json()
    return response.json()


def test_partners_of_a_city_stored_on_either_side(api_client, cities):
    body = partners(api_client, "beijing")
    assert body["count"] == 2
    assert [(row["city"]["slug"], row["partnership"]["id"]) for row in body["results"]] == [
        ("paris", cities["paris_link"]),
        ("tel-aviv", cities["tel_aviv_link"]),
    ]


def test_partners_from_the_other_side(api_client, cities):
    body = partners(api_client, "tel-aviv")
    [row] = body["results"]
    assert row["city"]["slug"] == "beijing"
    assert row["city"]["country"] == "CN"
    assert row["partnership"]["kind"] == "twin"
    assert row["partnership"]["start"] == "1998"
    assert row["partnership"]["url"].endswith(f"/api/v1/partnerships/{cities['tel_aviv_link']}/")
    assert row["partnership"]["page_url"].endswith(f"/partnerships/{cities['tel_aviv_link']}/")


def test_a_city_without_partners_has_an_empty_list(api_client, cities):
    assert partners(api_client, "lonely") == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_partners_of_an_unknown_city_is_a_404(api_client, cities):
    assert api_client.get("/api/v1/cities/atlantis/partners/").status_code == 404


def test_partners_are_paginated(api_client, cities):
    body = api_client.get("/api/v1/cities/beijing/partners/", {"page_size": 1}).json()
    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert body["next"].endswith("page=2&page_size=1")
