"""The maps on a real sample of the world (tests/browser/world_sample.py), with no tile
server (the page fixture refuses every other host): clusters on the home map, a
city's lines on demand, the app's own world beneath, lines the short way across the
antimeridian, the map linked to its list, no WCAG A/AA violation; and the
screenshots of README's "Screenshots" (docs/screenshots/), at 1280 and 390 px wide.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cities.models import City
from partnerships.models import Partnership
from partnerships.selectors import link_count
from tests.browser.world_sample import load_world_sample

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = pytest.mark.parametrize("width", [1280, 390])
# Nelson (New Zealand) and Eureka (California): a link across the antimeridian,
# recorded here as stated by one side only.
NELSON, EUREKA = "Q206687", "Q488702"
RUST = "Q259214"  # Rust, Austria: a small town with two partners


@pytest.fixture
def world(seeded):
    return load_world_sample(one_sided=(NELSON, EUREKA))


def open_map(page, url: str, selector: str = ".map--ready[data-land-drawn=true]"):
    page.goto(url)
    expect(page.locator(selector).first).to_be_visible()
    # Let Leaflet finish its zoom animation and the country names settle.
    page.wait_for_timeout(600)
    return page.locator(".map").first


def save(page, name: str, width: int, height: int = 1800) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    total = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(
        path=str(DOCS / f"{name}-{width}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": min(total, height)},
    )


def axe_violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            });
            return result.violations.map(v => ({
                id: v.id, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }"""
    )


@WIDTHS
def test_the_home_map_clusters_the_world_and_draws_a_citys_lines_on_demand(
    page, live_server, world, width
):
    page.set_viewport_size({"width": width, "height": 900})
    linked = (
        City.objects.annotate(links=link_count())
        .filter(links__gt=0, latitude__isnull=False)
        .count()
    )
    world_map = open_map(
        page, live_server.url + "/", "#world-map-canvas.map--ready[data-clustered=true]"
    )
    expect(world_map).to_have_attribute("data-markers-drawn", str(linked))
    expect(world_map).to_have_attribute("data-land-drawn", "true")
    # Thousands of cities: groups with counts, and no line until a city is chosen.
    expect(world_map).to_have_attribute("data-lines-drawn", "0")
    assert world_map.locator(".map-cluster").count() >= 10
    # The map fills its box: the view lies within the one world copy (no strip of
    # empty grey beside, above or below it), which a zoom below the minimum would break.
    north, south, west, east = page.evaluate(
        """() => {
            const bounds = document.querySelector('#world-map-canvas').leafletMap.getBounds();
            return [bounds.getNorth(), bounds.getSouth(), bounds.getWest(), bounds.getEast()];
        }"""
    )
    assert -180.01 <= west < east <= 180.01
    assert -85.06 <= south < north <= 85.06
    expect(world_map.locator(".map-country").first).to_be_attached()
    # The map's caption names it, and links to the same cities as a list.
    expect(world_map).to_have_attribute("aria-describedby", "world-map-caption")
    expect(page.locator("#world-map-caption a")).to_have_attribute("href", "/cities/")
    save(page, "home", width)

    beijing = City.objects.get(slug="beijing")
    partners = Partnership.objects.involving(beijing).count()
    assert partners >= 50
    assert page.evaluate("document.querySelector('#world-map-canvas').mapSelect('beijing')")
    expect(world_map).to_have_attribute("data-lines-drawn", str(partners))
    expect(world_map.locator(".leaflet-popup a", has_text="Beijing")).to_be_visible()
    page.wait_for_timeout(400)
    save(page, "home-beijing-selected", width)
    assert page.errors == []


