"""axe-core's WCAG 2.1 A/AA rules (contrast, labels, landmarks, names, language)
run in the browser on every kind of public page."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/cities/",
    "/cities/tel-aviv/",
    "/partnerships/",
    "/partnerships/1/",
    "/offices/",
    "/offices/zhongguancun-israeli-liaison-office/",
    "/officials/doron-sapir/",
    "/search/?q=Tel+Aviv",
    "/cities/?country=XX",  # a form with an error
    "/cities/?sort=-links",
    "/countries/",
    "/countries/il/",
    "/he/countries/cn/",
    "/search/?q=Tl+Avv",  # did you mean
    "/no-such-page/",
]


@pytest.fixture
def axe_page(browser, live_server):
    # axe is injected as an inline script, which the site's Content-Security-Policy
    # rightly refuses; this context alone bypasses it.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    yield page
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_wcag_a_or_aa_violations(axe_page, live_server, seeded, path):
    axe_page.goto(live_server.url + path)
    axe_page.wait_for_load_state("load")
    axe_page.add_script_tag(path=str(AXE))
    violations = axe_page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }"""
    )
    assert violations == [], f"{path}: {violations}"
