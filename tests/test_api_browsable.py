"""The browsable API (text/html) renders lists, details and their forms without error."""

import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/api/v1/partnerships/",
        "/api/v1/partnerships/1/",
        "/api/v1/cities/beijing/",
        "/api/v1/cities/beijing/partners/",
        "/api/v1/partnerships/facets/",
        "/api/v1/liaison-offices/zhongguancun-israeli-liaison-office/",
        "/api/v1/events/1/",
    ],
)
def test_pages_render_for_an_editor(client, seed, editor, path):
    client.force_login(editor)
    response = client.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_a_form_post_from_the_browsable_api_is_accepted(client, seed, editor):
    client.force_login(editor)
    response = client.post(
        "/api/v1/areas/",
        {"name": "sport", "slug": "sport", "csrfmiddlewaretoken": "token"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201, response.json()
