"""ETags from the data version on every list-like API answer (api/etags.py): lists,
exports, facets, partners, network stats and paths carry one; If-None-Match naming it
is a 304 before any query; a write changes it; weak and strong tags, lists of tags
and "*" are compared as RFC 9110 says; anonymous and signed-in answers never share
an ETag, and say so in Vary."""

import pytest
from django.urls import reverse

from cities.models import City
from tests.factories import CityFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def etags_on(settings):
    settings.API_ETAGS = True


@pytest.fixture
def links(db):
    beijing = CityFactory(slug="beijing", name="Beijing", country="CN")
    tel_aviv = CityFactory(slug="tel-aviv", name="Tel Aviv", country="IL")
    paris = CityFactory(slug="paris", name="Paris", country="FR")
    return [
        PartnershipFactory(city_a=beijing, city_b=tel_aviv),
        PartnershipFactory(city_a=tel_aviv, city_b=paris),
    ]


LIST_LIKE = [
    "/api/v1/cities/",
    "/api/v1/cities/?country=CN&page_size=5",
    "/api/v1/cities/?format=csv",
    "/api/v1/cities/?format=ndjson",
    "/api/v1/cities/?lang=zh-hans",
    "/api/v1/partnerships/",
    "/api/v1/partnerships/?country=IL&page_size=100",
    "/api/v1/partnerships/?format=csv",
    "/api/v1/partnerships/?format=geojson",
    "/api/v1/partnerships/?format=ndjson",
    "/api/v1/partnerships/facets/",
    "/api/v1/partnerships/facets/?format=csv",
    "/api/v1/cities/tel-aviv/partners/",
    "/api/v1/cities/tel-aviv/partners/?format=csv",
    "/api/v1/cities/tel-aviv/partners/?format=geojson",
    "/api/v1/liaison-offices/",
    "/api/v1/officials/?format=csv",
    "/api/v1/organizations/",
    "/api/v1/events/",
    "/api/v1/sources/",
    "/api/v1/areas/",
    "/api/v1/network/stats/",
    "/api/v1/network/stats/?format=csv",
    "/api/v1/network/path/?from=beijing&to=paris",
]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("url", LIST_LIKE)
def test_every_list_like_answer_has_an_etag_and_answers_304_without_a_query(
    api_client, links, url, django_assert_num_queries
):
    first = api_client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('W/"')
    assert {"Accept", "Authorization", "Cookie"} <= {v.strip() for v in first["Vary"].split(",")}
    body(first)

    with django_assert_num_queries(0):
        again = api_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    assert "Cookie" in again["Vary"]


@pytest.mark.parametrize("url", LIST_LIKE)
def test_after_a_write_the_old_etag_gets_a_200_with_a_new_etag(api_client, links, url):
    etag = api_client.get(url)["ETag"]

    City.objects.filter(slug="paris").update(population=2_100_000)  # no signal
    from common.data_version import bump_data_version

    bump_data_version()  # as the import and restore do after such a write
    response = api_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_write_through_the_api_changes_the_lists_etag(api_client, editor, links):
    url = reverse("api:partnership-list")
    etag = api_client.get(url)["ETag"]

    api_client.force_authenticate(editor)
    patched = api_client.patch(
        reverse("api:city-detail", kwargs={"slug": "paris"}), {"region": "IDF"}, format="json"
    )
    assert patched.status_code == 200
    api_client.force_authenticate(None)

    response = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_save_through_the_orm_changes_it(api_client, links):
    url = "/api/v1/cities/"
    etag = api_client.get(url)["ETag"]

    city = City.objects.get(slug="paris")
    city.region = "Île-de-France"
    city.save()

    assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_etag_depends_on_the_query_and_the_accept_header(api_client, links):
    url = "/api/v1/partnerships/"
    plain = api_client.get(url)["ETag"]
    filtered = api_client.get(url, {"country": "IL"})["ETag"]
    as_csv = api_client.get(url, {"format": "csv"})["ETag"]
    as_geojson = api_client.get(url, HTTP_ACCEPT="application/geo+json")["ETag"]

    assert len({plain, filtered, as_csv, as_geojson}) == 4
    assert api_client.get(url, {"country": "IL"}, HTTP_IF_NONE_MATCH=plain).status_code == 200
    assert api_client.get(url, HTTP_ACCEPT="text/csv", HTTP_IF_NONE_MATCH=plain).status_code == 200


