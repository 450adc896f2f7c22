"""Every public page runs a fixed number of queries, the same with 5 rows and with 300.

Each test builds the page's data at both sizes and pins the count; the comment above
each number names the queries, so a new one shows up as a failing test, not a slow page.
"""

import pytest
from django.urls import reverse

from tests.factories import (
    CityFactory,
    CooperationAreaFactory,
    EventFactory,
    LiaisonOfficeFactory,
    OfficialFactory,
    OrganizationFactory,
    PartnershipFactory,
    QuoteFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

SIZES = pytest.mark.parametrize("size", [5, 300], ids=["5-rows", "300-rows"])


def build_city_network(size: int, partner=lambda n: {}):
    """A hub city linked to `size` partners, with areas, sources, events, quotes, offices;
    `partner(n)` gives the n-th partner city's own fields."""
    hub = CityFactory(name="Hub", slug="hub")
    areas = CooperationAreaFactory.create_batch(3)
    source = SourceFactory()
    org = OrganizationFactory(city=hub)
    links = []
    for n in range(size):
        link = PartnershipFactory(city_a=hub, city_b=CityFactory(**partner(n)))
        link.areas.add(*areas)
        link.sources.add(source)
        links.append(link)
    officials = OfficialFactory.create_batch(3, city=hub)
    # Events, offices and quotes grow with the size too (capped to keep the test quick).
    for n in range(min(size, 40)):
        event = EventFactory(city=hub, partnership=links[n % len(links)])
        event.participants.add(*officials)
        event.sources.add(source)
        QuoteFactory(event=event, official=officials[n % 3], source=source)
    for n in range(min(size, 40)):
        office = LiaisonOfficeFactory(
            organization=org,
            host_city=links[n].other_city(hub),
            partnership=links[n],
            network_ordinal=n + 1,
        )
        office.focus_areas.add(*areas)
        office.sources.add(source)
    return hub, links, officials


@SIZES
def test_home(client, size, django_assert_max_num_queries):
    build_city_network(size)
    # cities + countries, links, offices, latest events (the map's data is fetched apart)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("public:home")).status_code == 200


@SIZES
def test_world_map_data(client, size, django_assert_num_queries):
    build_city_network(size)
    url = reverse("public:world-map-data", kwargs={"version": "any"})
    # cities + countries, links, offices (the version's fingerprint), map cities, map links
    with django_assert_num_queries(5):
        assert len(client.get(url).json()["cities"]) == size + 1
    # built once per data version: the fingerprint's three queries only
    with django_assert_num_queries(3):
        assert len(client.get(url).json()["links"]) == size


@SIZES
def test_city_list(client, size, django_assert_max_num_queries):
    build_city_network(size)
    # country choices, count, page of cities with their link counts
    with django_assert_max_num_queries(3):
        assert client.get(reverse("public:city-list")).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(reverse("public:city-list"), {"q": "city"}).status_code == 200


@SIZES
def test_city_page(client, size, django_assert_max_num_queries):
    hub, links, _ = build_city_network(size)
    # city, links with both cities, offices sent and hosted, officials, events
    with django_assert_max_num_queries(5):
        response = client.get(hub.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('data-label="Partner"') == size


@SIZES
def test_partnership_list(client, size, django_assert_max_num_queries):
    build_city_network(size)
    # country choices, area choices, count, page of links with cities, their areas
    with django_assert_max_num_queries(5):
        assert client.get(reverse("public:partnership-list")).status_code == 200
    with django_assert_max_num_queries(5):
        params = {"country": "FR", "kind": "twin", "status": "active", "area": "area-0"}
        assert client.get(reverse("public:partnership-list"), params).status_code == 200


@SIZES
def test_partnership_page(client, size, django_assert_max_num_queries):
    hub, links, officials = build_city_network(5)
    link = links[0]
    for _ in range(size // 10):
        event = EventFactory(partnership=link, city=hub)
        event.participants.add(*officials)
        event.sources.add(SourceFactory())
        QuoteFactory(event=event, official=officials[0], source=SourceFactory())
    # link + cities, areas, sources, events, participants, event sources, quotes, offices
    with django_assert_max_num_queries(8):
        assert client.get(link.get_absolute_url()).status_code == 200


@SIZES
def test_office_list(client, size, django_assert_max_num_queries):
    build_city_network(size)
    # count, page of offices with organisation and cities, their focus areas
    with django_assert_max_num_queries(3):
        assert client.get(reverse("public:office-list")).status_code == 200


@SIZES
def test_office_page(client, size, django_assert_max_num_queries):
    hub, links, officials = build_city_network(size)
    office = links[0].liaison_offices.get()
    # office + org + cities + link, focus areas, sources, events, participants,
    # event sources, quotes, organisation figures, the organisation's other offices
    with django_assert_max_num_queries(9):
        assert client.get(office.get_absolute_url()).status_code == 200


@SIZES
def test_official_page(client, size, django_assert_max_num_queries):
    hub, links, officials = build_city_network(size)
    # official + city + organisation, events, quotes
    with django_assert_max_num_queries(3):
        assert client.get(officials[0].get_absolute_url()).status_code == 200


@SIZES
def test_search(client, size, django_assert_max_num_queries):
    build_city_network(size)
    # cities, links, offices, officials; with more than 20 cities or links, the count
    # of each for "see all N"
    with django_assert_max_num_queries(6 if size > 20 else 4):
        assert client.get(reverse("public:search"), {"q": "city"}).status_code == 200
    # no city found: one more query, the names for "did you mean"
    with django_assert_max_num_queries(5):
        assert client.get(reverse("public:search"), {"q": "zzzqqq"}).status_code == 200