@WIDTHS
def test_a_big_citys_map_shows_partners_on_every_continent(page, live_server, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    beijing = City.objects.get(slug="beijing")
    partners = Partnership.objects.involving(beijing).count()
    city_map = open_map(page, live_server.url + beijing.get_absolute_url())
    expect(city_map).to_have_attribute("data-markers-drawn", str(partners + 1))
    expect(city_map.locator(".city-link")).to_have_count(partners)
    expect(city_map.locator(".city-marker--focus")).to_have_count(1)
    # The map is described by its caption, which links to the partner table.
    expect(city_map).to_have_attribute("aria-describedby", "city-map-caption")
    skip = page.locator("#city-map-caption a", has_text="List of the partners shown on this map")
    expect(skip).to_have_attribute("href", "#partners-title")
    skip.click()
    expect(page).to_have_url(live_server.url + beijing.get_absolute_url() + "#partners-title")
    page.evaluate("window.scrollTo(0, 0)")
    save(page, "city-beijing", width)
    assert page.errors == []


@WIDTHS
def test_a_small_towns_map_is_a_map_with_names_not_a_blank_box(page, live_server, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    rust = City.objects.get(wikidata_id=RUST)
    city_map = open_map(page, live_server.url + rust.get_absolute_url())
    expect(city_map).to_have_attribute("data-markers-drawn", "3")
    expect(city_map.locator(".city-link")).to_have_count(2)
    # Each of its few cities is named on the map, and so are the countries around.
    expect(city_map.locator(".leaflet-tooltip.map-name")).to_have_count(3)
    expect(city_map.locator(".leaflet-tooltip.map-name", has_text="Kulmbach")).to_be_visible()
    names = city_map.locator(".map-country__name").all_inner_texts()
    assert {"Austria", "Hungary"} <= set(names)
    save(page, "city-small-town", width)
    assert page.errors == []


@WIDTHS
def test_a_one_sided_link_across_the_dateline_is_drawn_the_short_way(
    page, live_server, world, width
):
    page.set_viewport_size({"width": width, "height": 900})
    link = Partnership.objects.get(
        city_a__wikidata_id__in=[NELSON, EUREKA], city_b__wikidata_id__in=[NELSON, EUREKA]
    )
    assert link.one_sided
    link_map = open_map(page, live_server.url + link.get_absolute_url())
    expect(page.get_by_text("One side only", exact=False)).to_be_visible()
    expect(link_map).to_have_attribute("data-lines-drawn", "1")
    # The short way crosses the Pacific: far less than the map's width, not across
    # the whole world through Africa.
    line = link_map.locator(".city-link").bounding_box()
    assert line["width"] < 0.8 * link_map.bounding_box()["width"]
    # Both ends sit on a drawn world: a copy of the world is drawn on the far side.
    expect(link_map.locator(".leaflet-tooltip.map-name")).to_have_count(2)
    names = link_map.locator(".map-country__name").all_inner_texts()
    assert "Australia" in names and "United States" in names
    save(page, "partnership-one-sided-dateline", width)
    assert page.errors == []


@WIDTHS
def test_a_country_page(page, live_server, world, width):
    response = page.request.get(live_server.url + "/countries/cn/")
    assert response.status == 200
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/countries/cn/")
    if page.locator(".map").count():
        expect(page.locator(".map--ready").first).to_be_visible()
        page.wait_for_timeout(600)
    save(page, "country-cn", width)
    assert page.errors == []


@pytest.mark.parametrize("path", ["home", "beijing", "small-town", "one-sided"])
def test_the_maps_pages_have_no_wcag_a_or_aa_violations(browser, live_server, world, path):
    # axe is injected as an inline script, which the site's CSP rightly refuses.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    urls = {
        "home": "/",
        "beijing": "/cities/beijing/",
        "small-town": City.objects.get(wikidata_id=RUST).get_absolute_url(),
        "one-sided": Partnership.objects.get(one_sided=True).get_absolute_url(),
    }
    ready = ".map--ready[data-land-drawn=true]" + (
        "[data-clustered=true]" if path == "home" else ""
    )
    open_map(page, live_server.url + urls[path], ready)
    if path == "home":
        page.evaluate("document.querySelector('#world-map-canvas').mapSelect('tel-aviv')")
        # Leaflet fades a popup in: checked half-faded, its link's colour is blended with
        # the page behind it and fails the contrast rule it meets once shown.
        page.wait_for_function(
            "() => { const p = document.querySelector('.leaflet-popup');"
            " return p && getComputedStyle(p).opacity === '1'; }"
        )
    assert axe_violations(page) == []
    context.close()
