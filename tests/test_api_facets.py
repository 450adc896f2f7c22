"""GET /api/v1/partnerships/facets/: counts by kind, status, country and decade of start
for the filtered links, checked against a known set."""

import datetime as dt

import pytest

from tests.factories import CityFactory, PartnershipFactory

URL = "/api/v1/partnerships/facets/"


@pytest.fixture
def links(db):
    beijing = CityFactory(country="CN")
    shanghai = CityFactory(country="CN")
    tel_aviv = CityFactory(country="IL")
    haifa = CityFactory(country="IL")
    paris = CityFactory(country="FR")

    def link(a, b, kind, status, year):
        start = dt.date(year, 1, 1) if year else None
        PartnershipFactory(city_a=a, city_b=b, kind=kind, status=status, start_date=start)

    link(beijing, tel_aviv, "twin", "active", 1998)
    link(shanghai, haifa, "sister", "active", 1993)
    link(paris, haifa, "twin", "ended", 2005)
    link(beijing, shanghai, "cooperation", "proposed", None)  # both sides in China
    link(tel_aviv, haifa, "friendship", "active", 2011)  # both sides in Israel


def counts(facet):
    return {row["value"]: row["count"] for row in facet if row["count"]}


def test_counts_of_every_link(api_client, links):
    body = api_client.get(URL).json()
    assert body["count"] == 5
    assert counts(body["kind"]) == {"twin": 2, "sister": 1, "cooperation": 1, "friendship": 1}
    assert counts(body["status"]) == {"active": 3, "ended": 1, "proposed": 1}
    # A link within one country counts once for it.
    assert counts(body["country"]) == {"CN": 3, "IL": 4, "FR": 1}
    assert [(row["label"], row["count"]) for row in body["start_decade"]] == [
        ("1990s", 2),
        ("2000s", 1),
        ("2010s", 1),
        ("unknown", 1),
    ]


def test_every_kind_and_status_is_listed_with_zeros(api_client, links):
    body = api_client.get(URL).json()
    assert [row["value"] for row in body["kind"]] == [
        "twin",
        "sister",
        "friendship",
        "partnership",
        "cooperation",
        "unstated",
    ]
    assert {row["value"]: row["count"] for row in body["status"]}["suspended"] == 0
    assert body["country"][0] == {"value": "IL", "label": "Israel", "count": 4}


def test_facets_take_the_list_filters(api_client, links):
    body = api_client.get(URL, {"country": "IL", "status": "active"}).json()
    assert body["count"] == 3
    assert counts(body["kind"]) == {"twin": 1, "sister": 1, "friendship": 1}
    assert counts(body["country"]) == {"IL": 3, "CN": 2}


def test_bad_filter_value_is_a_400(api_client, links):
    response = api_client.get(URL, {"started_after": "abc"})
    assert response.status_code == 400
    assert "started_after" in response.json()
