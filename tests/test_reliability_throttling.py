"""Throttle counters live in Redis when REDIS_URL is set, so a limit holds across
processes (server workers, hosts); with local memory each process counts alone.
One counter per client and window (api/throttling.py); Redis out of reach: nobody is
throttled (fails open, common/cache.py)."""

import secrets
import time

import pytest

from tests.reliability_support import TcpGate, fetch, free_port, production_env, wsgi_server

REDIS_URL = "redis://127.0.0.1:6379/9"
REDIS = ("127.0.0.1", 6379)


def redis_reachable() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False


needs_redis = pytest.mark.skipif(not redis_reachable(), reason="needs Redis on 127.0.0.1:6379")


def replies_alternating(bases: list[str], count: int) -> list:
    return [fetch(f"{bases[i % len(bases)]}/api/v1/") for i in range(count)]


def statuses_alternating(bases: list[str], count: int) -> list[int]:
    return [reply.status for reply in replies_alternating(bases, count)]


@pytest.fixture
def two_servers(tmp_path):
    """Start two app processes with the given extra environment; yield their URLs.
    The window is an hour, so the count cannot straddle two windows in a test."""
    started = []

    def start(**extra):
        env = production_env(
            DATABASE_URL=f"sqlite:///{tmp_path}/unused.sqlite3",
            **{"THROTTLE_ANON": "5/hour", **extra},
        )
        first, second = wsgi_server(env), wsgi_server(env)
        started.extend([first, second])
        return [first.__enter__(), second.__enter__()]

    yield start
    for server in started:
        server.__exit__(None, None, None)


def forget(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@needs_redis
def test_an_anonymous_limit_holds_across_two_processes_sharing_redis(two_servers):
    import redis

    prefix = f"tw_rel_throttle_{secrets.token_hex(6)}"
    bases = two_servers(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix)
    try:
        replies = replies_alternating(bases, 7)
        counters = [
            (key, redis.Redis.from_url(REDIS_URL).get(key))
            for key in redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}:*throttle*")
        ]
    finally:
        forget(prefix)

    # Five allowed per hour in total, three served by one process and two by the other.
    assert [r.status for r in replies] == [200, 200, 200, 200, 200, 429, 429]
    # The 429 says when the window ends: within the hour.
    for refused in replies[5:]:
        assert 1 <= int(refused.headers["Retry-After"]) <= 3600
        assert "Expected available in" in refused.json()["detail"]
    # One counter (an integer), not a list of timestamps.
    assert [int(value) for _, value in counters] == [7]


@needs_redis
def test_the_counter_is_shared_with_the_response_cache_on(two_servers):
    prefix = f"tw_rel_throttle_{secrets.token_hex(6)}"
    bases = two_servers(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix, API_RESPONSE_CACHE="1")
    try:
        replies = replies_alternating(bases, 7)
        detail = [fetch(f"{bases[0]}/api/v1/cities/")]
    finally:
        forget(prefix)

    assert [r.status for r in replies] == [200] * 5 + [429] * 2
    assert detail[0].status == 429 and int(detail[0].headers["Retry-After"]) >= 1


def test_without_redis_each_process_counts_on_its_own(two_servers):
    bases = two_servers()

    # Local memory: six requests split three and three stay under each process's five.
    assert statuses_alternating(bases, 6) == [200] * 6


@needs_redis
def test_while_redis_is_out_of_reach_nobody_is_throttled_and_counting_resumes_after(
    two_servers,
):
    gate = TcpGate(REDIS)
    gate.open()
    prefix = f"tw_rel_throttle_{secrets.token_hex(6)}"
    bases = two_servers(
        REDIS_URL=f"redis://127.0.0.1:{gate.port}/9",
        CACHE_KEY_PREFIX=prefix,
        THROTTLE_ANON="2/hour",
        REDIS_RETRY_AFTER="0.2",
        REDIS_TIMEOUT="2",  # a busy machine: a slow answer is not an outage here
    )
    try:
        before = statuses_alternating(bases, 3)
        gate.close()
        during = statuses_alternating(bases, 6)
        gate.open()
        after = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # until each process has tried Redis again
            after.append(fetch(f"{bases[len(after) % 2]}/api/v1/").status)
            if after[-2:] == [429, 429]:
                break
            time.sleep(0.1)
    finally:
        gate.close()
        forget(prefix)

    assert before == [200, 200, 429]
    assert during == [200] * 6
    assert after[-2:] == [429, 429]


def test_with_nothing_listening_on_the_redis_port_requests_go_through(two_servers):
    bases = two_servers(REDIS_URL=f"redis://127.0.0.1:{free_port()}/9", THROTTLE_ANON="1/hour")

    assert statuses_alternating(bases, 4) == [200] * 4
