"""The API's rate limits (api/throttling.py): a fixed-window counter per client in the
cache, 429 with the seconds to the window's end, the window reset, signed-in users
counted by user; the counter itself on local memory and on Redis."""

import secrets

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.urls import reverse

from api import throttling
from api.throttling import AnonWindowThrottle, Window, parse_rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(anon="3/minute", user="5/minute"):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
        }

    return set_rates


@pytest.fixture
def clock(monkeypatch):
    """api.throttling's time, set by the test."""
    now = {"t": 1_000_000 * 60 + 10.0}  # ten seconds into a minute
    monkeypatch.setattr(throttling.time, "time", lambda: now["t"])
    return now


URL = "/api/v1/areas/"


@pytest.mark.parametrize(
    "rate, expected",
    [("600/minute", (600, 60)), ("5/s", (5, 1)), ("10/hour", (10, 3600)), ("1/day", (1, 86400))],
)
def test_rates_read_as_drf_writes_them(rate, expected):
    assert parse_rate(rate) == expected


def test_over_the_rate_is_a_429_with_the_seconds_to_the_window_s_end(api_client, rates, clock):
    rates(anon="3/minute")

    statuses = [api_client.get(URL).status_code for _ in range(3)]
    refused = api_client.get(URL)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert "Expected available in 50 seconds" in refused.json()["detail"]


def test_the_window_resets(api_client, rates, clock):
    rates(anon="2/minute")
    assert [api_client.get(URL).status_code for _ in range(3)] == [200, 200, 429]

    clock["t"] += 50  # the next minute
    assert [api_client.get(URL).status_code for _ in range(3)] == [200, 200, 429]


def test_another_address_has_its_own_allowance(api_client, rates, clock):
    rates(anon="1/minute")

    assert api_client.get(URL, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert api_client.get(URL, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert api_client.get(URL, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_a_signed_in_user_counts_against_the_user_rate_by_user(api_client, editor, rates, clock):
    rates(anon="1/minute", user="3/minute")
    api_client.force_authenticate(editor)

    statuses = [api_client.get(URL, REMOTE_ADDR=f"192.0.2.{n}").status_code for n in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_the_cost_does_not_grow_with_the_limit_one_integer_per_window(api_client, rates, clock):
    from django.core.cache import cache

    rates(anon="100000/minute")
    for _ in range(20):
        api_client.get(URL)

    request = RequestFactory().get(URL, REMOTE_ADDR="127.0.0.1")
    window = AnonWindowThrottle().anonymous_window(request, clock["t"])
    assert cache.get(window.key) == 20


@pytest.fixture
def redis_cache(settings):
    """common.cache's Redis backend on a key prefix of this test's own."""
    try:
        import redis

        redis.Redis(socket_connect_timeout=1).ping()
    except Exception:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    prefix = f"tw_throttle_unit_{secrets.token_hex(4)}"
    settings.CACHES = {
        **settings.CACHES,
        "redis": {
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
            "KEY_PREFIX": prefix,
        },
    }
    backend = caches["redis"]
    yield backend
    backend.clear()


def test_on_redis_one_round_trip_counts_and_reads_and_the_key_expires(redis_cache, monkeypatch):
    monkeypatch.setattr(throttling, "cache", redis_cache)
    redis_cache.set("other", {"an": "answer"})
    window = Window(key="throttle:anon:60:192.0.2.9:1", limit=3, ends_at=1060.0)

    first = throttling.count([window], ["other", "missing"], now=1030.0)
    second = throttling.count([window], now=1030.0)

    assert first == ([1], {"other": {"an": "answer"}})
    assert second == ([2], {})
    client = redis_cache._cache.get_client()
    ttl = client.ttl(redis_cache.make_and_validate_key(window.key))
    assert 0 < ttl <= 31


def test_on_redis_two_windows_count_in_one_script_which_survives_a_script_flush(
    redis_cache, monkeypatch
):
    """The counting runs as one Lua script (EVALSHA): a Redis that lost its scripts (a
    restart, SCRIPT FLUSH) is sent it again, and nothing is miscounted."""
    monkeypatch.setattr(throttling, "cache", redis_cache)
    minute = Window(key="throttle:anon:60:192.0.2.7:1", limit=9, ends_at=1060.0)
    day = Window(key="throttle:anon:86400:192.0.2.7:0", limit=99, ends_at=86400.0)

    assert throttling.count([minute, day], ["nothing"], now=1030.0) == ([1, 1], {})
    redis_cache._cache.get_client().script_flush()
    assert throttling.count([minute, day], now=1031.0) == ([2, 2], {})
    assert throttling.count([], ["nothing"], now=1031.0) == ([], {})
    client = redis_cache._cache.get_client()
    assert 0 < client.ttl(redis_cache.make_and_validate_key(day.key)) <= 85371


def test_on_redis_out_of_reach_the_count_is_none_and_the_request_goes_through(
    settings, monkeypatch, rates, clock, api_client
):
    from tests.reliability_support import free_port

    settings.CACHES = {
        **settings.CACHES,
        "gone": {
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/9",
        },
    }
    monkeypatch.setattr(throttling, "cache", caches["gone"])
    window = Window(key="throttle:anon:60:x:1", limit=1, ends_at=60.0)
    assert throttling.count([window], ["k"], now=1.0) == (None, {})

    rates(anon="1/minute")
    assert [api_client.get(URL).status_code for _ in range(3)] == [200, 200, 200]


def test_the_api_root_and_lists_are_throttled_alike(api_client, rates, clock):
    rates(anon="2/minute")

    statuses = [
        api_client.get(reverse("api:api-root")).status_code,
        api_client.get(URL).status_code,
    ]

    assert statuses == [200, 200]
    assert api_client.get(URL).status_code == 429
