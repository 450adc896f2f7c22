"""Country pages (/countries/<code>/) and the country index: what they list, their
addresses, their query counts with few and many rows, and the links to them."""

import datetime as dt
import re

import pytest

from partnerships.models import Precision
from tests.factories import CityFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

SIZES = pytest.mark.parametrize("size", [5, 200], ids=["5-rows", "200-rows"])


def build_country(size: int):
    """Israeli cities linked with French and German ones; one link within Israel, one
    with no start date, starts spread over decades."""
    haifa = CityFactory(name="Haifa", slug="haifa", country="IL", region="Haifa District")
    others = [CityFactory(country="IL") for _ in range(max(1, size // 5))]
    for n in range(size):
        partner = CityFactory(country="DE" if n % 2 else "FR")
        PartnershipFactory(
            city_a=haifa if n % 3 else others[n % len(others)],
            city_b=partner,
            start_date=dt.date(1960 + (n * 7) % 60, 1, 1),
            start_precision=Precision.YEAR,
        )
    PartnershipFactory(city_a=haifa, city_b=others[0], start_date=None)
    return haifa, others


def url(code="il", **query):
    # Literal English paths: reverse() follows whatever language a test left active.
    path = f"/countries/{code}/"
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_it_lists_cities_by_links_partner_countries_and_decades(client):
    haifa, others = build_country(12)
    html = client.get(url()).content.decode()

    assert "<h1>Israel</h1>" in html
    # Cities most linked first: Haifa has 8 of the 12 plus the domestic link.
    rows = re.findall(r'data-label="City"><a href="/cities/([\w-]+)/"', html)
    assert rows[0] == "haifa"
    assert len(rows) == 1 + len(others)
    # Partner countries with their counts (6 each), the domestic link named as such.
    assert re.search(r'<a href="/countries/fr/">France</a></th>\s*<td[^>]*>6</td>', html)
    assert re.search(r'<a href="/countries/de/">Germany</a></th>\s*<td[^>]*>6</td>', html)
    assert "Israel (between its own cities)" in html
    # Decades where dated, and the undated link said.
    assert re.search(r"<th scope=\"row\">1960s</th><td class=\"num\">\d+</td>", html)
    assert "1 link has no known start date." in html
    # The same selection in the API and as CSV.
    assert 'href="/api/v1/partnerships/?country=IL&amp;format=csv"' in html
    assert 'href="/api/v1/cities/?country=IL&amp;format=csv"' in html
    assert 'href="/api/v1/partnerships/facets/?country=IL"' in html
    # The map partial, labelled.
    assert 'id="country-map"' in html
    assert 'aria-label="Map of the links of Israel"' in html


def test_its_counts_agree_with_the_api_facets(client):
    build_country(20)
    html = client.get(url()).content.decode()
    facets = client.get("/api/v1/partnerships/facets/", {"country": "IL"}).json()
    assert f"{facets['count']} links." in html
    undated = next(d["count"] for d in facets["start_decade"] if d["value"] is None)
    assert f"{undated} link has no known start date." in html


def test_a_code_in_another_case_redirects_to_the_canonical_address(client):
    build_country(5)
    response = client.get("/countries/IL/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/countries/il/?page=2"
    assert client.get("/he/countries/Il/")["Location"] == "/he/countries/il/"


@pytest.mark.parametrize("code", ["xx", "zz", "isr", "1", "il-x"])
def test_an_unknown_code_is_a_404(client, code):
    build_country(5)
    assert client.get(f"/countries/{code}/").status_code == 404


def test_a_country_with_no_city_is_a_404(client):
    build_country(5)
    assert client.get(url("jp")).status_code == 404


def test_the_cities_are_paginated_with_a_numbered_pager(client):
    haifa = CityFactory(country="IL")
    for _ in range(120):
        PartnershipFactory(city_a=CityFactory(country="IL"), city_b=haifa)
    html = client.get(url()).content.decode()
    assert html.count('data-label="City"') == 50
    assert 'href="?page=3"' in html and "Last »" in html
    page_3 = client.get(url(page=3)).content.decode()
    assert page_3.count('data-label="City"') == 121 - 100
    assert "« First" in page_3 and "Next →" not in page_3


def test_every_country_name_links_to_its_page(client):
    haifa, _ = build_country(5)
    city_page = client.get(haifa.get_absolute_url()).content.decode()
    assert '<a href="/countries/il/">Israel</a>' in city_page  # the city's own country
    assert '<a href="/countries/fr/">France</a>' in city_page  # partners' countries
    assert '<a href="/countries/il/">Israel</a>' in client.get("/cities/").content.decode()
    hebrew = client.get("/he/cities/haifa/").content.decode()
    assert 'href="/he/countries/il/"' in hebrew


def test_the_page_is_translated(client):
    build_country(5)
    html = client.get("/he/countries/il/").content.decode()
    assert "<h1>ישראל</h1>" in html
    assert 'href="/he/countries/fr/"' in html


def test_the_index_lists_each_country_with_its_cities_and_links(client):
    build_country(10)
    html = client.get("/countries/").content.decode()
    assert "3 countries." in html
    # Israel: 1 + 2 cities; its 10 links with partners abroad and the domestic one.
    assert re.search(
        r'<a href="/countries/il/">Israel</a></th><td[^>]*>3</td><td[^>]*>11</td>', html
    )


@SIZES
def test_the_country_page_runs_a_fixed_number_of_queries(client, size, django_assert_num_queries):
    build_country(size)
    # count and page of cities, links by partner country, by decade, the map
    with django_assert_num_queries(5):
        assert client.get(url()).status_code == 200


@SIZES
def test_the_country_index_runs_a_fixed_number_of_queries(client, size, django_assert_num_queries):
    build_country(size)
    # cities by country, links by pair of countries
    with django_assert_num_queries(2):
        assert client.get("/countries/").status_code == 200
