"""GET /api/v1/network/stats/ on a small known graph (countries in brackets):

Aix(FR) -- Bonn(DE) -- Celle(DE) -- Poznan(PL)
   \\___________________/
Elba(IT) -- Fano(IT)       Gap(FR): no link       Aix -- Elba: ended
"""

import pytest
from django.urls import reverse

from partnerships import network
from tests.factories import PartnershipFactory
from tests.network_graphs import build_known_graph

URL = reverse("api:network-stats")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process_memo():
    network.forget()


@pytest.fixture
def graph():
    return build_known_graph()[0]


def test_it_counts_cities_and_active_links(api_client, graph):
    body = api_client.get(URL).json()

    assert (body["cities"], body["linked_cities"], body["links"]) == (7, 6, 5)
    assert body["domestic_links"] == 2  # Bonn–Celle (DE), Elba–Fano (IT)


def test_most_connected_cities_come_first(api_client, graph):
    top = api_client.get(URL).json()["most_connected"]

    assert [(c["slug"], c["links"]) for c in top[:3]] == [("celle", 3), ("aix", 2), ("bonn", 2)]
    assert top[0]["name"] == "Celle" and top[0]["country"] == "DE"


def test_country_pairs_count_links_between_different_countries(api_client, graph):
    pairs = api_client.get(URL).json()["country_pairs"]

    assert [([c["code"] for c in p["countries"]], p["links"]) for p in pairs] == [
        (["DE", "FR"], 2),
        (["DE", "PL"], 1),
    ]
    assert pairs[0]["countries"][0]["name"] == "Germany"


def test_groups_are_the_connected_parts_of_the_network(api_client, graph):
    groups = api_client.get(URL).json()["groups"]

    assert groups == {
        "count": 2,
        "largest_size": 4,
        "largest_countries": 3,
        "sizes": [4, 2],
        "unlinked_cities": 1,
    }


def test_countries_reach_each_other_through_chains_of_links(api_client, graph):
    countries = api_client.get(URL).json()["countries"]

    reach = {c["code"]: c["reachable_countries"] for c in countries["reachability"]}
    # France reaches Germany and Poland (Aix–Celle–Poznan); Italy's cities reach only Italy.
    assert reach == {"DE": 2, "FR": 2, "PL": 2, "IT": 0}
    assert (countries["count"], countries["reachable_pairs"], countries["possible_pairs"]) == (
        4,
        3,
        6,
    )


def test_an_empty_network_has_empty_answers(api_client, db):
    body = api_client.get(URL).json()

    assert body["links"] == 0
    assert body["most_connected"] == [] and body["country_pairs"] == []
    assert body["groups"]["count"] == 0 and body["groups"]["largest_size"] == 0


@pytest.mark.parametrize("extra_links", [0, 40])
def test_it_answers_in_a_fixed_number_of_queries(
    api_client, graph, extra_links, django_assert_max_num_queries
):
    for _ in range(extra_links):
        PartnershipFactory(city_a=graph["gap"])
    # 1-2 the database fingerprint, 3 active links, 4 cities' countries,
    # 5 names of the most connected cities
    with django_assert_max_num_queries(5):
        api_client.get(URL)
    # warm: the fingerprint only
    with django_assert_max_num_queries(2):
        api_client.get(URL)
