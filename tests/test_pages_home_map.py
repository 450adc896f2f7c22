"""The home page's world map: which cities it draws, its cap, and its cache."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from public import maps
from tests.factories import CityFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def world_map_of(client) -> dict:
    html = client.get(reverse("public:home")).content.decode()
    match = re.search(r'<script id="world-map" type="application/json">(.*?)</script>', html)
    return json.loads(match.group(1)) if match else {}


def test_it_draws_linked_cities_with_coordinates_only(client):
    paris, rome = CityFactory(name="Paris"), CityFactory(name="Rome")
    PartnershipFactory(city_a=paris, city_b=rome)
    CityFactory(name="Lonely")  # no link
    nowhere = CityFactory(name="Nowhere", latitude=None, longitude=None)
    PartnershipFactory(city_a=paris, city_b=nowhere)
    data = world_map_of(client)
    assert sorted(city[2] for city in data["cities"]) == ["Paris", "Rome"]
    assert len(data["links"]) == 1  # the link to a city with no coordinates has no line


def test_past_the_cap_it_keeps_the_most_connected_and_says_so(client, monkeypatch):
    monkeypatch.setattr(maps, "HOME_MAP_MAX_CITIES", 2)
    hub, second = CityFactory(name="Hub"), CityFactory(name="Second")
    for _ in range(3):
        PartnershipFactory(city_a=hub, city_b=CityFactory())
    PartnershipFactory(city_a=second, city_b=CityFactory())
    PartnershipFactory(city_a=second, city_b=hub)
    data = world_map_of(client)
    assert [city[2] for city in data["cities"]] == ["Hub", "Second"]
    assert data["total_cities"] == 6
    html = client.get(reverse("public:home")).content.decode()
    assert "The 2 most connected of 6 linked cities" in html


def test_the_cached_map_follows_new_links(client, django_assert_max_num_queries):
    paris, rome = CityFactory(name="Paris"), CityFactory(name="Rome")
    PartnershipFactory(city_a=paris, city_b=rome)
    assert len(world_map_of(client)["cities"]) == 2
    # Served from the cache: the figures (3), the latest events (1), nothing for the map.
    with django_assert_max_num_queries(4):
        client.get(reverse("public:home"))
    PartnershipFactory(city_a=rome, city_b=CityFactory(name="Oslo"))
    assert sorted(city[2] for city in world_map_of(client)["cities"]) == ["Oslo", "Paris", "Rome"]


def test_the_cached_map_follows_moved_cities(client):
    paris, rome = CityFactory(name="Paris"), CityFactory(name="Rome")
    PartnershipFactory(city_a=paris, city_b=rome)
    world_map_of(client)
    paris.latitude, paris.longitude = 48.8566, 2.3522
    paris.save()
    cities = {city[2]: city for city in world_map_of(client)["cities"]}
    assert cities["Paris"][:2] == [48.8566, 2.3522]
