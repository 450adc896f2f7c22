"""What every public page owes a reader whatever the data: staff text escaped, a title
and a description, landmarks, headings in order, a label for every field, friendly
error pages."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import path, reverse

from partnerships.models import LiaisonOffice, Official, Partnership
from tests.factories import (
    CityFactory,
    EventFactory,
    LiaisonOfficeFactory,
    OfficialFactory,
    OrganizationFactory,
    PartnershipFactory,
    QuoteFactory,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


class PageOutline(HTMLParser):
    """Collects what the checks below need from a page: tags, headings, labels, fields."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[int] = []
        self.title = ""
        self.description = None
        self.label_fors: set[str] = set()
        self.fields: list[dict] = []
        self.images_without_alt = 0
        self.script_bodies: list[str] = []
        self._in_title = False
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content")
        elif tag == "label" and attrs.get("for"):
            self.label_fors.add(attrs["for"])
        elif tag in {"input", "select", "textarea"} and attrs.get("type") != "hidden":
            self.fields.append(attrs)
        elif tag == "img" and not attrs.get("alt") and attrs.get("alt") != "":
            self.images_without_alt += 1
        elif tag == "script":
            self._script = attrs

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._script is not None and self._script.get("type") != "application/json":
            self.script_bodies.append(data)


def outline(response) -> PageOutline:
    parser = PageOutline()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def hostile():
    """Every staff-typed field a page shows, set to a script tag."""
    evil = CityFactory(
        name=SCRIPT, slug="evil", native_name=SCRIPT, region=SCRIPT, description=SCRIPT
    )
    good = CityFactory(name="Goodtown", slug="goodtown")
    link = PartnershipFactory(city_a=evil, city_b=good, description=SCRIPT)
    org = OrganizationFactory(name=SCRIPT, short_name=SCRIPT, city=evil, description=SCRIPT)
    office = LiaisonOfficeFactory(
        name=SCRIPT,
        slug="evil-office",
        organization=org,
        host_city=good,
        partnership=link,
        purpose=SCRIPT,
        description=SCRIPT,
    )
    official = OfficialFactory(name=SCRIPT, slug="evil-official", title=SCRIPT, city=evil)
    event = EventFactory(title=SCRIPT, summary=SCRIPT, partnership=link, liaison_office=office)
    event.participants.add(official)
    QuoteFactory(event=event, official=official, text=SCRIPT)
    return {"city": evil, "partner": good, "link": link, "office": office, "official": official}


def public_urls(data) -> list[str]:
    return [
        reverse("public:home"),
        reverse("public:city-list"),
        data["city"].get_absolute_url(),
        data["partner"].get_absolute_url(),  # the hostile name as a partner row
        reverse("public:partnership-list"),
        data["link"].get_absolute_url(),
        reverse("public:office-list"),
        data["office"].get_absolute_url(),
        data["official"].get_absolute_url(),
        reverse("public:search") + "?q=script",
        reverse("public:country-detail", kwargs={"code": data["city"].country.code.lower()}),
    ]


def test_staff_text_is_shown_escaped_on_every_page(client, hostile):
    for url in public_urls(hostile):
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert ESCAPED in html or "\\u003Cscript\\u003E" in html, url


def test_map_data_cannot_close_its_script_element(client, hostile):
    html = client.get(hostile["city"].get_absolute_url()).content.decode()
    # json_script writes < and > as \u003C and \u003E inside the JSON block.
    assert '"\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E"' in html


def test_a_search_term_is_escaped_where_it_is_echoed(client, db):
    html = client.get(reverse("public:search"), {"q": SCRIPT}).content.decode()
    assert SCRIPT not in html
    assert ESCAPED in html


def test_every_page_has_a_title_description_landmarks_and_ordered_headings(client, hostile):
    for url in public_urls(hostile) + [reverse("public:country-list"), "/no-such-page/"]:
        page = outline(client.get(url))
        assert page.title.strip().endswith("· City partnerships"), url
        assert len(page.title.strip()) > len("· City partnerships"), url
        assert page.description and len(page.description) > 30, url
        for landmark in ["header", "nav", "main", "footer"]:
            assert landmark in page.tags, (url, landmark)
        assert page.headings.count(1) == 1, url
        assert page.headings[0] == 1, url
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, (url, page.headings)
        for field in page.fields:
            assert field.get("id") in page.label_fors, (url, field)
        assert page.images_without_alt == 0, url
        assert not "".join(page.script_bodies).strip(), f"inline script on {url}"


def test_seed_pages_pass_the_same_checks(client, seed):
    urls = [
        "/",
        "/cities/tel-aviv/",
        Partnership.objects.get().get_absolute_url(),
        LiaisonOffice.objects.get().get_absolute_url(),
        Official.objects.get(slug="doron-sapir").get_absolute_url(),
    ]
    for url in urls:
        page = outline(client.get(url))
        assert page.headings[0] == 1 and page.headings.count(1) == 1, url
        assert page.description, url


def test_the_city_page_description_names_the_city(client, seed):
    page = outline(client.get("/cities/tel-aviv/"))
    assert page.title.startswith("Tel Aviv, Israel")
    assert "Tel Aviv (Israel): 1 partner city, 1 liaison office" in page.description


def test_an_unknown_page_gets_the_friendly_404(client, db):
    response = client.get("/cities/no-such-city/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'action="/search/"' in html


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", broken_view)]


@pytest.mark.urls(__name__)
def test_a_server_error_gets_the_friendly_500_without_the_database(db, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "<title>Something went wrong · City partnerships</title>" in html


def test_every_list_renders_with_an_empty_database(client, db):
    for url in ["/", "/cities/", "/partnerships/", "/offices/", "/search/?q=anything"]:
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get("/").content.decode()
    assert "No linked city has coordinates yet." in html
    assert "No events recorded yet." in html
