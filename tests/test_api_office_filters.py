"""Filters of /api/v1/liaison-offices/: organization, home_city, host_city, country, status."""

import pytest

from tests.factories import CityFactory, LiaisonOfficeFactory, OrganizationFactory

URL = "/api/v1/liaison-offices/"


@pytest.fixture
def offices(db):
    beijing = CityFactory(slug="beijing", country="CN")
    tel_aviv = CityFactory(slug="tel-aviv", country="IL")
    boston = CityFactory(slug="boston", country="US")
    z_park = OrganizationFactory(slug="z-park", city=beijing)
    other = OrganizationFactory(slug="other-park", city=boston)
    LiaisonOfficeFactory(slug="z-park-tel-aviv", organization=z_park, host_city=tel_aviv)
    LiaisonOfficeFactory(slug="z-park-boston", organization=z_park, host_city=boston, status="open")
    LiaisonOfficeFactory(slug="other-tel-aviv", organization=other, host_city=tel_aviv)


def slugs(api_client, **params):
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.json()
    return {row["slug"] for row in response.json()["results"]}


def rejected(api_client, field, **params):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_organization(api_client, offices):
    assert slugs(api_client, organization="z-park") == {"z-park-tel-aviv", "z-park-boston"}
    rejected(api_client, "organization", organization="nobody")


def test_home_city(api_client, offices):
    assert slugs(api_client, home_city="boston") == {"other-tel-aviv"}
    rejected(api_client, "home_city", home_city="nowhere")


def test_host_city(api_client, offices):
    assert slugs(api_client, host_city="tel-aviv") == {"z-park-tel-aviv", "other-tel-aviv"}
    rejected(api_client, "host_city", host_city="nowhere")


def test_country_of_home_or_host(api_client, offices):
    assert slugs(api_client, country="US") == {"z-park-boston", "other-tel-aviv"}
    assert slugs(api_client, country="IL") == {"z-park-tel-aviv", "other-tel-aviv"}
    rejected(api_client, "country", country="USA")


def test_status(api_client, offices):
    assert slugs(api_client, status="open") == {"z-park-boston"}
    rejected(api_client, "status", status="rumoured")
