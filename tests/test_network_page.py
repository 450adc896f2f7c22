"""The public Network page: figures, tables and the path finder, in names people type."""

import pytest
from django.urls import reverse

from partnerships import network
from tests.factories import CityFactory, PartnershipFactory

URL = reverse("public:network")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process_memo():
    network.forget()


@pytest.fixture
def graph():
    """Aix(FR) -- Bonn(DE) -- Celle(DE); two Londons; Elba(IT) -- Fano(IT)."""
    c = {
        slug: CityFactory(slug=slug, name=name, country=country)
        for slug, name, country in [
            ("aix", "Aix", "FR"),
            ("bonn", "Bonn", "DE"),
            ("celle", "Celle", "DE"),
            ("london", "London", "GB"),
            ("london-ca", "London", "CA"),
            ("elba", "Elba", "IT"),
            ("fano", "Fano", "IT"),
        ]
    }
    PartnershipFactory(city_a=c["aix"], city_b=c["bonn"])
    PartnershipFactory(city_a=c["bonn"], city_b=c["celle"], one_sided=True)
    PartnershipFactory(city_a=c["celle"], city_b=c["london"])
    PartnershipFactory(city_a=c["aix"], city_b=c["london-ca"])
    PartnershipFactory(city_a=c["elba"], city_b=c["fano"])
    return c


def test_it_shows_the_shape_of_the_network(client, graph):
    page = client.get(URL).content.decode()

    assert "The network of twin cities" in page
    assert "Most connected cities" in page
    assert ">Aix</a>" in page
    # Each country of a pair is linked to its page.
    fr, de = '<a href="/countries/fr/">France</a>', '<a href="/countries/de/">Germany</a>'
    assert f"{fr} – {de}" in page or f"{de} – {fr}" in page
    assert "Of the 10 pairs among the 5 countries with a linked city, 6 are joined." in page
    assert "Italy" in page  # cut off from the others


def test_the_path_finder_takes_names_or_slugs(client, graph):
    page = client.get(URL, {"from": "aix", "to": "Celle"}).content.decode()

    assert "Aix reaches Celle in 2 links." in page
    assert page.index(">Aix</a>") < page.index(">Bonn</a>") < page.index(">Celle</a>")
    assert "one-sided" in page  # Bonn–Celle is stated by one side only


def test_a_shared_name_asks_which_city_is_meant(client, graph):
    page = client.get(URL, {"from": "Aix", "to": "london"}).content.decode()
    assert "Aix reaches London in 3 links." in page  # the slug "london" is the GB one

    page = client.get(URL, {"from": "Aix", "to": "LONDON "}).content.decode()
    assert "Several cities are called “LONDON”" in page
    assert "london (United Kingdom)" in page and "london-ca (Canada)" in page


def test_it_says_so_when_no_chain_exists(client, graph):
    page = client.get(URL, {"from": "Elba", "to": "Aix"}).content.decode()

    assert "No chain of links connects Elba and Aix: they are in different groups." in page


def test_an_unknown_city_is_an_error_next_to_its_field(client, graph):
    response = client.get(URL, {"from": "Atlantis", "to": "Aix"})

    assert response.status_code == 200
    assert "No city is called “Atlantis”" in response.content.decode()


def test_the_page_follows_an_edit_at_once(client, graph):
    assert "No chain" in client.get(URL, {"from": "elba", "to": "aix"}).content.decode()

    PartnershipFactory(city_a=graph["fano"], city_b=graph["aix"])

    page = client.get(URL, {"from": "elba", "to": "aix"}).content.decode()
    assert "Elba reaches Aix in 2 links." in page


@pytest.mark.parametrize("extra_links", [0, 30])
def test_it_renders_in_a_fixed_number_of_queries(
    client, graph, extra_links, django_assert_max_num_queries
):
    for _ in range(extra_links):
        PartnershipFactory(city_a=graph["elba"])
    client.get(URL)  # builds the graph and the figures
    # 1-2 from / to by slug or name, 3-4 the database fingerprint,
    # 5 the cities on the chain, 6-7 fingerprint again for the figures
    with django_assert_max_num_queries(7):
        response = client.get(URL, {"from": "aix", "to": "celle"})
    assert response.status_code == 200
