"""Records written as JSON by PostgreSQL (api/sqljson.py, partnerships/api/fast_sql.py)
are the bytes the Python record makers write, on the texts, numbers and dates most
likely to be written differently: escapes, U+2028, whole and tiny coordinates,
partial dates, datetimes with and without microseconds, areas sorted by name in code
point order, several sources, none, and a slug that needs percent-encoding (left to
Python). Each URL is asked with API_SQL_JSON on and off; on a database other than
PostgreSQL the setting changes nothing (the portable fallback), and the lean reads'
own tests (test_api_lean.py) hold either path to the view's bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from api import sqljson
from cities.models import City
from partnerships import models as m
from tests.factories import (
    CityFactory,
    CooperationAreaFactory,
    PartnershipFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database writes JSON on PostgreSQL only"
)

ODD_TEXT = 'Quote " back \\ slash / tab\tnew\nline \x01\x1f\x7f \u2028\u2029 ✓ 😀 חיפה 北京'


@pytest.fixture
def odd_world(db):
    hub = CityFactory(
        name=ODD_TEXT,
        slug="hub",
        country="IL",
        native_name='עיר "ציטוט"',
        latitude=Decimal("48.000000"),
        longitude=Decimal("-0.000015"),
    )
    unplaced = CityFactory(slug="a_b-c", country="DE", latitude=None, longitude=None)
    whole = CityFactory(country="DE", latitude=Decimal("0"), longitude=Decimal("-180"))
    far = CityFactory(country="US", latitude=Decimal("-89.999999"), longitude=Decimal("179.5"))
    first = SourceFactory(publisher='Gazette "A"', title=ODD_TEXT, url="", published_on=None)
    second = SourceFactory(url="https://example.org/a?b=c&d=\u00e9")
    areas = [
        CooperationAreaFactory(name="Zoo", slug="a-zoo"),
        CooperationAreaFactory(name="Ärzte", slug="b-aerzte"),
        CooperationAreaFactory(name="art", slug="c-art"),
        CooperationAreaFactory(name="Art", slug="d-art"),
    ]
    links = [
        PartnershipFactory(
            city_a=hub,
            city_b=unplaced,
            start_date=dt.date(950, 1, 1),
            start_precision=m.Precision.YEAR,
            start_is_approximate=True,
            end_date=dt.date(2001, 7, 1),
            end_precision=m.Precision.MONTH,
            description=ODD_TEXT,
        ),
        PartnershipFactory(
            city_a=whole,
            city_b=hub,
            start_date=dt.date(1998, 6, 15),
            start_precision=m.Precision.DAY,
            one_sided=True,
        ),
        PartnershipFactory(city_a=far, city_b=hub, kind=m.Partnership.Kind.FRIENDSHIP),
        PartnershipFactory(city_a=far, city_b=whole),
    ]
    links[0].sources.set([second, first])
    links[1].sources.set([first])
    links[0].areas.set(areas)
    links[2].areas.set(areas[1:2])
    # A stored time with no microseconds: Python writes no fraction.
    m.Partnership.objects.filter(pk=links[1].pk).update(
        created_at=dt.datetime(2020, 2, 29, 23, 59, 59, tzinfo=dt.UTC)
    )
    return {"hub": hub, "links": links, "whole": whole}


URLS = [
    "/api/v1/partnerships/",
    "/api/v1/partnerships/?page_size=2&page=2",
    "/api/v1/partnerships/?country=IL",
    "/api/v1/partnerships/?country=DE",
    "/api/v1/partnerships/?country=US&page_size=1",
    "/api/v1/cities/hub/partners/",
    "/api/v1/cities/hub/partners/?page_size=1&page=2",
    "/api/v1/cities/a_b-c/partners/",
]


def _answer(client, url):
    response = client.get(url)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "date"}
    return response, (response.status_code, response.content, headers)


@pytest.mark.parametrize("url", URLS)
def test_the_database_writes_the_python_records_bytes(api_client, odd_world, settings, url):
    settings.API_SQL_JSON = True
    expected = sqljson.supported()
    written, by_database = _answer(api_client, url)
    settings.API_SQL_JSON = False
    _, by_python = _answer(api_client, url)

    assert written.status_code == 200
    assert written.lean_read
    assert by_database == by_python
    assert getattr(written, "written_by_database", False) == expected
    json.loads(written.content)  # and it is JSON


def test_odd_text_comes_back_as_stored(api_client, odd_world):
    body = api_client.get("/api/v1/partnerships/?country=IL").json()
    link = next(r for r in body["results"] if r["id"] == odd_world["links"][0].pk)

    assert link["description"] == ODD_TEXT
    assert link["city_a"]["name"] == ODD_TEXT
    assert link["start"] == "0950"
    assert link["end"] == "2001-07"
    assert link["areas"] == ["d-art", "a-zoo", "c-art", "b-aerzte"]  # Art, Zoo, art, Ärzte
    assert [s["id"] for s in link["sources"]] == sorted(s["id"] for s in link["sources"])
    assert b"\\u2028" in api_client.get("/api/v1/partnerships/?country=IL").content


@on_postgresql
def test_a_slug_to_percent_encode_is_left_to_python(api_client, odd_world, settings):
    City.objects.filter(pk=odd_world["whole"].pk).update(slug="são-paulo")
    settings.API_SQL_JSON = True
    for url in ("/api/v1/partnerships/?country=DE", "/api/v1/cities/hub/partners/"):
        written, by_database = _answer(api_client, url)
        settings.API_SQL_JSON = False
        _, by_python = _answer(api_client, url)
        settings.API_SQL_JSON = True

        assert written.lean_read
        assert not getattr(written, "written_by_database", False), url
        assert by_database == by_python
        assert "s%C3%A3o-paulo" in written.content.decode()


@on_postgresql
def test_the_database_writes_nothing_outside_utc(api_client, odd_world, settings):
    settings.TIME_ZONE = "Asia/Jerusalem"
    response = api_client.get("/api/v1/partnerships/?country=IL")

    assert response.lean_read
    assert not getattr(response, "written_by_database", False)


def test_other_databases_keep_the_python_records(settings):
    settings.API_SQL_JSON = True
    assert sqljson.supported() == (connection.vendor == "postgresql")
    settings.API_SQL_JSON = False
    assert not sqljson.supported()


_COORDINATES = st.decimals(
    min_value=Decimal("-90"), max_value=Decimal("90"), places=6, allow_nan=False
)


@on_postgresql
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    latitude=_COORDINATES,
    name=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    stamp=st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2200, 1, 1)),
)
def test_values_are_written_as_python_writes_them(db, latitude, name, stamp):
    stamp = stamp.replace(tzinfo=dt.UTC)
    city = CityFactory(latitude=latitude, name=name[:200] or "x")
    City.objects.filter(pk=city.pk).update(created_at=stamp)
    row = (
        City.objects.filter(pk=city.pk)
        .values_list(
            sqljson.json_float(F("latitude")),
            sqljson.json_value(F("name")),
            sqljson.json_datetime(F("created_at")),
        )
        .get()
    )
    city.refresh_from_db()
    text = stamp.isoformat().replace("+00:00", "Z")

    assert row[0] == json.dumps(float(city.latitude))
    assert row[1] == json.dumps(city.name, ensure_ascii=False)
    assert row[2] == json.dumps(text)


def test_each_host_gets_its_own_addresses_and_a_bad_host_none(api_client, odd_world, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    url = "/api/v1/cities/hub/partners/"
    first = api_client.get(url).json()["results"][0]["city"]["url"]
    mirrored = api_client.get(url, HTTP_HOST="mirror.example").json()["results"][0]["city"]
    secure = api_client.get(url, secure=True).json()["results"][0]["city"]["url"]
    refused = api_client.get(url, HTTP_HOST="evil.example")

    assert first.startswith("http://testserver/api/v1/cities/")
    assert mirrored["url"].startswith("http://mirror.example/api/v1/cities/")
    assert mirrored["page_url"].startswith("http://mirror.example/cities/")
    assert secure.startswith("https://testserver/")
    assert refused.status_code == 400
