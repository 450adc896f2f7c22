"""The OpenAPI schema validates with no warning and documents the filters; the
interactive docs load with no URL to another host (no CDN)."""

import re

import pytest
import yaml
from django.core.management import call_command


def test_the_schema_validates_with_no_warning(db, tmp_path):
    # Raises SchemaGenerationError on any warning, CommandError on an invalid schema.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


@pytest.fixture
def schema(api_client, db):
    response = api_client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"].get("parameters", [])}


def test_the_partnership_filters_are_documented(schema):
    documented = parameters(schema, "/api/v1/partnerships/")
    for name in [
        "city",
        "country",
        "kind",
        "status",
        "area",
        "started_after",
        "started_before",
        "search",
        "ordering",
        "page",
        "page_size",
        "format",
    ]:
        assert name in documented, name
    assert documented["kind"]["schema"]["enum"] == [
        "cooperation",
        "friendship",
        "partnership",
        "sister",
        "twin",
        "unstated",
        "",  # empty: the filter not given (tests/test_api_empty_params.py)
    ]
    assert "ISO 3166" in documented["country"]["description"]


def test_the_facets_and_partners_endpoints_are_documented(schema):
    assert "started_after" in parameters(schema, "/api/v1/partnerships/facets/")
    assert "page_size" not in parameters(schema, "/api/v1/partnerships/facets/")
    partners = schema["paths"]["/api/v1/cities/{slug}/partners/"]["get"]
    assert "PaginatedPartnerList" in str(partners["responses"]["200"])


def test_a_partnership_reads_cities_as_objects_and_writes_them_as_slugs(schema):
    components = schema["components"]["schemas"]
    read = components["Partnership"]["properties"]["city_a"]
    assert read["allOf"] == [{"$ref": "#/components/schemas/CitySummary"}]
    assert components["PartnershipRequest"]["properties"]["city_a"]["type"] == "string"


def test_the_docs_page_loads_with_no_external_url(api_client, db):
    response = api_client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert re.findall(r"https?://", html) == []
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page loads its scripts and styles"
    for asset in assets:
        assert asset.startswith(("/static/", "/api/v1/")), asset
        assert api_client.get(asset).status_code == 200 or asset.startswith("/static/")


def test_the_docs_start_up_script_is_local_too(api_client, db):
    html = api_client.get("/api/v1/docs/").content.decode()
    [script] = re.findall(r'src="(/api/v1/docs/[^"]*)"', html)
    body = api_client.get(script).content.decode()
    assert 'url: "/api/v1/schema/"' in body
    assert re.findall(r"https?://", body) == []


def test_the_swagger_assets_exist_in_static_files(db):
    from django.contrib.staticfiles import finders

    for name in ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"]:
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}"), name
