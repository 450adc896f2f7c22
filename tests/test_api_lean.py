"""Lean reads (api/lean.py) answer exactly as the view does, or leave the request to it.

Each URL is asked three ways: the lean path, the view's fast path (API_LEAN_READS
off) and the serializers (`fast_reads = False`, the reference): status, body bytes
and every header but Date must be the same, with the ETag on. The odd requests
(a filter, a page past the end, a lower-case country, a signed-in client, HTML,
If-None-Match) must not be answered by the lean path at all, and still be answered
as the view answers them. Then the throttle (counted once, 429 from the view), the
query counts with 5 and with 200 rows, and the prepared statements themselves
(api/prepared.py) on this database.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from api import base, sqljson, throttling
from api.prepared import PreparedQuery
from cities.models import City
from partnerships import country_counts
from partnerships import models as m
from tests.factories import CityFactory, PartnershipFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _etags_on(settings):
    settings.API_ETAGS = True
    settings.API_LEAN_READS = True


@pytest.fixture
def world(db):
    haifa = CityFactory(name="Haifa", slug="haifa", country="IL", native_name="חיפה")
    shanghai = CityFactory(name="Shanghai", slug="shanghai", country="CN", native_name="上海")
    tiny = CityFactory(
        name="Near Null Island", slug="near-null-island", country="GH", latitude=0.00005
    )
    CityFactory(name="Nowhere", slug="nowhere", country="DE")
    others = [CityFactory(country=code) for code in ("FR", "DE", "DE", "US", "CN", "IL", "GH")]
    source = SourceFactory()
    links = [
        PartnershipFactory(
            city_a=haifa,
            city_b=shanghai,
            start_date=dt.date(1998, 6, 15),
            start_precision=m.Precision.DAY,
            description="Line one.\u2028Line two.",
        ),
        PartnershipFactory(city_a=tiny, city_b=haifa, one_sided=True),
    ]
    links += [PartnershipFactory(city_a=other, city_b=haifa) for other in others[:4]]
    links += [PartnershipFactory(city_a=other, city_b=shanghai) for other in others[4:]]
    links[0].sources.set([source])
    links[2].sources.set([source])
    return {"links": links}


LEAN_URLS = [
    "/api/v1/partnerships/",
    "/api/v1/partnerships/?page_size=3",
    "/api/v1/partnerships/?page_size=3&page=2",
    "/api/v1/partnerships/?page=2&page_size=3",
    "/api/v1/partnerships/?page_size=3&page=3",
    "/api/v1/partnerships/?country=IL",
    "/api/v1/partnerships/?country=DE&page_size=1&page=2",
    "/api/v1/partnerships/?country=GH",  # a coordinate below 1e-4: DRF's own writer
    "/api/v1/partnerships/?country=NZ",  # none: page 1 of nothing
    "/api/v1/cities/haifa/partners/",
    "/api/v1/cities/haifa/partners/?page_size=2",
    "/api/v1/cities/haifa/partners/?page_size=2&page=3",
    "/api/v1/cities/shanghai/partners/",
    "/api/v1/cities/nowhere/partners/",
    "/api/v1/cities/near-null-island/partners/",
]

# Requests the lean path leaves to the view (each still answered as the view does).
VIEW_URLS = [
    "/api/v1/partnerships/?country=il",
    "/api/v1/partnerships/?country=XX",
    "/api/v1/partnerships/?country=IL,CN",
    "/api/v1/partnerships/?country=IL&country=CN",
    "/api/v1/partnerships/?country=",
    "/api/v1/partnerships/?page=99",
    "/api/v1/partnerships/?page=0",
    "/api/v1/partnerships/?page=last",
    "/api/v1/partnerships/?page=01",
    "/api/v1/partnerships/?page_size=501",
    "/api/v1/partnerships/?page_size=0",
    "/api/v1/partnerships/?page_size=",
    "/api/v1/partnerships/?kind=twin",
    "/api/v1/partnerships/?fields=id",
    "/api/v1/partnerships/?lang=he",
    "/api/v1/partnerships/?format=json",
    "/api/v1/partnerships/?format=csv",
    "/api/v1/partnerships/?unknown=1",
    "/api/v1/cities/haifa/partners/?page=9",
    "/api/v1/cities/nowhere/partners/?page=2",  # a city without partners, past page 1
    "/api/v1/cities/haifa/partners/?country=CN",
    "/api/v1/cities/haifa/partners/?lang=zh-hans",
    "/api/v1/cities/no-such-city/partners/",
    "/api/v1/cities/haifa/partners/?format=csv",
]


def _ask(client, url, **headers):
    response = client.get(url, **headers)
    return response, {
        "status": response.status_code,
        "body": b"".join(response.streaming_content) if response.streaming else response.content,
        "headers": {k: v for k, v in response.headers.items() if k.lower() != "date"},
    }


def _three_ways(client, settings, monkeypatch, url, **headers):
    lean_response, lean = _ask(client, url, **headers)
    settings.API_LEAN_READS = False
    _, fast = _ask(client, url, **headers)
    monkeypatch.setattr(base.ApiViewSetMixin, "fast_reads", False)
    _, reference = _ask(client, url, **headers)
    monkeypatch.setattr(base.ApiViewSetMixin, "fast_reads", True)
    settings.API_LEAN_READS = True
    return lean_response, lean, fast, reference


@pytest.mark.parametrize("url", LEAN_URLS)
def test_lean_answers_are_the_view_s_bytes_and_headers(
    api_client, world, settings, monkeypatch, url
):
    response, lean, fast, reference = _three_ways(api_client, settings, monkeypatch, url)

    assert getattr(response, "lean_read", False), f"{url} was not answered by the lean path"
    assert reference["status"] == 200
    assert lean == reference
    assert fast == reference
    assert "ETag" in lean["headers"]


@pytest.mark.parametrize("url", VIEW_URLS)
def test_other_requests_are_left_to_the_view(api_client, world, settings, monkeypatch, url):
    response, lean, fast, reference = _three_ways(api_client, settings, monkeypatch, url)

    assert not getattr(response, "lean_read", False), url
    assert lean == fast
    assert lean["status"] == reference["status"]


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT": "text/html"},
        {"HTTP_ACCEPT": "text/csv"},
        {"HTTP_ACCEPT": "application/json; indent=4"},
        {"HTTP_IF_NONE_MATCH": "*"},
        {"HTTP_IF_NONE_MATCH": 'W/"nothing"'},
    ],
)
def test_other_accepts_and_conditional_requests_are_left_to_the_view(
    api_client, world, settings, monkeypatch, headers
):
    url = "/api/v1/cities/haifa/partners/"
    response, lean, fast, _ = _three_ways(api_client, settings, monkeypatch, url, **headers)

    assert not getattr(response, "lean_read", False)
    assert lean["status"] == fast["status"]
    content_type = lean["headers"].get("Content-Type", "")
    assert content_type == fast["headers"].get("Content-Type", "")
    if "html" not in content_type:  # a form holds a new CSRF token
        assert lean == fast


def test_a_json_accept_is_answered_lean(api_client, world, settings, monkeypatch):
    url = "/api/v1/partnerships/?country=IL"
    response, lean, _, reference = _three_ways(
        api_client, settings, monkeypatch, url, HTTP_ACCEPT="application/json"
    )
    assert response.lean_read
    assert lean == reference


def test_an_etag_from_the_lean_path_gets_the_view_s_304(api_client, world):
    url = "/api/v1/cities/haifa/partners/"
    first = api_client.get(url)
    again = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.lean_read
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_a_write_changes_the_lean_etag(api_client, world):
    url = "/api/v1/partnerships/?country=IL"
    before = api_client.get(url)
    PartnershipFactory(city_a=CityFactory(country="IL"), city_b=CityFactory(country="FR"))
    after = api_client.get(url)

    assert after.lean_read
    assert after["ETag"] != before["ETag"]
    assert after.json()["count"] == before.json()["count"] + 1


def test_signed_in_clients_are_answered_by_the_view(api_client, world, django_user_model):
    user = django_user_model.objects.create_user("reader", password="a-long-password-1")
    token = Token.objects.create(user=user)
    url = "/api/v1/cities/haifa/partners/"
    anonymous = api_client.get(url)

    by_token = api_client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}")
    api_client.force_authenticate(user)
    forced = api_client.get(url)
    api_client.force_authenticate(None)
    api_client.login(username="reader", password="a-long-password-1")
    by_session = api_client.get(url)

    assert anonymous.lean_read
    for response in (by_token, forced, by_session):
        assert response.status_code == 200
        assert not getattr(response, "lean_read", False)
        assert response["ETag"] != anonymous["ETag"]  # signed-in answers have their own
        assert response.content == anonymous.content


def test_a_lean_read_is_counted_once_and_the_429_comes_from_the_view(
    api_client, world, settings, monkeypatch
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    now = 1_000_000 * 60 + 10.0
    monkeypatch.setattr(throttling.time, "time", lambda: now)
    monkeypatch.setattr("api.lean.time.time", lambda: now)
    url = "/api/v1/cities/haifa/partners/"

    answered = [api_client.get(url) for _ in range(3)]
    refused = api_client.get(url)

    assert all(r.status_code == 200 and r.lean_read for r in answered)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    window = throttling.AnonWindowThrottle().anonymous_window(
        RequestFactory().get("/", REMOTE_ADDR="127.0.0.1"), now
    )
    assert cache.get(window.key) == 4  # one count per request, the refused one included


def test_with_the_lean_path_off_the_view_answers(api_client, world, settings):
    settings.API_LEAN_READS = False
    response = api_client.get("/api/v1/partnerships/?country=IL")

    assert response.status_code == 200
    assert not getattr(response, "lean_read", False)


# -- query counts, with 5 and with 200 rows ------------------------------------------


def _links(count, country="DE"):
    hub = CityFactory(country=country)
    for _ in range(count):
        PartnershipFactory(city_a=hub, city_b=CityFactory(country="FR"))
    return hub


@pytest.mark.parametrize("rows", [5, 200])
def test_lean_reads_take_the_same_queries_whatever_the_rows(api_client, rows):
    hub = _links(rows)
    # On PostgreSQL a page's rows, sources and areas are one statement that writes
    # their JSON (api/sqljson.py); elsewhere the rows, then their sources and areas.
    page = 1 if sqljson.supported() else 2
    counted = 1 if country_counts.supported(connection) else 2
    urls_and_counts = [
        # the page of partners with the count of all, the city found by its slug in it
        (f"/api/v1/cities/{hub.slug}/partners/?page_size=500", 1),
        # the page's ids with the count of all; the page
        ("/api/v1/partnerships/?country=DE&page_size=500", 1 + page),
        # the count and the page's ids (one statement on PostgreSQL, the count kept
        # by partnerships/country_counts.py); the page
        ("/api/v1/partnerships/?page_size=500", counted + page),
    ]
    for url, expected in urls_and_counts:
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(url)
        assert response.lean_read, url
        assert len(response.json()["results"]) == rows, url
        statements = [q["sql"] for q in queries.captured_queries]
        assert len(statements) == expected, (url, statements)


# -- prepared statements ----------------------------------------------------------------


def test_a_prepared_query_gives_what_the_queryset_gives(world):
    prepared = PreparedQuery(
        lambda slot: (
            m.Partnership.objects.filter(city_b__country=slot("country"))
            .order_by("pk")
            .values("id", "one_sided", "start_date", "created_at")
        ),
        text={"country"},
    )
    for code in ("GH", "FR", "NZ"):
        expected = list(
            m.Partnership.objects.filter(city_b__country=code)
            .order_by("pk")
            .values("id", "one_sided", "start_date", "created_at")
        )
        assert prepared.rows(country=code) == expected
        assert prepared.count(country=code) == len(expected)
    # Converted as the ORM converts them (SQLite stores 0/1 and text).
    row = prepared.rows(country="GH")[0]
    assert row["one_sided"] is True
    assert isinstance(row["created_at"], dt.datetime)


def test_a_prepared_query_expands_a_list_and_pages(world):
    ids = [link.pk for link in world["links"]]
    prepared = PreparedQuery(
        lambda slot: (
            m.Partnership.objects.filter(pk__in=slot("ids", many=True))
            .order_by("-pk")
            .values_list("pk")
        )
    )
    assert prepared.rows(ids=ids[:3], tuples=True) == [(pk,) for pk in sorted(ids[:3])[::-1]]
    assert prepared.rows(ids=ids, limit=2, offset=1, tuples=True) == [
        (pk,) for pk in sorted(ids)[::-1][1:3]
    ]
    assert prepared.rows(ids=[ids[0]], tuples=True) == [(ids[0],)]
    with pytest.raises(ValueError, match="at least one"):
        prepared.rows(ids=[])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's arrays")
def test_on_postgresql_a_list_is_one_array_parameter(world):
    prepared = PreparedQuery(
        lambda slot: (
            m.Partnership.objects.filter(pk__in=slot("ids", many=True))
            .order_by("pk")
            .values_list("pk")
        )
    )
    ids = sorted(link.pk for link in world["links"])
    sql, params = prepared.statement({"ids": ids})

    assert "= ANY(%s)" in sql and " IN (" not in sql
    assert params == ["{" + ",".join(map(str, ids)) + "}"]
    assert prepared.statement({"ids": ids[:1]})[0] == sql  # one statement for any length
    assert prepared.rows(ids=ids[1:4], tuples=True) == [(pk,) for pk in ids[1:4]]


def test_a_prepared_query_refuses_what_it_cannot_prepare(db):
    unused = PreparedQuery(lambda slot: City.objects.values_list("pk"))
    sliced = PreparedQuery(lambda slot: City.objects.filter(pk=slot("pk")).values_list("pk")[:5])
    missing = PreparedQuery(lambda slot: City.objects.filter(pk=slot("pk")).values_list("pk"))

    assert unused.rows(tuples=True) == []
    with pytest.raises(ValueError, match="not sliced"):
        sliced.rows(pk=1)
    with pytest.raises(TypeError, match="No value"):
        missing.rows()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's PREPARE")
def test_on_postgresql_a_statement_is_prepared_once_per_session(world):
    prepared = PreparedQuery(
        lambda slot: City.objects.filter(country=slot("c")).order_by("pk").values_list("slug"),
        text={"c"},
    )
    with CaptureQueriesContext(connection) as queries:
        first = prepared.rows(c="IL", tuples=True)
        second = prepared.rows(c="CN", tuples=True)
    sql = [q["sql"] for q in queries.captured_queries]

    assert first == list(City.objects.filter(country="IL").order_by("pk").values_list("slug"))
    assert second == list(City.objects.filter(country="CN").order_by("pk").values_list("slug"))
    # Prepared with the first EXECUTE in one round trip, then executed.
    assert len(sql) == 2
    assert sql[0].startswith("PREPARE") and "; EXECUTE" in sql[0]
    assert sql[1].startswith("EXECUTE")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'tw_%%'")
        assert cursor.fetchone()[0] >= 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's PREPARE")
def test_on_postgresql_a_new_session_prepares_again(world):
    prepared = PreparedQuery(
        lambda slot: City.objects.filter(slug=slot("s")).values_list("name"), text={"s"}
    )
    assert prepared.rows(s="haifa", tuples=True) == [("Haifa",)]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a new session would have none
    connection._prepared_statements = None
    assert prepared.rows(s="haifa", tuples=True) == [("Haifa",)]


def test_without_server_side_statements_the_sql_is_executed(world, settings):
    settings.DB_PREPARED_STATEMENTS = False
    prepared = PreparedQuery(
        lambda slot: City.objects.filter(slug=slot("s")).values_list("name"), text={"s"}
    )
    with CaptureQueriesContext(connection) as queries:
        assert prepared.rows(s="haifa", tuples=True) == [("Haifa",)]
    assert not any(q["sql"].startswith(("PREPARE", "EXECUTE")) for q in queries.captured_queries)


def test_keys_and_count_pages_by_the_key_and_counts_every_row(world):
    prepared = PreparedQuery(
        lambda slot: m.Partnership.objects.in_country([slot("c")]).order_by().values_list("pk"),
        text={"c"},
    )
    expected = sorted(m.Partnership.objects.in_country(["IL"]).values_list("pk", flat=True))

    assert prepared.keys_and_count(limit=3, c="IL") == (expected[:3], len(expected))
    assert prepared.keys_and_count(limit=3, offset=3, c="IL") == (expected[3:6], len(expected))
    assert prepared.keys_and_count(limit=3, offset=len(expected), c="IL") == ([], None)
    assert prepared.keys_and_count(limit=3, c="NZ") == ([], None)
