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


# --- text lengths -------------------------------------------------------------------


def test_every_text_field_of_every_model_has_a_length_limit():
    from django.apps import apps
    from django.db import models

    unlimited = [
        f"{model._meta.label}.{field.name}"
        for app in ("cities", "partnerships")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField) and not field.max_length
    ]

    assert unlimited == []


def test_a_ten_thousand_character_city_name_is_a_400_naming_the_field(api_client, editor):
    api_client.force_authenticate(editor)

    response = api_client.post(
        "/api/v1/cities/",
        {"name": "x" * 10_000, "slug": "long", "country": "IL"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"name": ["Ensure this field has no more than 200 characters."]}


def test_every_writable_text_field_of_the_api_refuses_one_character_too_many(
    api_client, seed, editor
):
    from rest_framework import serializers as drf

    from config.api import router

    api_client.force_authenticate(editor)
    checked = 0
    for prefix, viewset, _ in router.registry:
        detail = api_client.get(f"/api/v1/{prefix}/").json()["results"][0]["url"]
        for name, field in viewset.serializer_class().fields.items():
            if field.read_only or not isinstance(field, drf.CharField) or not field.max_length:
                continue
            too_long = "é" * (field.max_length + 1)  # characters, not bytes

            response = api_client.patch(detail, {name: too_long}, format="json")

            assert response.status_code == 400, (prefix, name, response.status_code)
            assert name in response.json(), (prefix, name, response.json())
            checked += 1
    assert checked >= 20  # every resource's names, titles, descriptions...
