"""An empty query parameter is the parameter not given, as the schema says: for every
optional parameter of every read, `?name=` answers what the request without it
answers, and the parameter's schema accepts the empty string (so schemathesis finds
no schema/behaviour mismatch). The browsable API's filter form, which sends every
blank field, works."""

import jsonschema
import pytest

pytestmark = pytest.mark.django_db

# Required parameters of the reads that have some.
REQUIRED = {"/api/v1/network/path/": {"from": "beijing", "to": "tel-aviv"}}
PATH_VALUES = {"{slug}": "beijing", "{id}": "1"}


@pytest.fixture
def schema(api_client, seed):
    return api_client.get("/api/v1/schema/", {"format": "json"}).json()


def optional_query_parameters(schema):
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if not operation:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and not parameter.get("required"):
                yield path, parameter


def resolved(schema, parameter_schema):
    return {**parameter_schema, "components": schema["components"]}


def test_every_optional_query_parameter_documents_the_empty_value(schema):
    checked = 0
    for path, parameter in optional_query_parameters(schema):
        value = [""] if parameter["schema"].get("type") == "array" else ""
        jsonschema.validate(value, resolved(schema, parameter["schema"]))
        assert "Empty is the parameter not given." in parameter["description"], (path, parameter)
        checked += 1
    assert checked > 100


def test_the_documented_values_are_still_checked(schema):
    kind = next(
        p
        for path, p in optional_query_parameters(schema)
        if path == "/api/v1/partnerships/" and p["name"] == "kind"
    )
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("bogus", kind["schema"])
    started = next(
        p
        for path, p in optional_query_parameters(schema)
        if path == "/api/v1/partnerships/" and p["name"] == "started_before"
    )
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("%", started["schema"])


def test_an_empty_parameter_answers_as_if_it_were_not_given(api_client, schema):
    tried = 0
    for path, parameter in optional_query_parameters(schema):
        url = path
        for placeholder, value in PATH_VALUES.items():
            url = url.replace(placeholder, value)
        if "{" in url:
            continue
        base = REQUIRED.get(path, {})
        without = api_client.get(url, base, HTTP_ACCEPT="application/json")
        empty = api_client.get(url, {**base, parameter["name"]: ""}, HTTP_ACCEPT="application/json")
        assert empty.status_code == without.status_code, (url, parameter["name"], empty.content)
        if without["Content-Type"].startswith("application/json"):
            assert empty.json() == without.json(), (url, parameter["name"])
        tried += 1
    assert tried > 100


@pytest.mark.parametrize(
    "query",
    [
        "?kind=&status=&started_before=&format=",
        "?country=&kind=&status=&started_after=&started_before=&search=&page_size=",
    ],
)
def test_the_browsable_filter_form_with_blank_fields_works(api_client, seed, query):
    response = api_client.get(f"/api/v1/partnerships/{query}", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert b"Beijing" in response.content


@pytest.mark.parametrize(
    "query, name",
    [("?kind=bogus", "kind"), ("?started_before=%25", "started_before"), ("?lang=xx", "lang")],
)
def test_a_wrong_nonempty_value_is_still_a_400_naming_it(api_client, seed, query, name):
    response = api_client.get(f"/api/v1/partnerships/{query}")

    assert response.status_code == 400
    assert name in response.json()


def test_a_wrong_language_is_a_400_on_a_read_that_names_no_city(api_client, seed):
    response = api_client.get("/api/v1/areas/?lang=xx")

    assert response.status_code == 400
    assert "Unknown language 'xx'" in response.json()["lang"][0]
