"""Concurrent API edits: detail responses carry an ETag; If-None-Match gives 304; a
PUT/PATCH/DELETE with a stale If-Match gives 412 and changes nothing."""

import pytest

from cities.models import City
from tests.factories import CityFactory, PartnershipFactory


@pytest.fixture
def city(db):
    return CityFactory(slug="haifa", name="Haifa", country="IL")


@pytest.fixture
def as_editor(api_client, editor):
    api_client.force_authenticate(editor)
    return api_client


def detail(slug="haifa"):
    return f"/api/v1/cities/{slug}/"


def test_a_detail_response_carries_a_stable_strong_etag(api_client, city):
    first, second = api_client.get(detail()), api_client.get(detail())

    assert first.status_code == 200
    assert first["ETag"].startswith('"') and first["ETag"] == second["ETag"]


def test_if_none_match_with_the_current_etag_is_a_304_without_a_body(api_client, city):
    etag = api_client.get(detail())["ETag"]

    response = api_client.get(detail(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_none_match_accepts_the_weak_form_and_a_list(api_client, city):
    etag = api_client.get(detail())["ETag"]

    assert api_client.get(detail(), HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304


def test_after_a_change_the_old_etag_gets_the_new_representation(api_client, city):
    etag = api_client.get(detail())["ETag"]
    City.objects.filter(pk=city.pk).update(population=285_000)

    response = api_client.get(detail(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response.json()["population"] == 285_000
    assert response["ETag"] != etag


def test_the_etag_changes_when_a_related_record_shown_inside_changes(api_client, db):
    link = PartnershipFactory()
    url = f"/api/v1/partnerships/{link.pk}/"
    etag = api_client.get(url)["ETag"]

    City.objects.filter(pk=link.city_a_id).update(name="Renamed")

    assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_patch_with_the_current_etag_succeeds_and_returns_the_next_etag(as_editor, city):
    etag = as_editor.get(detail())["ETag"]

    response = as_editor.patch(detail(), {"population": 285_000}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.json()
    assert response["ETag"] != etag
    assert response["ETag"] == as_editor.get(detail())["ETag"]


def test_a_patch_with_a_stale_etag_is_a_412_and_changes_nothing(as_editor, city):
    stale = as_editor.get(detail())["ETag"]
    as_editor.patch(detail(), {"population": 1}, format="json")  # someone else's edit
    history_before = city.history.count()

    response = as_editor.patch(
        detail(), {"population": 2, "name": "Mine"}, format="json", HTTP_IF_MATCH=stale
    )

    assert response.status_code == 412
    assert "changed since you fetched it" in response.json()["detail"]
    assert response["ETag"] == as_editor.get(detail())["ETag"]
    city.refresh_from_db()
    assert (city.population, city.name) == (1, "Haifa")
    assert city.history.count() == history_before


def test_a_put_with_a_stale_etag_is_a_412(as_editor, city):
    response = as_editor.get(detail())
    body = {k: v for k, v in response.json().items() if k in {"name", "slug", "country"}}

    stale = as_editor.put(detail(), body, format="json", HTTP_IF_MATCH='"not-the-etag"')

    assert stale.status_code == 412


def test_two_editors_holding_the_same_etag_cannot_both_win(api_client, editor, city):
    api_client.force_authenticate(editor)
    etag = api_client.get(detail())["ETag"]

    first = api_client.patch(detail(), {"region": "North"}, format="json", HTTP_IF_MATCH=etag)
    second = api_client.patch(detail(), {"region": "South"}, format="json", HTTP_IF_MATCH=etag)

    assert (first.status_code, second.status_code) == (200, 412)
    city.refresh_from_db()
    assert city.region == "North"


def test_a_delete_with_a_stale_etag_is_a_412_and_keeps_the_record(as_editor, city):
    stale = as_editor.get(detail())["ETag"]
    City.objects.filter(pk=city.pk).update(region="Changed")

    response = as_editor.delete(detail(), HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert City.objects.filter(pk=city.pk).exists()


def test_a_delete_with_the_current_etag_deletes(as_editor, city):
    etag = as_editor.get(detail())["ETag"]

    assert as_editor.delete(detail(), HTTP_IF_MATCH=etag).status_code == 204
    assert not City.objects.filter(pk=city.pk).exists()


def test_a_weak_etag_never_satisfies_if_match(as_editor, city):
    etag = as_editor.get(detail())["ETag"]

    response = as_editor.patch(detail(), {"region": "x"}, format="json", HTTP_IF_MATCH=f"W/{etag}")

    assert response.status_code == 412


def test_if_match_star_and_no_if_match_both_proceed(as_editor, city):
    assert (
        as_editor.patch(detail(), {"region": "a"}, format="json", HTTP_IF_MATCH="*").status_code
        == 200
    )
    assert as_editor.patch(detail(), {"region": "b"}, format="json").status_code == 200


def test_a_stale_if_match_from_an_anonymous_client_is_still_a_401(api_client, city):
    response = api_client.patch(detail(), {"region": "x"}, format="json", HTTP_IF_MATCH='"stale"')

    assert response.status_code == 401
    city.refresh_from_db()
    assert city.region == ""


def test_every_resource_detail_has_an_etag(api_client, seed):
    root = api_client.get("/api/v1/").json()
    for name, url in root.items():
        listing = api_client.get(url).json()
        if not isinstance(listing, dict) or not listing.get("results"):
            continue
        item_url = listing["results"][0]["url"]
        assert api_client.get(item_url).has_header("ETag"), name


def test_the_schema_documents_the_conditional_headers_and_codes(api_client, db):
    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operations = schema["paths"]["/api/v1/partnerships/{id}/"]

    assert "304" in operations["get"]["responses"]
    assert {"If-None-Match"} <= {p["name"] for p in operations["get"]["parameters"]}
    for method in ("put", "patch", "delete"):
        assert "412" in operations[method]["responses"], method
        assert "If-Match" in {p["name"] for p in operations[method]["parameters"]}, method
