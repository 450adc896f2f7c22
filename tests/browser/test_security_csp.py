"""The Content Security Policy lets the site work: in Chromium, the admin (login,
change form with its widgets), the public pages with their map, the browsable API
and the Swagger UI load with no CSP violation and no script error.

Uses the browser fixtures of tests/browser/conftest.py (Debian's Chromium through
Playwright, one browser for the session).
"""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def violations(page):
    """CSP violations the page reports, as Chromium logs them."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    return response


def test_public_pages_and_their_map_run_under_the_policy(
    page,
    live_server,
    seeded,
    violations,
):
    for path in ["/", "/cities/beijing/", "/partnerships/1/", "/network/"]:
        response = visit(page, live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]

    page.goto(live_server.url + "/cities/beijing/")
    page.wait_for_selector(".leaflet-marker-icon, .leaflet-interactive", state="attached")
    assert violations == []
    assert page.errors == []


def test_the_admin_works_under_the_policy(page, live_server, seeded, violations):
    UserFactory(username="csp-editor", is_staff=True, is_superuser=True)

    visit(page, live_server.url + "/admin/login/")
    page.fill("#id_username", "csp-editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    visit(page, live_server.url + "/admin/partnerships/partnership/1/change/")
    # The autocomplete widget (select2, admin JS) turned the city <select> into its box.
    page.wait_for_selector(".select2-container", state="attached")
    visit(page, live_server.url + "/admin/partnerships/partnership/?q=Beijing")

    assert violations == []
    assert page.errors == []


def test_the_swagger_ui_and_the_browsable_api_work_under_the_policy(
    page,
    live_server,
    seeded,
    violations,
):
    visit(page, live_server.url + "/api/v1/docs/")
    # Swagger UI rendered the operations from the schema it fetched.
    page.wait_for_selector(".opblock-summary", state="visible")
    assert page.locator(".opblock-summary").count() > 20

    visit(page, live_server.url + "/api/v1/partnerships/")
    page.wait_for_selector("pre.prettyprint", state="visible")

    assert violations == []
    assert page.errors == []
