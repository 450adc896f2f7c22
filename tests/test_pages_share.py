"""Share and print: Open Graph and Twitter metadata on every page, sitemap.xml (an
index of paginated sections in every language), robots.txt, the favicon, the print
stylesheet."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from public import sitemaps
from tests.factories import CityFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

SIZES = pytest.mark.parametrize("size", [5, 200], ids=["5-rows", "200-rows"])


def meta(html: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return unescape(found.group(1)) if found else None


@pytest.fixture
def pair():
    haifa = CityFactory(name="Haifa", slug="haifa", country="IL")
    link = PartnershipFactory(
        city_a=haifa, city_b=CityFactory(name="Mainz", slug="mainz", country="DE")
    )
    return haifa, link


def test_every_page_has_its_own_open_graph_and_twitter_card(client, pair):
    haifa, link = pair
    for url in [
        "/",
        "/cities/",
        "/cities/haifa/",
        link.get_absolute_url(),
        "/countries/il/",
        "/countries/",
        "/search/?q=haifa",
        "/he/cities/haifa/",
    ]:
        html = client.get(url).content.decode()
        title = re.search(r"<title>(.*?) · ", html).group(1)
        assert meta(html, "og:title") == unescape(title), url
        assert meta(html, "twitter:title") == unescape(title), url
        description = meta(html, "description")
        assert description and meta(html, "og:description") == description, url
        assert meta(html, "twitter:description") == description, url
        assert meta(html, "og:url").startswith("http://testserver/"), url
        assert meta(html, "og:image").endswith("/static/img/share-card.png"), url
        assert meta(html, "twitter:card") == "summary_large_image", url
        assert 'rel="icon"' in html and 'media="print"' in html, url
    city = client.get("/cities/haifa/").content.decode()
    assert meta(city, "og:title") == "Haifa, Israel"
    assert meta(city, "og:url") == "http://testserver/cities/haifa/"


def test_the_share_card_and_icons_are_committed_pngs():
    for name in ("img/share-card.png", "img/favicon-32.png", "img/apple-touch-icon.png"):
        path = Path(finders.find(name))
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    assert Path(finders.find("favicon.ico")).read_bytes()[:4] == b"\x00\x00\x01\x00"


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == settings.STATIC_URL + "favicon.ico"


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /api/" in text


def test_the_sitemap_lists_every_record_in_every_language(client, pair):
    haifa, link = pair
    index = client.get("/sitemap.xml").content.decode()
    for section in ("pages", "countries", "cities", "partnerships", "offices", "officials"):
        assert f"<loc>http://testserver/sitemap-{section}.xml</loc>" in index
    cities = client.get("/sitemap-cities.xml").content.decode()
    assert "<loc>http://testserver/cities/haifa/</loc>" in cities
    assert "<loc>http://testserver/he/cities/haifa/</loc>" in cities
    assert 'hreflang="zh-hans" href="http://testserver/zh-hans/cities/haifa/"' in cities
    countries = client.get("/sitemap-countries.xml").content.decode()
    assert "<loc>http://testserver/countries/il/</loc>" in countries
    links = client.get("/sitemap-partnerships.xml").content.decode()
    assert f"<loc>http://testserver{link.get_absolute_url()}</loc>" in links


def test_the_sitemap_is_paginated_at_world_scale(client, monkeypatch):
    monkeypatch.setattr(sitemaps.CitySitemap, "limit", 6)  # 6 URLs: 2 cities x 3 languages
    CityFactory.create_batch(5)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-cities.xml?p=3" in index and "sitemap-cities.xml?p=4" not in index
    page_3 = client.get("/sitemap-cities.xml", {"p": 3}).content.decode()
    assert page_3.count("<url>") == 3
    assert client.get("/sitemap-cities.xml", {"p": 9}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


@SIZES
def test_the_sitemap_runs_a_fixed_number_of_queries(client, size, django_assert_num_queries):
    for _ in range(size):
        PartnershipFactory()
    # the records of each of the five record sections (for its number of pages), the
    # latest change of cities and of links
    with django_assert_num_queries(7):
        assert client.get("/sitemap.xml").status_code == 200
    # the cities (listed once per language)
    with django_assert_num_queries(1):
        assert client.get("/sitemap-cities.xml").status_code == 200


def test_the_print_stylesheet_hides_navigation_and_map_controls_and_shows_link_addresses():
    css = Path(finders.find("css/print.css")).read_text()
    hidden = css[: css.index("display: none")]
    for selector in (
        ".site-nav",
        ".language-switch",
        ".leaflet-control-container",
        ".leaflet-control-zoom",
        ".pagination",
    ):
        assert selector in hidden
    assert 'content: " (" attr(href) ")"' in css
