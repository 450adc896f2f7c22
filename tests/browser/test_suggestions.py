"""A reader suggests a partnership in the browser (with the partner-city autocomplete);
a member of staff accepts it in the admin; the new link and the change are public."""

import pytest
from playwright.sync_api import expect

from cities.models import City
from partnerships.models import Partnership
from suggestions.models import Suggestion
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def test_a_reader_suggests_a_partnership_and_staff_accept_it(
    page, live_server, seeded, screenshot, settings
):
    settings.CHANGES_API_SETTLE_SECONDS = 0
    City.objects.create(name="Haifa", slug="haifa", country="IL")
    UserFactory(username="reviewer", is_staff=True, is_superuser=True)

    page.goto(live_server.url + "/cities/beijing/")
    page.get_by_role("link", name="Suggest a partnership").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Suggest a partnership of Beijing")

    partner = page.get_by_label("Partner city")
    partner.press_sequentially("Hai", delay=50)
    # The autocomplete asked the API and offers Haifa by its slug.
    expect(page.locator("#partner-options option[value=haifa]")).to_have_count(1)
    partner.fill("haifa")
    page.get_by_label("Kind").select_option("friendship")
    page.get_by_label("Since").fill("2001-05")
    page.get_by_label("Source URL").fill("https://example.org/haifa-beijing")
    page.get_by_label("Contact e-mail").fill("reader@example.org")
    screenshot(page, "-form")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "your suggestion is with our staff"
    )
    assert not Partnership.objects.filter(kind="friendship").exists()

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    suggestion = Suggestion.objects.get()
    page.goto(live_server.url + "/admin/suggestions/suggestion/?status__exact=new")
    page.get_by_role("link", name=str(suggestion.pk), exact=True).click()
    expect(page.locator("body")).to_contain_text("reader@example.org")
    page.get_by_role("button", name="Accept and apply").click()
    expect(page.locator(".messagelist")).to_contain_text("Accepted")
    screenshot(page, "-accepted")

    link = Partnership.objects.get(kind="friendship")
    assert link.start.isoformat() == "2001-05"
    assert link.sources.get().url == "https://example.org/haifa-beijing"

    page.goto(live_server.url + "/changes/")
    expect(page.locator(".change").first).to_contain_text("Beijing")
    expect(page.locator("body")).to_contain_text(f"Suggestion #{suggestion.pk} accepted")
    expect(page.locator("body")).not_to_contain_text("reader@example.org")
    assert page.errors == []
