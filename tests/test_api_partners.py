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


def test_the_partner_order_is_the_same_read_from_the_joined_cities(db):
    """selectors.partners_of(joined_names=True) (the lean reads') orders the partners
    as the default does: by name in any case, then kind, then id."""
    from partnerships import selectors
    from partnerships.models import Partnership

    hub = CityFactory(name="Hub")
    names = ["beta", "Alpha", "alpha", "Ärzte", "zeta", "Zeta", "alpha", "Émile", "Beta"]
    for position, name in enumerate(names):
        other = CityFactory(name=name)
        kind = Partnership.Kind.FRIENDSHIP if position % 2 else Partnership.Kind.TWIN
        if position % 3:
            PartnershipFactory(city_a=hub, city_b=other, kind=kind)
        else:
            PartnershipFactory(city_a=other, city_b=hub, kind=kind)

    default = list(selectors.partners_of(hub).values_list("pk", flat=True))
    joined = list(selectors.partners_of(hub, joined_names=True).values_list("pk", flat=True))

    assert joined == default
    assert len(default) == len(names)
