"""X-Forwarded-For and X-Forwarded-Proto are believed only from NUM_PROXIES proxies
of our own (0 by default): a direct client can neither escape the anonymous throttle
by rotating X-Forwarded-For, nor lock someone else out by sending their address,
nor claim https."""

import pytest
from django.test import RequestFactory, override_settings

from config.proxies import client_address
from tests.reliability_support import fetch, production_env, wsgi_server


@pytest.fixture
def server(tmp_path):
    started = []

    def start(**extra):
        env = production_env(DATABASE_URL=f"sqlite:///{tmp_path}/unused.sqlite3", **extra)
        server = wsgi_server(env)
        started.append(server)
        return server.__enter__()

    yield start
    for server in started:
        server.__exit__(None, None, None)


def test_rotating_x_forwarded_for_does_not_escape_the_anonymous_limit(server):
    base = server(THROTTLE_ANON="5/minute")

    statuses = [
        fetch(f"{base}/api/v1/", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status
        for n in range(7)
    ]

    assert statuses == [200] * 5 + [429] * 2


def test_sending_someone_elses_address_does_not_use_up_their_limit(server):
    base = server(THROTTLE_ANON="5/minute")
    # The spoofer comes from 127.0.0.1 too here, so the honest check is that every
    # request counts against the connection's address, whatever the header names:
    # requests claiming 198.51.100.7 use up 127.0.0.1's allowance, not that address's.
    for _ in range(5):
        fetch(f"{base}/api/v1/", headers={"X-Forwarded-For": "198.51.100.7"})

    assert fetch(f"{base}/api/v1/").status == 429


def test_behind_one_proxy_the_address_it_adds_is_the_client(server):
    base = server(THROTTLE_ANON="5/minute", NUM_PROXIES="1")

    # Each request as the proxy forwards it: the client wrote the left part, our proxy
    # appended the address it saw. Five from one client, then another client.
    one = [
        fetch(f"{base}/api/v1/", headers={"X-Forwarded-For": f"10.9.9.{n}, 203.0.113.5"}).status
        for n in range(6)
    ]
    other = fetch(f"{base}/api/v1/", headers={"X-Forwarded-For": "203.0.113.6"}).status

    assert one == [200] * 5 + [429]
    assert other == 200


def test_a_direct_client_claiming_https_gets_no_hsts_and_no_https_urls(server):
    base = server()

    reply = fetch(f"{base}/api/v1/", headers={"X-Forwarded-Proto": "https"})

    assert reply.status == 200
    assert "Strict-Transport-Security" not in reply.headers
    assert all(url.startswith("http://") for url in reply.json().values())


def test_behind_a_proxy_its_https_is_believed(server):
    base = server(NUM_PROXIES="1")

    reply = fetch(f"{base}/api/v1/", headers={"X-Forwarded-Proto": "https"})

    assert "Strict-Transport-Security" in reply.headers
    assert all(url.startswith("https://") for url in reply.json().values())


@pytest.mark.parametrize(
    "proxies, header, expected",
    [
        (0, "1.2.3.4", "127.0.0.1"),
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.2", "1.2.3.4"),
        (2, "1.2.3.4", "1.2.3.4"),
        (1, "", "127.0.0.1"),
    ],
)
def test_the_login_lock_out_reads_the_client_address_by_the_same_rule(proxies, header, expected):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="127.0.0.1")
    with override_settings(NUM_PROXIES=proxies):
        assert client_address(request) == expected
