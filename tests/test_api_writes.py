"""Writes: anonymous 401, a `viewers` user 403, an `editors` user 201 (by session or by
token) with a history row naming the user; deleting a record others point at is a 409."""

import pytest
from rest_framework.authtoken.models import Token

from cities.models import City
from partnerships.models import Partnership, PartnershipArea
from tests.factories import CityFactory, PartnershipFactory

URL = "/api/v1/partnerships/"


@pytest.fixture
def two_cities(db):
    return CityFactory(slug="beijing", country="CN"), CityFactory(slug="tel-aviv", country="IL")


def new_link():
    return {"city_a": "beijing", "city_b": "tel-aviv", "kind": "twin", "start": "1998"}


def as_token(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api_client


def test_anonymous_write_is_a_401(api_client, two_cities):
    response = api_client.post(URL, new_link(), format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Partnership.objects.exists()


def test_viewer_write_is_a_403(api_client, two_cities, viewer):
    response = as_token(api_client, viewer).post(URL, new_link(), format="json")
    assert response.status_code == 403
    assert not Partnership.objects.exists()


def test_viewer_may_read(api_client, two_cities, viewer):
    assert as_token(api_client, viewer).get(URL).status_code == 200


def test_editor_creates_by_token_and_history_names_them(api_client, two_cities, editor):
    response = as_token(api_client, editor).post(URL, new_link(), format="json")
    assert response.status_code == 201, response.json()
    link = Partnership.objects.get()
    assert response.json()["url"] == f"http://testserver/api/v1/partnerships/{link.pk}/"
    assert (link.start_date.year, link.start_precision) == (1998, "year")
    [record] = link.history.all()
    assert record.history_type == "+"
    assert record.history_user == editor


def test_editor_creates_by_session(api_client, two_cities, editor):
    api_client.force_login(editor)
    response = api_client.post(URL, new_link(), format="json")
    assert response.status_code == 201, response.json()
    assert Partnership.objects.get().history.get().history_user == editor


def test_editor_updates_and_history_names_them(api_client, two_cities, editor):
    link = PartnershipFactory(city_a=two_cities[0], city_b=two_cities[1])
    response = as_token(api_client, editor).patch(
        f"{URL}{link.pk}/", {"status": "ended", "end": "2020-05"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["end"]) == ("ended", "2020-05")
    latest = link.history.latest()
    assert (latest.history_type, latest.history_user, latest.status) == ("~", editor, "ended")


def test_a_fetched_record_can_be_put_back(api_client, seed, editor):
    client = as_token(api_client, editor)
    record = client.get(f"{URL}1/").json()
    record["description"] = "Edited."
    response = client.put(f"{URL}1/", record, format="json")
    assert response.status_code == 200, response.json()
    assert Partnership.objects.get(pk=1).description == "Edited."
    assert response.json()["areas"] == record["areas"]


def test_areas_and_sources_are_written_by_slug_and_id(api_client, seed, editor):
    payload = {
        **new_link(),
        "kind": "cooperation",
        "areas": ["technology", "culture"],
        "sources": [1],
    }
    response = as_token(api_client, editor).post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    link = Partnership.objects.get(pk=response.json()["id"])
    assert sorted(link.areas.values_list("slug", flat=True)) == ["culture", "technology"]
    assert list(link.sources.values_list("pk", flat=True)) == [1]


def test_adding_and_removing_an_area_is_in_the_history_with_the_user(api_client, seed, editor):
    client = as_token(api_client, editor)
    before = sorted(Partnership.objects.get(pk=1).areas.values_list("slug", flat=True))
    after = [slug for slug in before if slug != "art"] + ["science"]

    response = client.patch(f"{URL}1/", {"areas": after}, format="json")

    assert response.status_code == 200, response.json()
    assert sorted(response.json()["areas"]) == sorted(after)
    history = PartnershipArea.history.filter(partnership_id=1)
    added = history.get(history_type="+", area__slug="science")
    removed = history.get(history_type="-", area__slug="art")
    assert added.history_user == removed.history_user == editor
    # The areas both lists share were left alone, not deleted and added again.
    assert not history.filter(area__slug="technology").exists()


def test_cities_given_in_either_order_are_stored_in_canonical_order(api_client, two_cities, editor):
    payload = {**new_link(), "city_a": "tel-aviv", "city_b": "beijing"}
    response = as_token(api_client, editor).post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["city_a"]["slug"], response.json()["city_b"]["slug"]) == (
        "beijing",
        "tel-aviv",
    )


def test_changing_one_side_to_a_lower_id_city_keeps_the_link_valid(api_client, db, editor):
    first, second, third = CityFactory(), CityFactory(), CityFactory()
    link = PartnershipFactory(city_a=second, city_b=third)
    response = as_token(api_client, editor).patch(
        f"{URL}{link.pk}/", {"city_b": first.slug}, format="json"
    )
    assert response.status_code == 200, response.json()
    link.refresh_from_db()
    assert (link.city_a, link.city_b) == (first, second)


def test_editor_deletes_a_link(api_client, two_cities, editor):
    link = PartnershipFactory(city_a=two_cities[0], city_b=two_cities[1])
    response = as_token(api_client, editor).delete(f"{URL}{link.pk}/")
    assert response.status_code == 204
    assert not Partnership.objects.exists()
    assert Partnership.history.latest().history_user == editor


def test_deleting_a_city_that_links_point_at_is_a_409(api_client, two_cities, editor):
    PartnershipFactory(city_a=two_cities[0], city_b=two_cities[1])
    response = as_token(api_client, editor).delete("/api/v1/cities/beijing/")
    assert response.status_code == 409
    assert "partnership" in response.json()["detail"]
    assert City.objects.filter(slug="beijing").exists()


def test_editor_creates_a_city(api_client, db, editor):
    payload = {"name": "Haifa", "slug": "haifa", "country": "IL", "latitude": 32.8, "longitude": 35}
    response = as_token(api_client, editor).post("/api/v1/cities/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["page_url"] == "http://testserver/cities/haifa/"
    assert City.objects.get(slug="haifa").history.get().history_user == editor


def test_an_update_shows_the_new_areas_not_the_ones_read_before(api_client, seed, editor):
    response = as_token(api_client, editor).patch(
        f"{URL}1/", {"areas": ["technology"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["areas"] == ["technology"]
    assert api_client.get(f"{URL}1/").json()["areas"] == ["technology"]
