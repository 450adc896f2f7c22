r"""GET /api/v1/network/path/: the shortest chain of active links between two cities.

The known graph (countries in brackets):

    Aix(FR) -- Bonn(DE) -- Celle(DE) -- Poznan(PL)
       \___________________/
    Elba(IT) -- Fano(IT)       Gap(FR): no link       Aix -- Elba: ended
"""

import pytest
from django.urls import reverse

from partnerships import network
from tests.factories import PartnershipFactory
from tests.network_graphs import build_known_graph

URL = reverse("api:network-path")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process_memo():
    network.forget()


@pytest.fixture
def graph():
    return build_known_graph()


def test_it_gives_the_shortest_chain_in_order(api_client, graph):
    _, links = graph

    response = api_client.get(URL, {"from": "aix", "to": "poznan"})

    assert response.status_code == 200
    body = response.json()
    assert body["found"] is True
    assert body["hops"] == 2
    assert [c["slug"] for c in body["cities"]] == ["aix", "celle", "poznan"]
    assert [(link["from"], link["to"]) for link in body["links"]] == [
        ("aix", "celle"),
        ("celle", "poznan"),
    ]
    assert body["links"][0]["id"] == links[("aix", "celle")].pk
    assert body["links"][0]["url"].endswith(f"/api/v1/partnerships/{links[('aix', 'celle')].pk}/")
    assert body["cities"][1]["page_url"].endswith("/cities/celle/")
    assert body["message"] == "Aix reaches Poznan in 2 links."
    assert body["from"]["slug"] == "aix" and body["to"]["country"] == "PL"


def test_it_follows_links_whichever_side_a_city_was_stored_on(api_client, graph):
    response = api_client.get(URL, {"from": "poznan", "to": "aix"})

    assert [c["slug"] for c in response.json()["cities"]] == ["poznan", "celle", "aix"]


def test_no_chain_is_a_clear_answer_not_an_error(api_client, graph):
    response = api_client.get(URL, {"from": "aix", "to": "fano"})

    assert response.status_code == 200
    body = response.json()
    assert (body["found"], body["hops"], body["cities"], body["links"]) == (False, None, [], [])
    assert (
        body["message"] == "No chain of links connects Aix and Fano: they are in different groups."
    )


def test_an_ended_link_is_no_chain(api_client, graph):
    response = api_client.get(URL, {"from": "aix", "to": "elba"})

    assert response.json()["found"] is False


def test_a_city_with_no_link_reaches_only_itself(api_client, graph):
    assert api_client.get(URL, {"from": "gap", "to": "aix"}).json()["found"] is False
    itself = api_client.get(URL, {"from": "gap", "to": "gap"}).json()
    assert (itself["found"], itself["hops"], [c["slug"] for c in itself["cities"]]) == (
        True,
        0,
        ["gap"],
    )


def test_direct_partners_are_one_hop(api_client, graph):
    body = api_client.get(URL, {"from": "elba", "to": "fano"}).json()

    assert (body["hops"], body["message"]) == (1, "Elba and Fano are linked directly.")


def test_an_unknown_slug_is_a_400_naming_the_parameter(api_client, graph):
    response = api_client.get(URL, {"from": "aix", "to": "atlantis"})

    assert response.status_code == 400
    assert response.json() == {"to": ["No city has the slug 'atlantis'."]}


def test_a_missing_parameter_is_a_400(api_client, graph):
    response = api_client.get(URL, {"from": "aix"})

    assert response.status_code == 400
    assert response.json() == {"to": ["This field is required."]}


def test_an_unknown_parameter_is_a_400(api_client, graph):
    response = api_client.get(URL, {"from": "aix", "to": "bonn", "depth": "3"})

    assert response.status_code == 400
    assert "depth" in response.json()


def test_one_sided_links_are_marked_on_the_chain(api_client, graph):
    _, links = graph
    links[("elba", "fano")].one_sided = True
    links[("elba", "fano")].save()

    body = api_client.get(URL, {"from": "fano", "to": "elba"}).json()

    assert body["links"][0]["one_sided"] is True


@pytest.mark.parametrize("extra_links", [0, 40])
def test_it_answers_in_a_fixed_number_of_queries(
    api_client, graph, extra_links, django_assert_max_num_queries
):
    cities, _ = graph
    for _ in range(extra_links):
        PartnershipFactory(city_a=cities["poznan"])
    api_client.get(URL, {"from": "aix", "to": "poznan"})  # builds the graph

    # 1-2 the database fingerprint (links, cities), 3 the two slugs, 4 the cities on the chain
    with django_assert_max_num_queries(4):
        response = api_client.get(URL, {"from": "aix", "to": "poznan"})
    assert response.json()["hops"] == 2


def test_a_cold_start_adds_only_the_graph_load(api_client, graph, django_assert_max_num_queries):
    # the four above, plus 5 every active link, 6 every city's country
    with django_assert_max_num_queries(6):
        api_client.get(URL, {"from": "aix", "to": "poznan"})
