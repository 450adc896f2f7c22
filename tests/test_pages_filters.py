"""List filters, search and paging on the public pages return exactly the right rows."""

import re

import pytest
from django.urls import reverse

from partnerships.models import LiaisonOfficeStatus, PartnershipKind, PartnershipStatus
from public.views import PER_PAGE
from tests.factories import (
    CityFactory,
    CooperationAreaFactory,
    LiaisonOfficeFactory,
    OfficialFactory,
    OrganizationFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


def row_names(response) -> list[str]:
    """The first cell of each body row: what a reader scans down the list."""
    html = response.content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")] if "<tbody>" in html else ""
    cells = re.findall(r'<th scope="row"[^>]*>\s*<a [^>]*>(.*?)</a>', body, re.S)
    return [re.sub(r"\s+", " ", cell).strip() for cell in cells]


@pytest.fixture
def world():
    paris = CityFactory(name="Paris", slug="paris", country="FR")
    lyon = CityFactory(name="Lyon", slug="lyon", country="FR")
    rome = CityFactory(name="Rome", slug="rome", country="IT")
    kyoto = CityFactory(name="Kyoto", slug="kyoto", country="JP", native_name="京都")
    culture = CooperationAreaFactory(name="culture", slug="culture")
    economy = CooperationAreaFactory(name="economy", slug="economy")
    paris_rome = PartnershipFactory(city_a=paris, city_b=rome, kind=PartnershipKind.SISTER)
    paris_rome.areas.add(culture)
    lyon_kyoto = PartnershipFactory(
        city_a=lyon, city_b=kyoto, kind=PartnershipKind.TWIN, status=PartnershipStatus.ENDED
    )
    lyon_kyoto.areas.add(economy)
    PartnershipFactory(city_a=rome, city_b=kyoto, kind=PartnershipKind.FRIENDSHIP)
    return {"paris": paris, "lyon": lyon, "rome": rome, "kyoto": kyoto}


# ------------------------------------------------------------------ cities


def test_city_list_searches_by_name_and_native_name(client, world):
    url = reverse("public:city-list")
    assert row_names(client.get(url, {"q": "ro"})) == ["Rome"]
    assert row_names(client.get(url, {"q": "京"})) == ["Kyoto"]
    assert row_names(client.get(url)) == ["Kyoto", "Lyon", "Paris", "Rome"]


def test_city_list_filters_by_country(client, world):
    url = reverse("public:city-list")
    assert row_names(client.get(url, {"country": "FR"})) == ["Lyon", "Paris"]
    assert row_names(client.get(url, {"country": "FR", "q": "ly"})) == ["Lyon"]


def test_city_list_offers_only_countries_that_have_cities(client, world):
    html = client.get(reverse("public:city-list")).content.decode()
    assert '<option value="JP">Japan</option>' in html
    assert 'value="DE"' not in html


def test_filter_forms_show_the_chosen_values(client, world):
    html = client.get(reverse("public:city-list"), {"country": "FR"}).content.decode()
    assert '<option value="FR" selected>France</option>' in html
    assert '<option value="JP">Japan</option>' in html
    html = client.get(
        reverse("public:partnership-list"), {"country": "JP", "kind": "twin", "area": "economy"}
    ).content.decode()
    assert '<option value="JP" selected>Japan</option>' in html
    assert '<option value="twin" selected>twin cities</option>' in html
    assert '<option value="economy" selected>economy</option>' in html


def test_city_list_counts_links_on_both_sides(client, world):
    html = client.get(reverse("public:city-list"), {"q": "kyoto"}).content.decode()
    assert re.search(r'data-label="Links" class="num">2</td>', html)


def test_city_list_reports_an_unknown_country_instead_of_ignoring_it(client, world):
    response = client.get(reverse("public:city-list"), {"country": "XX"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "<tbody>" not in html


def test_city_list_pages_keep_the_filters(client, world):
    for n in range(PER_PAGE + 5):
        CityFactory(name=f"Frenchtown {n:03d}", slug=f"frenchtown-{n}", country="FR")
    url = reverse("public:city-list")
    first = client.get(url, {"country": "FR"})
    assert len(row_names(first)) == PER_PAGE
    assert 'href="?country=FR&amp;page=2"' in first.content.decode()
    second = client.get(url, {"country": "FR", "page": 2})
    assert len(row_names(second)) == PER_PAGE + 5 + 2 - PER_PAGE
    assert "Page 2 of 2" in second.content.decode()


# ------------------------------------------------------------------ partnerships


def partnership_rows(client, **params):
    return row_names(client.get(reverse("public:partnership-list"), params))


def test_partnership_list_filters_by_country_on_either_side(client, world):
    assert partnership_rows(client, country="JP") == ["Lyon – Kyoto", "Rome – Kyoto"]
    assert partnership_rows(client, country="FR") == ["Lyon – Kyoto", "Paris – Rome"]


def test_partnership_list_filters_by_kind(client, world):
    assert partnership_rows(client, kind="sister") == ["Paris – Rome"]


def test_partnership_list_filters_by_status(client, world):
    assert partnership_rows(client, status="ended") == ["Lyon – Kyoto"]


def test_partnership_list_filters_by_area(client, world):
    assert partnership_rows(client, area="culture") == ["Paris – Rome"]


def test_partnership_list_combines_filters(client, world):
    assert partnership_rows(client, country="JP", status="active") == ["Rome – Kyoto"]
    assert partnership_rows(client, country="FR", kind="friendship") == []


def test_partnership_list_reports_a_bad_filter_value(client, world):
    html = client.get(reverse("public:partnership-list"), {"kind": "enemy"}).content.decode()
    assert "Select a valid choice" in html
    assert "Please correct the filter above." in html


# ------------------------------------------------------------------ offices


def test_office_list_filters_by_status(client):
    LiaisonOfficeFactory(name="Open office", status=LiaisonOfficeStatus.OPEN)
    LiaisonOfficeFactory(name="Planned office", status=LiaisonOfficeStatus.ANNOUNCED)
    url = reverse("public:office-list")
    assert row_names(client.get(url, {"status": "open"})) == ["Open office"]
    assert sorted(row_names(client.get(url))) == ["Open office", "Planned office"]


# ------------------------------------------------------------------ search


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_search_finds_cities_links_offices_and_officials(client, world):
    org = OrganizationFactory(name="Kansai Science Hub", short_name="KSH", city=world["kyoto"])
    LiaisonOfficeFactory(name="KSH Paris desk", organization=org, host_city=world["paris"])
    OfficialFactory(name="Aiko Tanaka", title="Deputy Mayor", city=world["kyoto"])
    OfficialFactory(name="Marc Dubois", title="Mayor", city=world["lyon"])

    html = client.get(reverse("public:search"), {"q": "kyoto"}).content.decode()
    assert "Kyoto" in section(html, "r-cities") and "Rome" not in section(html, "r-cities")
    links = section(html, "r-links")
    assert "Lyon – Kyoto" in links and "Rome – Kyoto" in links and "Paris – Rome" not in links
    assert "KSH Paris desk" in section(html, "r-offices")
    officials = section(html, "r-officials")
    assert "Aiko Tanaka" in officials and "Marc Dubois" not in officials


def test_search_matches_officials_by_name_and_offices_by_organisation(client, world):
    org = OrganizationFactory(name="Kansai Science Hub", short_name="KSH", city=world["kyoto"])
    LiaisonOfficeFactory(name="Desk in Paris", organization=org, host_city=world["paris"])
    OfficialFactory(name="Aiko Tanaka", title="Deputy Mayor", city=world["kyoto"])
    html = client.get(reverse("public:search"), {"q": "tanaka"}).content.decode()
    assert "Aiko Tanaka" in section(html, "r-officials")
    assert "1 result for" in html
    html = client.get(reverse("public:search"), {"q": "KSH"}).content.decode()
    assert "Desk in Paris" in section(html, "r-offices")


def test_search_with_no_term_shows_only_the_form(client, world):
    html = client.get(reverse("public:search")).content.decode()
    assert 'id="r-cities"' not in html
    html = client.get(reverse("public:search"), {"q": "   "}).content.decode()
    assert "Type a name to search." in html


def test_search_with_no_match_says_so(client, world):
    html = client.get(reverse("public:search"), {"q": "Atlantis"}).content.decode()
    assert "0 results for “Atlantis”" in html
    assert "No city." in html
