"""Every write is checked by the model's own rules (as in the admin), and bad input is a
400 or 415 with a message naming the field, never a 500."""

import pytest
from rest_framework.authtoken.models import Token

from partnerships.models import Partnership
from tests.factories import CityFactory, PartnershipFactory

URL = "/api/v1/partnerships/"


@pytest.fixture
def client(api_client, editor):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return api_client


@pytest.fixture
def cities(db):
    return CityFactory(slug="beijing"), CityFactory(slug="tel-aviv")


def post(client, payload, url=URL):
    return client.post(url, payload, format="json")


def test_a_reversed_duplicate_link_is_a_400_on_city_b(client, cities):
    PartnershipFactory(city_a=cities[0], city_b=cities[1], kind="twin")
    response = post(client, {"city_a": "tel-aviv", "city_b": "beijing", "kind": "twin"})
    assert response.status_code == 400
    assert "already have a twin cities link" in response.json()["city_b"][0]
    assert Partnership.objects.count() == 1


def test_the_same_pair_with_another_kind_is_allowed(client, cities):
    PartnershipFactory(city_a=cities[0], city_b=cities[1], kind="twin")
    response = post(client, {"city_a": "tel-aviv", "city_b": "beijing", "kind": "cooperation"})
    assert response.status_code == 201, response.json()


def test_a_self_link_is_a_400_on_city_b(client, cities):
    response = post(client, {"city_a": "beijing", "city_b": "beijing"})
    assert response.status_code == 400
    assert "A city cannot be linked to itself." in response.json()["city_b"]


def test_an_end_before_the_start_is_a_400_on_end(client, cities):
    response = post(
        client, {"city_a": "beijing", "city_b": "tel-aviv", "start": "2000", "end": "1999-12"}
    )
    assert response.status_code == 400
    assert response.json() == {"end": ["A link cannot end before it starts."]}


def test_an_update_that_ends_before_the_start_is_a_400(client, cities):
    link = PartnershipFactory(city_a=cities[0], city_b=cities[1])  # starts 1998
    response = client.patch(f"{URL}{link.pk}/", {"end": "1997"}, format="json")
    assert response.status_code == 400
    assert "end" in response.json()
    link.refresh_from_db()
    assert link.end_date is None


@pytest.mark.parametrize("bad", ["about 1998", "1998-13", "98", 1998, "1998-02-30"])
def test_a_date_that_is_not_reduced_iso_8601_is_a_400(client, cities, bad):
    response = post(client, {"city_a": "beijing", "city_b": "tel-aviv", "start": bad})
    assert response.status_code == 400
    assert "start" in response.json()


def test_dates_are_stored_at_the_precision_given(client, cities):
    response = post(client, {"city_a": "beijing", "city_b": "tel-aviv", "start": "2018-04"})
    assert response.json()["start"] == "2018-04"
    link = Partnership.objects.get()
    assert (str(link.start_date), link.start_precision) == ("2018-04-01", "month")


def test_an_unknown_city_is_a_400_naming_it(client, cities):
    response = post(client, {"city_a": "beijing", "city_b": "atlantis"})
    assert response.status_code == 400
    assert response.json()["city_b"] == ["No city has the slug “atlantis”."]


def test_an_unknown_kind_is_a_400(client, cities):
    response = post(client, {"city_a": "beijing", "city_b": "tel-aviv", "kind": "soulmates"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_an_unknown_field_is_a_400_naming_it(client, cities):
    response = post(client, {"city_a": "beijing", "city_b": "tel-aviv", "colour": "red"})
    assert response.status_code == 400
    assert "Unknown field" in response.json()["colour"][0]


def test_malformed_json_is_a_400(client, cities):
    response = client.post(URL, '{"city_a": "beijing",', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_body_that_is_not_an_object_is_a_400(client, cities):
    response = client.post(URL, "[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_a_wrong_content_type_is_a_415(client, cities):
    response = client.post(URL, "city_a=beijing", content_type="text/plain")
    assert response.status_code == 415
    assert "text/plain" in response.json()["detail"]


def test_a_city_outside_iso_3166_is_a_400(client, db):
    response = post(client, {"name": "X", "slug": "x", "country": "XY"}, "/api/v1/cities/")
    assert response.status_code == 400
    assert "country" in response.json()


def test_a_latitude_out_of_range_is_a_400(client, db):
    payload = {"name": "X", "slug": "x", "country": "FR", "latitude": 91}
    response = post(client, payload, "/api/v1/cities/")
    assert response.status_code == 400
    assert "latitude" in response.json()


def test_a_duplicate_wikidata_id_is_a_400_on_that_field(client, db):
    CityFactory(wikidata_id="Q956")
    payload = {"name": "X", "slug": "x", "country": "CN", "wikidata_id": "Q956"}
    response = post(client, payload, "/api/v1/cities/")
    assert response.status_code == 400
    assert "wikidata_id" in response.json()


def test_an_office_hosted_in_its_home_city_is_a_400(client, db):
    from tests.factories import OrganizationFactory

    park = OrganizationFactory(slug="z-park")
    payload = {
        "name": "Home office",
        "slug": "home",
        "organization": "z-park",
        "home_city": park.city.slug,
        "host_city": park.city.slug,
    }
    response = post(client, payload, "/api/v1/liaison-offices/")
    assert response.status_code == 400
    assert "host_city" in response.json()


def test_an_office_closing_before_it_opens_is_a_400_on_closed_on(client, db):
    from tests.factories import OrganizationFactory

    park = OrganizationFactory(slug="z-park")
    payload = {
        "name": "Office",
        "slug": "office",
        "organization": "z-park",
        "home_city": park.city.slug,
        "host_city": CityFactory().slug,
        "opened_on": "2019",
        "closed_on": "2018-06",
    }
    response = post(client, payload, "/api/v1/liaison-offices/")
    assert response.status_code == 400
    assert response.json() == {"closed_on": ["An office cannot close before it opens."]}
