"""A Redis outage: the site keeps answering and storing writes without its cache, and
no answer cached before the outage is served after it for data changed during it.

Real processes: the app under a WSGI server in child processes, its Redis behind a
TCP gate this test shuts (a stopped Redis: connections refused and cut) or turns
silent (a hung Redis: connections accepted, never answered)."""

import contextlib
import secrets
import time

import pytest
from django.db import connection

from tests.reliability_support import (
    TcpGate,
    fetch,
    free_port,
    migrated_database,
    production_env,
    run_in_django,
    wsgi_server,
)

REDIS = ("127.0.0.1", 6379)

SETUP = """
from tests.factories import CityFactory, UserFactory
from rest_framework.authtoken.models import Token
CityFactory(slug="haifa", name="Haifa", country="IL")
editor = UserFactory(username="redis-editor", groups=["editors"], is_staff=True)
print(json.dumps({"token": Token.objects.create(user=editor).key}))
"""


def redis_reachable() -> bool:
    try:
        import redis

        return redis.Redis(*REDIS, socket_connect_timeout=1).ping()
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not redis_reachable(), reason="needs Redis on 127.0.0.1:6379")


@pytest.fixture
def site(tmp_path, collected_static):
    """The database with a city and an editor's token, and the environment of a
    server whose Redis is `redis_port` (a fresh key prefix each test)."""
    url = migrated_database(tmp_path, vendor=connection.vendor, name="tw_rel_redis")
    token = run_in_django(url, SETUP)["token"]

    def env(redis_port: int):
        return production_env(
            DATABASE_URL=url,
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/11",
            CACHE_KEY_PREFIX=f"redis-outage-{secrets.token_hex(4)}",
            STATIC_ROOT=str(collected_static),
        )

    return env, {"Authorization": f"Token {token}", "Accept": "application/json"}


def reads_and_a_write(base: str, editor: dict, name: str) -> list:
    replies = [
        fetch(f"{base}/api/v1/cities/"),
        fetch(f"{base}/"),
        fetch(f"{base}/api/v1/cities/haifa/", method="PATCH", headers=editor, body={"name": name}),
    ]
    replies.append(fetch(f"{base}/api/v1/cities/haifa/", headers=editor))
    return replies


def test_with_nothing_listening_on_the_redis_port_reads_and_writes_work_fast(site):
    env, editor = site
    with wsgi_server(env(free_port())) as base:
        listing, home, patch, stored = reads_and_a_write(base, editor, "Haifa (no cache)")

    assert [listing.status, home.status, patch.status] == [200, 200, 200]
    assert stored.json()["name"] == "Haifa (no cache)"
    assert max(r.seconds for r in (listing, home, patch)) < 2


def test_with_a_redis_that_never_answers_reads_and_writes_work_within_a_second_or_so(site):
    gate = TcpGate(REDIS)
    gate.blackhole()
    env, editor = site
    try:
        with wsgi_server(env(gate.port)) as base:
            listing, home, patch, stored = reads_and_a_write(base, editor, "Haifa (silent)")
    finally:
        gate.close()

    assert [listing.status, home.status, patch.status] == [200, 200, 200]
    assert stored.json()["name"] == "Haifa (silent)"
    assert max(r.seconds for r in (listing, home, patch)) < 3


@pytest.mark.parametrize("outage", ["stopped", "silent"])
def test_an_answer_cached_before_an_outage_is_not_served_after_it_for_data_changed_in_it(
    site, outage
):
    """Two app processes share one Redis. Process B caches Haifa's anonymous answer;
    Redis goes away; process A stores a new name; Redis returns with its keys (a
    network cut, not a restart): B must not serve the old name again."""
    gate = TcpGate(REDIS)
    gate.open()
    env, editor = site
    shared = env(gate.port)
    detail = "/api/v1/cities/haifa/"
    with contextlib.ExitStack() as stack:
        a = stack.enter_context(wsgi_server(shared))
        b = stack.enter_context(wsgi_server(shared))
        stack.callback(gate.close)
        fetch(f"{b}{detail}")
        cached = fetch(f"{b}{detail}")
        assert (cached.headers.get("X-Cache"), cached.json()["name"]) == ("hit", "Haifa")

        gate.close() if outage == "stopped" else gate.blackhole()
        patch = fetch(f"{a}{detail}", method="PATCH", headers=editor, body={"name": "Hefa"})
        assert patch.status == 200
        during = fetch(f"{b}{detail}")
        assert (during.status, during.json()["name"]) == (200, "Hefa")

        gate.open()
        recovered_after = None
        started = time.monotonic()
        while time.monotonic() - started < 10:
            reply = fetch(f"{b}{detail}")
            assert reply.json()["name"] == "Hefa", "the pre-outage answer was served"
            if reply.headers.get("X-Cache") == "hit":
                recovered_after = time.monotonic() - started
                break
            time.sleep(0.2)

    # And the cache is used again soon after Redis is back.
    assert recovered_after is not None and recovered_after < 10
