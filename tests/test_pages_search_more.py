"""Search: a "see all N" link when a group is cut at 20, "did you mean" for a near
miss; long partner lists folded by country; the admin index's order."""

import re

import pytest

from tests.factories import CityFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_group_cut_at_20_links_to_all_of_them(client):
    hub = CityFactory(name="Springfield", slug="springfield")
    for n in range(30):
        PartnershipFactory(city_a=hub, city_b=CityFactory(name=f"Springfield {n}", slug=f"sf-{n}"))
    html = client.get("/search/", {"q": "springfield"}).content.decode()
    assert '<a href="/cities/?q=springfield">See all 31 cities</a>' in html
    assert '<a href="/partnerships/?q=springfield">See all 30 partnerships</a>' in html
    # Those pages list them all (paginated), by the same search rule.
    assert "31 cities match." in client.get("/cities/", {"q": "springfield"}).content.decode()
    assert "30 links match." in client.get("/partnerships/", {"q": "springfield"}).content.decode()


def test_no_see_all_link_when_nothing_was_cut(client):
    CityFactory(name="Haifa", slug="haifa")
    html = client.get("/search/", {"q": "haifa"}).content.decode()
    assert "See all" not in html


def test_a_near_miss_gets_a_did_you_mean(client):
    CityFactory(name="Tel Aviv", slug="tel-aviv")
    CityFactory(name="Haifa", slug="haifa")
    html = client.get("/search/", {"q": "Tl Avv"}).content.decode()
    assert 'Did you mean <a href="/search/?q=Tel%20Aviv">Tel Aviv</a>?' in html
    hebrew = client.get("/he/search/", {"q": "Tl Avv"}).content.decode()
    assert 'האם התכוונתם ל־<a href="/he/search/?q=Tel%20Aviv">' in hebrew


def test_nothing_near_gets_no_suggestion(client):
    CityFactory(name="Tel Aviv", slug="tel-aviv")
    html = client.get("/search/", {"q": "qqqqxxxx"}).content.decode()
    assert "Did you mean" not in html
    # A city found: no suggestion either.
    assert "Did you mean" not in client.get("/search/", {"q": "tel aviv"}).content.decode()


def test_a_long_partner_list_is_folded_by_country_and_still_lists_every_partner(client):
    hub = CityFactory(name="Hub", slug="hub")
    for n in range(25):
        PartnershipFactory(city_a=hub, city_b=CityFactory(country="DE" if n < 15 else "JP"))
    html = client.get("/cities/hub/").content.decode()
    groups = re.findall(r"<summary>(\w+) <span class=\"count\">(\d+)</span></summary>", html)
    assert groups == [("Germany", "15"), ("Japan", "10")]
    assert html.count('data-label="Partner"') == 25
    assert html.count("<details") == 2


def test_a_short_partner_list_is_one_table(client):
    hub = CityFactory(name="Hub", slug="hub")
    for _ in range(3):
        PartnershipFactory(city_a=hub)
    html = client.get("/cities/hub/").content.decode()
    assert "<details" not in html and html.count('data-label="Partner"') == 3


def test_the_admin_index_lists_the_records_before_tokens_and_lockouts(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get("/admin/").content.decode()
    order = [
        html.index(f'id="app-{label}"')
        if f'id="app-{label}"' in html
        else html.index(f"/admin/{label}/")
        for label in ("partnerships", "cities", "authtoken", "axes")
    ]
    assert order == sorted(order)
    # Its URLs are the usual ones.
    for url in (
        "/admin/cities/city/",
        "/admin/partnerships/partnership/",
        "/admin/axes/accessattempt/",
    ):
        assert client.get(url).status_code == 200, url
