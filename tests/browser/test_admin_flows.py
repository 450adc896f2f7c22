"""The admin's revert flow in a real browser against live_server: every request commits
on its own, as for staff (on PostgreSQL the revert used to be a 500 here)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from partnerships.models import Partnership
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_changes_a_link_then_reverts_it_from_history(browser, live_server, seeded, width):
    # A superuser: the browser tests' flushes drop the migration-made groups; the
    # editors' permissions in these flows are tested in tests/test_admin_flows_committed.py.
    UserFactory(username="editor", is_staff=True, is_superuser=True)
    link = Partnership.objects.get(city_a__slug="beijing", city_b__slug="tel-aviv")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    admin = f"{live_server.url}/admin/partnerships/partnership/{link.pk}"
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.goto(f"{admin}/change/")
    page.select_option("#id_status", "ended")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    original = link.history.earliest("history_date")
    page.goto(f"{admin}/history/{original.history_id}/")
    with page.expect_navigation():
        page.click("input[type=submit][name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    link.refresh_from_db()
    assert link.status == "active"

    page.goto(f"{admin}/history/")
    expect(page.locator("#change-history")).to_contain_text("Reverted to version")
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"admin-revert-{width}.png"), type="png")
    context.close()
