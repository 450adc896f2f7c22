"""The home page's world map: the page names a data URL; what it serves, how it is
cached, and that it follows edits."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import CityFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def home_source(client) -> str:
    html = client.get(reverse("public:home")).content.decode()
    match = re.search(r'<script id="world-map" type="application/json">(.*?)</script>', html)
    return json.loads(match.group(1))["source"] if match else ""


def world_map_of(client) -> dict:
    return client.get(home_source(client)).json()


def test_the_page_carries_no_coordinates_only_the_data_url(client):
    paris, rome = CityFactory(name="Paris"), CityFactory(name="Rome")
    PartnershipFactory(city_a=paris, city_b=rome)
    html = client.get(reverse("public:home")).content.decode()
    data = json.loads(re.search(r'id="world-map" type="application/json">(.*?)<', html)[1])
    assert data["cities"] == [] and data["links"] == []
    assert re.fullmatch(r"/map/world-[0-9a-f]{16}\.json", data["source"])
    assert "leaflet.markercluster.js" in html
    assert 'aria-describedby="world-map-caption"' in html and 'id="world-map-caption"' in html


def test_no_link_no_map(client):
    CityFactory(name="Lonely")
    html = client.get(reverse("public:home")).content.decode()
    assert 'id="world-map"' not in html
    assert "No linked city has coordinates yet." in html


def test_it_serves_every_linked_city_with_coordinates_and_every_link_between_them(client):
    paris, rome = CityFactory(name="Paris"), CityFactory(name="Rome")
    PartnershipFactory(city_a=paris, city_b=rome)
    CityFactory(name="Lonely")  # no link
    nowhere = CityFactory(name="Nowhere", latitude=None, longitude=None)
    PartnershipFactory(city_a=paris, city_b=nowhere)
    hub = CityFactory(name="Hub")
    partners = [CityFactory() for _ in range(30)]
    for partner in partners:
        PartnershipFactory(city_a=hub, city_b=partner)
    data = world_map_of(client)
    names = [city[2] for city in data["cities"]]
    assert names[0] == "Hub"  # most connected first
    assert sorted(names) == sorted(["Paris", "Rome", "Hub"] + [p.name for p in partners])
    # the link to a city with no coordinates has no line; there is no cap
    assert len(data["links"]) == 31
    hub_index = names.index("Hub")
    assert sum(hub_index in pair for pair in data["links"]) == 30


def test_the_answer_is_compact_gzipped_and_kept_a_day_under_its_version(client):
    paris, rome = CityFactory(name="Paris"), CityFactory(name="Rome")
    paris.latitude, paris.longitude = 48.856613, 2.352222
    paris.save()
    PartnershipFactory(city_a=paris, city_b=rome)
    for _ in range(10):  # past the 200 bytes below which gzip is not worth it
        PartnershipFactory(city_a=rome)
    source = home_source(client)
    response = client.get(source, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "public, max-age=86400"
    body = client.get(source).content
    compact = json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False)
    assert body == compact.encode()  # no space between tokens
    cities = {city[2]: city for city in json.loads(body)["cities"]}
    assert cities["Paris"][:2] == [48.857, 2.352]  # 0.001 degree is enough for a marker
    # An older version's URL gets today's data, not to be kept.
    stale = client.get(reverse("public:world-map-data", kwargs={"version": "0" * 16}))
    assert stale["Cache-Control"] == "no-cache"
    assert stale.content == body


def test_only_get_and_head(client):
    url = reverse("public:world-map-data", kwargs={"version": "x"})
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200


def test_the_cached_map_follows_new_links(client, django_assert_max_num_queries):
    paris, rome = CityFactory(name="Paris"), CityFactory(name="Rome")
    PartnershipFactory(city_a=paris, city_b=rome)
    first = home_source(client)
    assert len(client.get(first).json()["cities"]) == 2
    # Served from the cache: the fingerprint's figures (3), nothing for the map.
    with django_assert_max_num_queries(3):
        client.get(first)
    PartnershipFactory(city_a=rome, city_b=CityFactory(name="Oslo"))
    second = home_source(client)
    assert second != first
    names = sorted(city[2] for city in client.get(second).json()["cities"])
    assert names == ["Oslo", "Paris", "Rome"]


def test_the_cached_map_follows_moved_cities(client):
    paris, rome = CityFactory(name="Paris"), CityFactory(name="Rome")
    PartnershipFactory(city_a=paris, city_b=rome)
    world_map_of(client)
    paris.latitude, paris.longitude = 48.8566, 2.3522
    paris.save()
    cities = {city[2]: city for city in world_map_of(client)["cities"]}
    assert cities["Paris"][:2] == [48.857, 2.352]


def test_each_language_has_its_own_version_and_names(client):
    beijing = CityFactory(name="Beijing", native_name="北京", native_name_language="zh-hans")
    PartnershipFactory(city_a=beijing, city_b=CityFactory(name="Paris"))
    english = home_source(client)
    html = client.get("/zh-hans/").content.decode()
    chinese = json.loads(re.search(r'id="world-map" type="application/json">(.*?)<', html)[1])
    assert chinese["source"].startswith("/zh-hans/map/world-")
    assert chinese["source"].rsplit("/", 1)[1] != english.rsplit("/", 1)[1]
    names = {city[3]: city[2] for city in client.get(chinese["source"]).json()["cities"]}
    assert names[beijing.slug] == "北京"
    names = {city[3]: city[2] for city in client.get(english).json()["cities"]}
    assert names[beijing.slug] == "Beijing"
