"""Throttle counters live in Redis when REDIS_URL is set, so a limit holds across
processes (gunicorn workers, hosts); with local memory each process counts alone."""

import secrets

import pytest

from tests.reliability_support import fetch, production_env, wsgi_server

REDIS_URL = "redis://127.0.0.1:6379/9"


def redis_reachable() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False


def statuses_alternating(bases: list[str], count: int) -> list[int]:
    return [fetch(f"{bases[i % len(bases)]}/api/v1/").status for i in range(count)]


@pytest.fixture
def two_servers(tmp_path):
    """Start two app processes with the given extra environment; yield their URLs."""
    started = []

    def start(**extra):
        env = production_env(
            DATABASE_URL=f"sqlite:///{tmp_path}/unused.sqlite3", THROTTLE_ANON="5/minute", **extra
        )
        first, second = wsgi_server(env), wsgi_server(env)
        started.extend([first, second])
        return [first.__enter__(), second.__enter__()]

    yield start
    for server in started:
        server.__exit__(None, None, None)


@pytest.mark.skipif(not redis_reachable(), reason="needs Redis on 127.0.0.1:6379")
def test_an_anonymous_limit_holds_across_two_processes_sharing_redis(two_servers):
    import redis

    prefix = f"tw_rel_throttle_{secrets.token_hex(6)}"
    bases = two_servers(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix)
    try:
        statuses = statuses_alternating(bases, 7)
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)

    # Five allowed per minute in total, three served by one process and two by the other.
    assert statuses == [200, 200, 200, 200, 200, 429, 429]


def test_without_redis_each_process_counts_on_its_own(two_servers):
    bases = two_servers()

    # Local memory: six requests split three and three stay under each process's five.
    assert statuses_alternating(bases, 6) == [200] * 6
