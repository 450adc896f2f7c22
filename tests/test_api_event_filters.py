"""Filters of /api/v1/events/: city, partnership, kind, date_after, date_before."""

import datetime as dt

import pytest

from partnerships.models import Precision
from tests.factories import CityFactory, EventFactory, PartnershipFactory

URL = "/api/v1/events/"


@pytest.fixture
def events(db):
    beijing = CityFactory(slug="beijing")
    tel_aviv = CityFactory(slug="tel-aviv")
    link = PartnershipFactory(city_a=beijing, city_b=tel_aviv)
    meeting = EventFactory(
        title="meeting",
        kind="meeting",
        city=beijing,
        partnership=link,
        date=dt.date(2018, 4, 1),
        date_precision=Precision.MONTH,
    )
    visit = EventFactory(
        title="visit",
        kind="delegation_visit",
        city=tel_aviv,
        date=dt.date(2019, 6, 2),
        date_precision=Precision.DAY,
    )
    agreement = EventFactory(
        title="agreement",
        kind="agreement",
        partnership=link,
        date=dt.date(1998, 1, 1),
        date_precision=Precision.YEAR,
    )
    return {"link": link.pk, "meeting": meeting.pk, "visit": visit.pk, "agreement": agreement.pk}


def titles(api_client, **params):
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.json()
    return {row["title"] for row in response.json()["results"]}


def rejected(api_client, field, **params):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_city(api_client, events):
    assert titles(api_client, city="tel-aviv") == {"visit"}
    rejected(api_client, "city", city="atlantis")


def test_partnership(api_client, events):
    assert titles(api_client, partnership=events["link"]) == {"meeting", "agreement"}
    rejected(api_client, "partnership", partnership=999999)
    rejected(api_client, "partnership", partnership="first")


def test_kind(api_client, events):
    assert titles(api_client, kind="agreement") == {"agreement"}
    rejected(api_client, "kind", kind="party")


def test_date_after(api_client, events):
    assert titles(api_client, date_after="2018-04") == {"meeting", "visit"}
    assert titles(api_client, date_after="2019") == {"visit"}
    rejected(api_client, "date_after", date_after="April 2018")


def test_date_before(api_client, events):
    assert titles(api_client, date_before="2018") == {"meeting", "agreement"}
    assert titles(api_client, date_before="2018-03") == {"agreement"}
    rejected(api_client, "date_before", date_before="2018-00")


def test_dates_are_read_back_at_their_precision(api_client, events):
    rows = api_client.get(URL, {"ordering": "date"}).json()["results"]
    assert {row["title"]: row["date"] for row in rows} == {
        "agreement": "1998",
        "meeting": "2018-04",
        "visit": "2019-06-02",
    }