@pytest.mark.parametrize(
    "header, expected",
    [
        ("{strong}", 304),
        ("{weak}", 304),  # If-None-Match compares weakly: W/"x" matches "x"
        ('"nope", {weak}', 304),
        ('W/"nope",{weak} , "other"', 304),
        ('"a,b", {weak}', 304),  # a tag may hold a comma
        ('"nope"', 200),
        ('W/"nope", "other"', 200),
        ("*", 304),
        ("{weak_bare}", 200),  # malformed (no quotes): matches nothing
        ("garbage, {weak}", 200),  # a malformed list matches nothing
    ],
)
def test_if_none_match_is_compared_as_rfc_9110_says(api_client, links, header, expected):
    url = "/api/v1/cities/"
    weak = api_client.get(url)["ETag"]
    strong = weak.removeprefix("W/")
    header = header.format(weak=weak, strong=strong, weak_bare=strong.strip('"'))

    assert api_client.get(url, HTTP_IF_NONE_MATCH=header).status_code == expected


def test_star_never_turns_an_error_into_a_304(api_client, links):
    assert (
        api_client.get("/api/v1/cities/nowhere/partners/", HTTP_IF_NONE_MATCH="*").status_code
        == 404
    )
    assert api_client.get("/api/v1/cities/?contry=IL", HTTP_IF_NONE_MATCH="*").status_code == 400
    assert api_client.get("/api/v1/cities/?format=csv", HTTP_IF_NONE_MATCH="*").status_code == 304


def test_an_error_carries_no_etag(api_client, links):
    assert not api_client.get("/api/v1/cities/?contry=IL").has_header("ETag")
    assert not api_client.get("/api/v1/cities/nowhere/partners/").has_header("ETag")


def test_anonymous_and_signed_in_answers_never_share_an_etag(api_client, editor, viewer, links):
    url = "/api/v1/partnerships/"
    anonymous = api_client.get(url)["ETag"]
    api_client.force_authenticate(editor)
    as_editor = api_client.get(url)["ETag"]

    assert as_editor != anonymous
    assert api_client.get(url, HTTP_IF_NONE_MATCH=anonymous).status_code == 200
    assert api_client.get(url, HTTP_IF_NONE_MATCH=as_editor).status_code == 304

    api_client.force_authenticate(viewer)
    assert api_client.get(url, HTTP_IF_NONE_MATCH=as_editor).status_code == 200
    api_client.force_authenticate(None)
    assert api_client.get(url, HTTP_IF_NONE_MATCH=as_editor).status_code == 200


def test_a_304_still_counts_against_the_rate(api_client, links, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/hour", "user": "3/hour"},
    }
    url = "/api/v1/areas/"
    etag = api_client.get(url)["ETag"]

    statuses = [api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code for _ in range(3)]

    assert statuses == [304, 304, 429]


def test_the_browsable_api_gets_no_etag(api_client, links):
    response = api_client.get("/api/v1/cities/", HTTP_ACCEPT="text/html")

    assert response["Content-Type"].startswith("text/html")
    assert not response.has_header("ETag")


def test_details_keep_their_record_etag(api_client, links):
    response = api_client.get("/api/v1/cities/paris/")

    assert response["ETag"].startswith('"')  # strong: If-Match compares it


def test_off_without_a_shared_cache_by_default(api_client, links, settings):
    settings.API_ETAGS = None  # the default: on only with Redis

    assert not api_client.get("/api/v1/cities/").has_header("ETag")


@pytest.mark.parametrize("rows", [5, 200])
def test_a_304_runs_no_query_and_a_200_as_many_as_before(
    api_client, rows, django_assert_num_queries, django_assert_max_num_queries, settings
):
    # The view's own answers each time: a conditional request is never a lean read,
    # which takes fewer statements on PostgreSQL (test_api_lean.py pins those).
    settings.API_LEAN_READS = False
    a = CityFactory(slug="hub", country="DE")
    for n in range(rows):
        PartnershipFactory(city_a=a, city_b=CityFactory(slug=f"c{n}", country="FR"))
    url = "/api/v1/partnerships/?page_size=100"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as plain:
        etag = api_client.get(url)["ETag"]
    with django_assert_num_queries(0):
        assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_assert_max_num_queries(len(plain.captured_queries)):
        assert api_client.get(url, HTTP_IF_NONE_MATCH='"old"').status_code == 200


def test_the_schema_documents_the_list_etags(api_client, db):
    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/partnerships/",
        "/api/v1/partnerships/facets/",
        "/api/v1/cities/{slug}/partners/",
        "/api/v1/network/stats/",
    ):
        get = schema["paths"][path]["get"]
        assert "304" in get["responses"], path
        assert "If-None-Match" in {p["name"] for p in get["parameters"]}, path
        assert "ETag" in get["responses"]["200"].get("headers", {}), path
    changes = schema["paths"]["/api/v1/changes/"]["get"]
    assert "304" not in changes["responses"]
