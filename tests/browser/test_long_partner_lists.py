"""A big city's page on a phone: its partners folded by country, so the page stays
short; every partner still in the page for screen readers; the status badge on one
line at 1280 px; no axe-core violation with the groups closed or open."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import CityFactory, PartnershipFactory

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
COUNTRIES = ["DE", "FR", "JP", "US", "BR", "IL"]


@pytest.fixture
def big_city(transactional_db):
    hub = CityFactory(name="Bigtown", slug="bigtown", country="CN")
    for n in range(60):
        PartnershipFactory(city_a=hub, city_b=CityFactory(country=COUNTRIES[n % len(COUNTRIES)]))
    return hub


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})).violations.map(v => v.id)"""
    )


def test_a_big_city_page_on_a_phone_is_folded_by_country(
    browser, live_server, big_city, screenshot
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith(live_server.url) else r.abort()
    )
    page.goto(live_server.url + big_city.get_absolute_url())
    groups = page.locator("details.partner-group")
    expect(groups).to_have_count(len(COUNTRIES))
    folded = page.evaluate("document.scrollingElement.scrollHeight")
    # All 60 partners are in the page (a screen reader or find-in-page reaches them).
    expect(page.locator('th[data-label="Partner"]')).to_have_count(60)
    assert axe_violations(page) == []
    screenshot(page, "-folded")

    groups.first.locator("summary").click()
    expect(groups.first.locator('th[data-label="Partner"]').first).to_be_visible()
    opened = page.evaluate("document.scrollingElement.scrollHeight")
    assert opened > folded
    # Unfolded, the 60 rows would take many times a phone screen; folded, far less.
    for group in groups.all():
        group.evaluate("d => d.open = true")
    unfolded = page.evaluate("document.scrollingElement.scrollHeight")
    assert folded < unfolded / 2, (folded, unfolded)
    assert axe_violations(page) == []
    context.close()


def test_the_status_badge_stays_on_one_line_at_1280(page, live_server, big_city):
    page.goto(live_server.url + big_city.get_absolute_url())
    page.locator("details.partner-group").first.evaluate("d => d.open = true")
    badge = page.locator("details.partner-group").first.locator(".status").first
    box = badge.bounding_box()
    line = badge.evaluate("b => parseFloat(getComputedStyle(b).lineHeight) || 20")
    assert box["height"] < line * 1.8, (box, line)
