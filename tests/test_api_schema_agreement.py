"""What schemathesis (benchmarks/schemathesis_run.sh) found the schema and the API to
disagree on, each pinned: a method an address lacks is a 405 before any
authentication; request bodies refuse unknown fields and say so; limits of query
parameters (page sizes, NUL characters, search length, slugs, Wikidata IDs, data set
keys) are in the schema; 411 and the server's 414 are documented."""

import jsonschema
import pytest
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client, seed):
    return api_client.get("/api/v1/schema/", {"format": "json"}).json()


def parameter(schema, path, name):
    (found,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
    return found["schema"]


@pytest.mark.parametrize(
    "method, url",
    [
        ("put", "/api/v1/areas/"),
        ("delete", "/api/v1/cities/"),
        ("put", "/api/v1/cities/beijing/partners/"),
        ("post", "/api/v1/partnerships/facets/"),
    ],
)
def test_a_method_the_address_lacks_is_a_405_even_anonymous(api_client, seed, method, url):
    response = getattr(api_client, method)(url, {}, format="json")

    assert response.status_code == 405
    assert response["Allow"]


def test_a_method_the_address_has_still_asks_for_authentication(api_client, seed):
    assert api_client.post("/api/v1/areas/", {"name": "x"}, format="json").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_an_unknown_body_field_is_a_400_and_the_schema_says_so(api_client, seed, schema):
    editor = UserFactory(username="editor", groups=["editors"], is_staff=True)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")

    response = api_client.post(
        "/api/v1/areas/", {"name": "Water", "slug": "water", "colour": "blue"}, format="json"
    )

    assert response.status_code == 400
    assert "Unknown field" in response.json()["colour"][0]
    components = schema["components"]["schemas"]
    for name in ("AreaRequest", "PatchedPartnershipRequest", "CityWithPartnershipsRequest"):
        assert components[name]["additionalProperties"] is False, name


@pytest.mark.parametrize(
    "path, name, good, bad",
    [
        ("/api/v1/changes/", "page_size", 500, 501),
        ("/api/v1/changes/", "page_size", 1, 0),
        ("/api/v1/network/stats/", "limit", 500, 0),
        ("/api/v1/network/path/", "max_hops", 100, 101),
        ("/api/v1/network/path/", "from", "tel-aviv", ""),
        ("/api/v1/cities/", "wikidata_id", "Q956", "956"),
        ("/api/v1/cities/", "search", "北京", "x" * 201),
        ("/api/v1/cities/", "region", "Bavaria", "a\x00b"),
        ("/api/v1/partnerships/", "source", "wikidata-cities", "wikidata"),
    ],
)
def test_query_parameter_limits_are_in_the_schema(schema, api_client, path, name, good, bad):
    documented = parameter(schema, path, name)
    jsonschema.validate(good, documented)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, documented)


def test_the_bad_values_the_schema_refuses_are_400s(api_client, seed):
    assert api_client.get("/api/v1/changes/", {"page_size": 0}).status_code == 400
    assert api_client.get("/api/v1/network/stats/", {"limit": 0}).status_code == 400
    assert api_client.get("/api/v1/cities/", {"wikidata_id": "956"}).status_code == 400
    assert api_client.get("/api/v1/partnerships/", {"source": "wikidata"}).status_code == 400
    known = api_client.get("/api/v1/partnerships/", {"source": "hekman-wikipedia"})
    assert (known.status_code, known.json()["count"]) == (200, 0)


def test_411_and_414_are_documented(schema):
    patch = schema["paths"]["/api/v1/partnerships/{id}/"]["patch"]["responses"]
    get = schema["paths"]["/api/v1/cities/"]["get"]["responses"]
    assert "411" in patch and "411" not in get
    assert "64 KB" in get["414"]["description"]
    assert "content" not in get["414"]  # granian answers it with no body


def test_a_partnerships_geojson_feature_is_known_by_its_id(api_client, seed):
    response = api_client.get("/api/v1/partnerships/1/", {"format": "geojson"})

    assert response.status_code == 200
    assert response.json()["id"] == 1


@pytest.mark.parametrize("page", ["abc", "0", "-1", "last"])
def test_a_page_that_is_not_a_positive_number_is_a_404_on_exports_too(api_client, seed, page):
    for fmt in ("json", "csv", "ndjson"):
        response = api_client.get("/api/v1/sources/", {"page": page, "format": fmt})
        assert response.status_code == 404, (fmt, page)


@pytest.mark.django_db(transaction=True)
def test_an_object_where_a_list_belongs_is_a_400(api_client, seed):
    editor = UserFactory(username="editor", groups=["editors"], is_staff=True)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")

    response = api_client.post(
        "/api/v1/events/",
        {"date": "2018-04", "kind": "meeting", "title": "x", "sources": {}},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["sources"] == ["Expected a list of items, got an object."]


@pytest.mark.django_db(transaction=True)
def test_a_number_where_text_belongs_is_a_400_and_nothing_is_stored(api_client, seed):
    from partnerships.models import Event, Source

    editor = UserFactory(username="editor", groups=["editors"], is_staff=True)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    events, sources = Event.objects.count(), Source.objects.count()

    response = api_client.post(
        "/api/v1/events/",
        {"date": "2018-04", "kind": "meeting", "title": "0", "summary": 0},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["summary"] == ["Not a valid string."]

    response = api_client.post(
        "/api/v1/sources/",
        {"publisher": "0", "title": True, "note": 0, "source_url": "https://0.com"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"title", "note"}
    assert (Event.objects.count(), Source.objects.count()) == (events, sources)

    # the same text as a string is taken
    response = api_client.post(
        "/api/v1/events/",
        {"date": "2018-04", "kind": "meeting", "title": "0", "summary": "0"},
        format="json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.django_db(transaction=True)
def test_a_number_where_a_slug_belongs_is_a_400(api_client, seed):
    from tests.factories import CityFactory

    CityFactory(slug="0", name="Zero")
    editor = UserFactory(username="editor", groups=["editors"], is_staff=True)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")

    response = api_client.post(
        "/api/v1/events/",
        {"date": "2018-04", "kind": "meeting", "title": "x", "city": 0},
        format="json",
    )

    assert response.status_code == 400
    assert "city" in response.json()
