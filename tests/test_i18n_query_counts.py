"""The pinned query counts of tests/test_pages_queries.py hold in every language:
names in the reader's language, translated labels and localised dates add no query.

Same data, same numbers, each page fetched under /, /zh-hans/ and /he/. The partner
cities carry Chinese and Hebrew native names, so the name choosing runs on every row.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from tests.factories import EventFactory, QuoteFactory, SourceFactory
from tests.test_pages_queries import build_city_network

pytestmark = pytest.mark.django_db

SIZES = pytest.mark.parametrize("size", [5, 300], ids=["5-rows", "300-rows"])
LANGUAGES = pytest.mark.parametrize("language", ["en", "zh-hans", "he"])


def url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _partner(n: int) -> dict:
    """Every other partner named in Chinese, the rest in Hebrew (right to left)."""
    if n % 2:
        return {"native_name": "北京", "native_name_language": "zh", "native_name_direction": "ltr"}
    return {
        "native_name": "תל אביב-יפו",
        "native_name_language": "he",
        "native_name_direction": "rtl",
    }


def build(size: int):
    return build_city_network(size, partner=_partner)


@LANGUAGES
@SIZES
def test_home(client, size, language, django_assert_max_num_queries):
    build(size)
    cache.clear()
    # cities + countries, links, offices, latest events (the map's data is fetched apart)
    with django_assert_max_num_queries(4):
        assert client.get(url("public:home", language)).status_code == 200


@LANGUAGES
@SIZES
def test_world_map_data(client, size, language, django_assert_num_queries):
    build(size)
    cache.clear()
    data_url = url("public:world-map-data", language, version="any")
    # cities + countries, links, offices (the version's fingerprint), map cities, map links
    with django_assert_num_queries(5):
        assert client.get(data_url).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(data_url).status_code == 200


@LANGUAGES
@SIZES
def test_city_list(client, size, language, django_assert_max_num_queries):
    build(size)
    # country choices, count, page of cities with their link counts
    with django_assert_max_num_queries(3):
        assert client.get(url("public:city-list", language)).status_code == 200


@LANGUAGES
@SIZES
def test_city_page(client, size, language, django_assert_max_num_queries):
    hub, _links, _ = build(size)
    # city, links with both cities, offices sent and hosted, officials, events
    with django_assert_max_num_queries(5):
        response = client.get(url("public:city-detail", language, slug=hub.slug))
    assert response.status_code == 200
    assert response.content.decode().count('<tr><th scope="row" data-label=') == size


@LANGUAGES
@SIZES
def test_partnership_list(client, size, language, django_assert_max_num_queries):
    build(size)
    # country choices, area choices, count, page of links with cities, their areas
    with django_assert_max_num_queries(5):
        assert client.get(url("public:partnership-list", language)).status_code == 200


@LANGUAGES
@SIZES
def test_partnership_page(client, size, language, django_assert_max_num_queries):
    hub, links, officials = build(5)
    link = links[0]
    for _ in range(size // 10):
        event = EventFactory(partnership=link, city=hub)
        event.participants.add(*officials)
        event.sources.add(SourceFactory())
        QuoteFactory(event=event, official=officials[0], source=SourceFactory())
    # link + cities, areas, sources, events, participants, event sources, quotes, offices
    with django_assert_max_num_queries(8):
        response = client.get(url("public:partnership-detail", language, pk=link.pk))
    assert response.status_code == 200


@LANGUAGES
@SIZES
def test_office_pages(client, size, language, django_assert_max_num_queries):
    _hub, links, officials = build(size)
    office = links[0].liaison_offices.get()
    # count, page of offices with organisation and cities, their focus areas
    with django_assert_max_num_queries(3):
        assert client.get(url("public:office-list", language)).status_code == 200
    # office + org + cities + link, focus areas, sources, events, participants,
    # event sources, quotes, organisation figures, the organisation's other offices
    with django_assert_max_num_queries(9):
        response = client.get(url("public:office-detail", language, slug=office.slug))
    assert response.status_code == 200
    # official + city + organisation, events, quotes
    with django_assert_max_num_queries(3):
        response = client.get(url("public:official-detail", language, slug=officials[0].slug))
    assert response.status_code == 200


@LANGUAGES
@SIZES
def test_search(client, size, language, django_assert_max_num_queries):
    build(size)
    # cities, links, offices, officials; past 20 cities or links, the count of each
    with django_assert_max_num_queries(6 if size > 20 else 4):
        assert client.get(url("public:search", language), {"q": "city"}).status_code == 200


@LANGUAGES
@SIZES
def test_country_page_and_index(client, size, language, django_assert_num_queries):
    build(size)  # the hub's partners are all in France (the factories' country)
    # count and page of cities, links by partner country, by decade, the map
    with django_assert_num_queries(5):
        assert client.get(url("public:country-detail", language, code="fr")).status_code == 200
    # cities by country, links by pair of countries
    with django_assert_num_queries(2):
        assert client.get(url("public:country-list", language)).status_code == 200
