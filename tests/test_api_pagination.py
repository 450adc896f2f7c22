"""Lists are paginated (count, next, previous, results); page_size goes up to 500 and a
value outside 1..500 is a 400, not silently capped."""

import pytest

from tests.factories import CityFactory, SourceFactory

URL = "/api/v1/sources/"


@pytest.fixture
def sources(db):
    SourceFactory.create_batch(7)


def test_a_page_has_count_next_previous_results(api_client, sources):
    body = api_client.get(URL, {"page_size": 3, "page": 2}).json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 7
    assert len(body["results"]) == 3
    assert body["next"] == "http://testserver/api/v1/sources/?page=3&page_size=3"
    assert body["previous"] == "http://testserver/api/v1/sources/?page_size=3"


def test_page_size_500_is_allowed(api_client, sources):
    assert len(api_client.get(URL, {"page_size": 500}).json()["results"]) == 7


@pytest.mark.parametrize("bad", ["501", "0", "-5", "ten", "2.5"])
def test_page_size_outside_1_to_500_is_a_400(api_client, sources, bad):
    response = api_client.get(URL, {"page_size": bad})
    assert response.status_code == 400
    assert "500" in response.json()["page_size"][0]


def test_a_page_past_the_end_is_a_404(api_client, sources):
    assert api_client.get(URL, {"page": 99}).status_code == 404


def test_walking_the_pages_of_tied_names_gives_every_row_once(api_client, db):
    # Many cities share a name (Springfield): the name alone leaves ties to the database.
    expected = {CityFactory(name="Springfield", country="US").slug for _ in range(130)}

    seen, url = [], "/api/v1/cities/?country=US&page_size=20"
    while url:
        body = api_client.get(url).json()
        seen += [row["slug"] for row in body["results"]]
        url = body["next"]

    assert sorted(seen) == sorted(expected)


def test_a_repeated_filter_is_a_400_not_the_last_value_silently(api_client, db):
    response = api_client.get("/api/v1/partnerships/?kind=bogus&kind=twin")
    assert response.status_code == 400
    assert response.json()["kind"] == ["Give this parameter once."]


def test_the_schema_states_the_page_size_limits(api_client, db):
    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    parameters = {
        p["name"]: p["schema"]
        for p in schema.json()["paths"]["/api/v1/cities/"]["get"]["parameters"]
    }

    assert parameters["page_size"]["anyOf"][0] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 500,
        "default": 50,
    }
    # An empty page_size is the parameter not given (api/schema.py).
    assert parameters["page_size"]["anyOf"][1] == {"type": "string", "maxLength": 0}
    assert parameters["page"]["anyOf"][0]["minimum"] == 1
