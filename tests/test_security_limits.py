"""Input limits: request bodies and search terms are capped before any view runs."""

import json


def test_it_refuses_a_json_body_over_the_limit_with_413(api_client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "x" * 2000})

    response = api_client.generic("POST", "/api/v1/", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {
        "detail": f"Request body too large: {len(body)} bytes; the limit is 1000."
    }


def test_the_default_body_limit_is_one_megabyte(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024


def test_it_refuses_an_overlong_api_search_term_naming_the_parameter(api_client, db):
    response = api_client.get("/api/v1/", {"search": "a" * 201})

    assert response.status_code == 400
    assert response.json() == {
        "search": ["Ensure this value has at most 200 characters (it has 201)."]
    }


def test_it_accepts_a_search_term_at_the_limit(api_client, db):
    assert api_client.get("/api/v1/", {"search": "a" * 200}).status_code == 200


def test_it_refuses_an_overlong_page_search_with_an_escaped_message(client, db):
    response = client.get("/", {"q": "<script>" * 40})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"at most 200 characters" in response.content
    assert b"<script>" not in response.content
