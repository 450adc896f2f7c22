"""Anonymous API reads come from the cache until any edit; then the next read is fresh.

The cache is on in production (Redis); here it is switched on over local memory,
which is right for one process.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import CityFactory, CooperationAreaFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.API_RESPONSE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city():
    return CityFactory(slug="aix", name="Aix", country="FR")


def city_url(slug="aix"):
    return reverse("api:city-detail", kwargs={"slug": slug})


def test_a_repeated_anonymous_read_is_answered_from_the_cache(
    api_client, city, django_assert_num_queries
):
    first = api_client.get(city_url())
    assert first["X-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = api_client.get(city_url())

    assert second["X-Cache"] == "hit"
    assert second.json() == first.json()
    assert second["Content-Type"] == first["Content-Type"]


def test_an_edit_through_the_orm_is_seen_by_the_next_read(api_client, city):
    api_client.get(city_url())

    city.name = "Aix-en-Provence"
    city.save()

    response = api_client.get(city_url())
    assert response["X-Cache"] == "miss"
    assert response.json()["name"] == "Aix-en-Provence"


def test_an_edit_through_the_api_is_seen_by_the_next_anonymous_read(api_client, editor, city):
    other = CityFactory(slug="bonn", country="DE")
    url = reverse("api:partnership-list")
    assert api_client.get(url).json()["count"] == 0

    api_client.force_authenticate(editor)
    created = api_client.post(
        url, {"city_a": "aix", "city_b": "bonn", "kind": "twin", "status": "active"}, format="json"
    )
    assert created.status_code == 201, created.content
    api_client.force_authenticate(None)

    assert api_client.get(url).json()["count"] == 1
    assert other.slug == "bonn"


def test_a_many_to_many_change_is_seen(api_client, city):
    link = PartnershipFactory(city_a=city)
    url = reverse("api:partnership-detail", kwargs={"pk": link.pk})
    assert api_client.get(url).json()["areas"] == []

    link.areas.add(CooperationAreaFactory(slug="culture", name="culture"))

    assert api_client.get(url).json()["areas"] == ["culture"]


def test_a_delete_is_seen(api_client, city):
    link = PartnershipFactory(city_a=city)
    url = reverse("api:partnership-list")
    assert api_client.get(url).json()["count"] == 1

    link.delete()

    assert api_client.get(url).json()["count"] == 0


def test_the_import_drops_the_cached_answers(api_client, city, django_capture_on_commit_callbacks):
    from pathlib import Path

    from partnerships.importing import DataFiles, run_import

    url = reverse("api:city-list")
    assert api_client.get(url).json()["count"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        run_import(files=DataFiles.under(Path(__file__).parent / "data" / "twin-cities"))

    assert api_client.get(url).json()["count"] == 50


def test_signed_in_reads_are_never_cached(api_client, editor, city):
    api_client.force_login(editor)

    api_client.get(city_url())
    response = api_client.get(city_url())

    assert "X-Cache" not in response


def test_reads_with_a_token_are_never_cached(api_client, city):
    response = api_client.get(city_url(), HTTP_AUTHORIZATION="Token nothing-valid")

    assert "X-Cache" not in response


def test_errors_and_exports_are_never_cached(api_client, city):
    api_client.get(city_url("nowhere"))
    assert "X-Cache" not in api_client.get(city_url("nowhere"))

    api_client.get(reverse("api:city-list"), {"format": "csv"})
    assert "X-Cache" not in api_client.get(reverse("api:city-list"), {"format": "csv"})


def test_the_query_string_and_accept_header_are_part_of_the_key(api_client, city):
    CityFactory(slug="bonn", country="DE")
    url = reverse("api:city-list")

    assert api_client.get(url, {"country": "FR"}).json()["count"] == 1
    assert api_client.get(url, {"country": "DE"}).json()["count"] == 1
    assert api_client.get(url).json()["count"] == 2
    html = api_client.get(url, HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")
    assert "X-Cache" not in html


def test_hits_still_count_against_the_throttle(api_client, city, settings):
    rates = {"anon": "3/min", "user": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    replies = [api_client.get(city_url()) for _ in range(4)]

    assert [r.status_code for r in replies] == [200, 200, 200, 429]
    assert replies[1]["X-Cache"] == replies[2]["X-Cache"] == "hit"
    assert 1 <= int(replies[3]["Retry-After"]) <= 60


def test_a_miss_passed_to_the_view_is_counted_once(api_client, city, settings):
    rates = {"anon": "2/min", "user": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    # Two different URLs: both misses, both run the view; a third is over the rate.
    first = api_client.get(city_url())
    second = api_client.get(reverse("api:city-list"))
    third = api_client.get(city_url())

    assert [first["X-Cache"], second["X-Cache"]] == ["miss", "miss"]
    assert third.status_code == 429


def test_it_is_off_when_switched_off(api_client, city, settings):
    settings.API_RESPONSE_CACHE = False

    api_client.get(city_url())

    assert "X-Cache" not in api_client.get(city_url())


def test_a_hit_carries_the_headers_of_the_original_answer(api_client, city):
    first = api_client.get(city_url())
    hit = api_client.get(city_url())

    assert hit["X-Cache"] == "hit"
    for name in ("Content-Type", "Vary", "Allow", "X-Frame-Options", "Content-Security-Policy"):
        assert hit.get(name) == first.get(name), name
    assert "Set-Cookie" not in hit


def test_a_conditional_read_that_matches_nothing_is_answered_from_the_cache(api_client, city):
    first = api_client.get(city_url())

    response = api_client.get(city_url(), HTTP_IF_NONE_MATCH='"anything"')

    assert response.status_code == 200
    assert response["X-Cache"] == "hit"
    assert response.json() == first.json()


def test_a_detail_s_etag_is_answered_304_from_the_cache(
    api_client, city, django_assert_num_queries
):
    etag = api_client.get(city_url())["ETag"]

    with django_assert_num_queries(0):
        response = api_client.get(city_url(), HTTP_IF_NONE_MATCH=f'"other", W/{etag}')

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_a_list_s_etag_is_answered_304_from_the_cache(
    api_client, city, settings, django_assert_num_queries
):
    settings.API_ETAGS = True
    url = reverse("api:city-list")
    etag = api_client.get(url)["ETag"]

    with django_assert_num_queries(0):
        response = api_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert "Accept" in response["Vary"] and "Cookie" in response["Vary"]
