"""The public pages in a real browser: a reader's path, the map, a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import CityFactory, PartnershipFactory

pytestmark = pytest.mark.browser

SAPIR_QUOTE = "Beijing and Tel Aviv, like China and Israel, are completely different in size"


def test_a_reader_searches_tel_aviv_and_finds_doron_sapirs_quote(
    page, live_server, seeded, screenshot
):
    page.goto(live_server.url + "/")
    page.get_by_label("Search cities, partnerships, offices and officials").fill("Tel Aviv")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Tel\+Aviv$"))

    cities = page.locator("section", has=page.locator("#r-cities"))
    cities.get_by_role("link", name="Tel Aviv", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tel Aviv")
    expect(page.locator("h1 [lang=he]")).to_have_attribute("dir", "rtl")

    partners = page.locator("table", has=page.locator("th", has_text="Partner"))
    partners.get_by_role("link", name="Beijing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beijing – Tel Aviv")

    quote = page.locator("figure.quote", has_text=SAPIR_QUOTE)
    expect(quote).to_be_visible()
    expect(quote.locator("figcaption")).to_contain_text("Doron Sapir, Deputy Mayor")
    expect(page.locator("dd time", has_text="about 1998")).to_be_visible()
    expect(page.locator("#link-map-canvas")).to_have_attribute("data-land-drawn", "true")
    screenshot(page)
    assert page.errors == []


def test_the_maps_draw_a_marker_for_each_city_without_tiles(page, live_server, seeded, screenshot):
    page.goto(live_server.url + "/")
    world = page.locator("#world-map-canvas.map--ready")
    expect(world).to_have_attribute("data-markers-drawn", "2")
    expect(world.locator(".city-marker")).to_have_count(2)
    expect(world.locator(".city-link")).to_have_count(1)
    # The land outline comes from the app's own static files, not the tile server.
    expect(world).to_have_attribute("data-land-drawn", "true")
    screenshot(page, "-home")

    # A city with more partners: one marker for it and one for each partner.
    hub = CityFactory(name="Hubville", slug="hubville", latitude=48.85, longitude=2.35)
    for _ in range(12):
        PartnershipFactory(city_a=hub, city_b=CityFactory())
    page.goto(live_server.url + hub.get_absolute_url())
    city_map = page.locator("#city-map-canvas.map--ready")
    expect(city_map.locator(".city-marker")).to_have_count(13)
    expect(city_map.locator(".city-marker--focus")).to_have_count(1)
    expect(city_map.locator(".city-link")).to_have_count(12)
    expect(city_map).to_have_attribute("data-land-drawn", "true")
    screenshot(page, "-city")
    assert page.errors == []


def test_a_360_pixel_screen_never_scrolls_sideways(page, live_server, seeded, screenshot):
    page.set_viewport_size({"width": 360, "height": 780})
    paths = [
        "/",
        "/cities/",
        "/cities/tel-aviv/",
        "/partnerships/",
        "/partnerships/1/",
        "/offices/",
        "/offices/zhongguancun-israeli-liaison-office/",
        "/officials/doron-sapir/",
        "/search/?q=Tel+Aviv",
        "/network/?from=Beijing&to=Tel+Aviv",
        "/countries/",
        "/countries/il/",
        "/no-such-page/",
    ]
    for path in paths:
        page.goto(live_server.url + path)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide"
        if path == "/partnerships/1/":
            screenshot(page, "-partnership")
        if path == "/cities/tel-aviv/":
            screenshot(page, "-city")


def test_the_keyboard_reaches_the_skip_link_and_the_search_box(page, live_server, seeded):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "search":
            break
    expect(page.get_by_label("Search cities, partnerships, offices and officials")).to_be_focused()
