"""The site in each of its languages, in a real browser, wide and narrow.

For the home page, a city, a partnership and a search, in English, Simplified Chinese
and Hebrew, at 1280 and 390 px wide:

- the page's visible strings (text and the attributes people read: labels, titles,
  placeholders) hold no English interface string: every string that the English page
  shows and the translated page shows too must be data (a name, a title, a quote
  stored in the database), a number or punctuation, or a message whose translation
  is the same in that language's catalogue;
- Hebrew pages are dir="rtl" and their layout is mirrored (the brand at the right,
  the timeline's rule on the right), nothing scrolls sideways at 390 px;
- axe-core finds no WCAG 2.1 A/AA violation;
- a screenshot of each is saved in docs/screenshots/i18n/ (the viewport only, to keep
  the files small).
"""

import re
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

pytestmark = pytest.mark.browser

ROOT = Path(settings.BASE_DIR)
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots" / "i18n"
PAGES = {
    "home": "/",
    "city": "/cities/beijing/",
    "partnership": "/partnerships/1/",
    "search": "/search/?q=Tel+Aviv",
}
PREFIXES = {"en": "", "zh-hans": "/zh-hans", "he": "/he"}
CATALOGUES = {"zh-hans": "zh_Hans", "he": "he"}
WIDTHS = [1280, 390]

# Every string a reader sees: text nodes (outside scripts, styles and the map's
# licence notice, which names its licensors as they write it) and the attributes
# that are read out or shown.
VISIBLE_STRINGS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    const skipped = "script, style, noscript, .leaflet-control-attribution";
    if (!parent || parent.closest(skipped)) continue;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text) out.push(text);
  }
  for (const element of document.querySelectorAll(
      "[aria-label], [title], [placeholder], [alt], [data-label]")) {
    if (element.closest(".leaflet-control-attribution")) continue;
    for (const name of ["aria-label", "title", "placeholder", "alt", "data-label"]) {
      const value = (element.getAttribute(name) || "").trim();
      if (value) out.push(value);
    }
  }
  out.push(document.title);
  return out;
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary),
  }));
}"""

NOT_WORDS = re.compile(r"^[\W\d_]*$")


def stored_text() -> list[str]:
    """Every text value in the database: names, titles, quotes, summaries, codes."""
    values = []
    for app in ("cities", "partnerships"):
        for model in apps.get_app_config(app).get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
            ]
            for row in model.objects.values_list(*fields):
                values.extend(str(value) for value in row if value)
    return values


def same_in_translation(language: str) -> set[str]:
    """Messages whose translation is deliberately the msgid itself (e.g. "→" in Chinese)."""
    path = ROOT / "locale" / CATALOGUES[language] / "LC_MESSAGES" / "django.po"
    return {entry.msgid for entry in polib.pofile(str(path)) if entry.msgstr == entry.msgid}


def is_data(text: str, stored: list[str]) -> bool:
    # Punctuation around a stored value (", Deputy Mayor") does not make it a message.
    core = text.strip(" ,;:.()[]—–-“”\"'")
    return bool(NOT_WORDS.match(core)) or any(core in value for value in stored)


@pytest.fixture
def i18n_page(browser, live_server):
    contexts = []

    def open_page(width: int):
        # axe is injected as an inline script, which the site's CSP rightly refuses.
        context = browser.new_context(
            bypass_csp=True, viewport={"width": width, "height": 900 if width > 800 else 844}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(live_server.url)
                else route.abort()
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()


def visit(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_function(
        "!document.querySelector('[data-map]') || document.querySelector('.map--ready')"
    )
    return page.evaluate(VISIBLE_STRINGS)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_each_language_is_translated_accessible_and_laid_out(
    i18n_page, live_server, seeded, name, width
):
    stored = stored_text()
    page = i18n_page(width)
    english = visit(page, live_server.url + PAGES[name])
    english_strings = {text for text in english if not is_data(text, stored)}
    assert len(english_strings) > 20, english_strings  # the comparison has something to compare
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    for language, prefix in PREFIXES.items():
        strings = visit(page, live_server.url + prefix + PAGES[name])
        html = page.locator("html")
        direction = "rtl" if language == "he" else "ltr"
        assert html.get_attribute("dir") == direction
        assert html.get_attribute("lang") == language

        if language != "en":
            allowed = same_in_translation(language) | {n for _c, n in settings.LANGUAGES}
            untranslated = sorted(
                text for text in set(strings) & english_strings if text not in allowed
            )
            assert untranslated == [], f"{prefix}{PAGES[name]} at {width}px: {untranslated}"

        if language == "he":
            # Mirrored: the header starts at the right, the brand sits at the right edge.
            brand = page.locator(".brand").bounding_box()
            assert brand["x"] + brand["width"] > width * 0.6, brand
            start = page.evaluate(
                "getComputedStyle(document.querySelector('.site-header__inner')).direction"
            )
            assert start == "rtl"

        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        assert scroll_width <= width, f"{prefix}{PAGES[name]} is {scroll_width}px wide"

        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(AXE_RUN)
        assert violations == [], f"{prefix}{PAGES[name]} at {width}px: {violations}"

        page.screenshot(path=str(SCREENSHOTS / f"{name}-{language}-{width}.png"))


def test_the_map_controls_keep_their_corners_on_a_hebrew_page(i18n_page, live_server, seeded):
    page = i18n_page(1280)
    page.goto(live_server.url + "/he/partnerships/1/")
    canvas = page.locator("#link-map-canvas.map--ready")
    box = canvas.bounding_box()
    zoom = canvas.locator(".leaflet-control-zoom").bounding_box()
    attribution = canvas.locator(".leaflet-control-attribution").bounding_box()
    # Zoom top-left, attribution bottom-right, as on every map: no overlap.
    assert zoom["x"] - box["x"] < 30 and zoom["y"] - box["y"] < 30
    assert attribution["y"] > zoom["y"] + zoom["height"]
    assert canvas.locator(".leaflet-control-zoom-in").get_attribute("title") == "התקרבות"
