"""The city list: sortable by name, country and links, an unknown ?sort= handled, a
numbered pager, and no empty "Native name" column."""

import re

import pytest

from tests.factories import CityFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

SIZES = pytest.mark.parametrize("size", [5, 200], ids=["5-rows", "200-rows"])


def names(html: str) -> list[str]:
    return re.findall(r'data-label="[^"]+"><a href="(?:/he)?/cities/([\w-]+)/"', html)


@pytest.fixture
def cities():
    # Germany sorts after China by name in English, but "DE" before "CN" would not.
    aachen = CityFactory(name="Aachen", slug="aachen", country="DE")
    beijing = CityFactory(name="Beijing", slug="beijing", country="CN", native_name="北京")
    celle = CityFactory(name="Celle", slug="celle", country="DE")
    for partner in (
        CityFactory(name="Zz1", slug="zz1", country="FR"),
        CityFactory(name="Zz2", slug="zz2", country="FR"),
    ):
        PartnershipFactory(city_a=celle, city_b=partner)
    PartnershipFactory(city_a=beijing, city_b=aachen)
    return aachen, beijing, celle


def test_sorted_by_name_either_way(client, cities):
    assert names(client.get("/cities/?sort=name").content.decode())[:3] == [
        "aachen",
        "beijing",
        "celle",
    ]
    assert names(client.get("/cities/?sort=-name").content.decode())[-3:] == [
        "celle",
        "beijing",
        "aachen",
    ]


def test_sorted_by_links_most_first(client, cities):
    html = client.get("/cities/?sort=-links").content.decode()
    assert names(html)[0] == "celle"  # 2 links
    assert 'aria-sort="descending"' in html


def test_sorted_by_the_country_name_in_the_reader_language(client, cities):
    # English: China, France, Germany.
    assert names(client.get("/cities/?sort=country").content.decode()) == [
        "beijing",
        "zz1",
        "zz2",
        "aachen",
        "celle",
    ]
    # Hebrew: גרמניה (Germany), סין (China), צרפת (France).
    assert names(client.get("/he/cities/?sort=country").content.decode()) == [
        "aachen",
        "celle",
        "beijing",
        "zz1",
        "zz2",
    ]


@pytest.mark.parametrize("bad", ["bogus", "-", "name;drop", "--name", "pk", "search_text"])
def test_an_unknown_sort_is_said_and_the_default_order_kept(client, cities, bad):
    response = client.get("/cities/", {"sort": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That sort order is unknown" in html
    assert names(html)[:3] == ["aachen", "beijing", "celle"]


def test_the_sort_links_keep_the_filters_and_go_back_to_page_one(client, cities):
    html = client.get("/cities/", {"country": "DE", "page": "1", "sort": "name"}).content.decode()
    assert 'href="?country=DE&amp;sort=-name"' in html
    assert 'href="?country=DE&amp;sort=-links"' in html
    assert names(html) == ["aachen", "celle"]


def test_the_native_name_column_only_when_a_city_on_the_page_has_one(client, cities):
    assert "Native name" in client.get("/cities/").content.decode()
    html = client.get("/cities/", {"country": "DE"}).content.decode()
    assert "Native name" not in html


def test_a_numbered_pager(client):
    CityFactory.create_batch(260)  # 6 pages of 50
    html = client.get("/cities/", {"page": 4, "sort": "-links"}).content.decode()
    pager = html[html.index('class="pagination"') :]
    assert "Page 4 of 6" in pager
    for number in (1, 2, 3, 5, 6):
        assert (
            f'href="?page={number}&amp;sort=-links"' in pager
            or f'href="?sort=-links&amp;page={number}"' in pager
        )
    assert 'aria-current="page"' in pager
    assert (
        "« First" in pager and "Last »" in pager and 'rel="prev"' in pager and 'rel="next"' in pager
    )
    # Far from the current page, the pager elides: 1 … 8 9 10 11 12 … 20.
    CityFactory.create_batch(740)
    html = client.get("/cities/", {"page": 10}).content.decode()
    pager = html[html.index('class="pagination"') :]
    assert "…" in pager and 'href="?page=20"' in pager and 'href="?page=5"' not in pager


@SIZES
def test_sorted_lists_keep_their_query_count(client, size, django_assert_num_queries):
    for n in range(size):
        PartnershipFactory(city_a=CityFactory(country="DE" if n % 2 else "CN"))
    for sort in ("name", "-country", "-links"):
        # country choices, count, page of cities with their link counts
        with django_assert_num_queries(3):
            assert client.get("/cities/", {"sort": sort}).status_code == 200
