"""A database that is down gives a fast 503 (JSON or a small page), never a 500 or a
hang, and the app serves again by itself once the database is back."""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client

from config import middleware
from config.settings import database_from_url
from tests.reliability_support import (
    TcpGate,
    ensure_migrated_postgres_database,
    fetch,
    free_port,
    postgres_reachable,
    production_env,
    wsgi_server,
)

# A request that reaches the database in every route: the session cookie makes
# Django look the session up before it knows who the user is.
SESSION_COOKIE = {"Cookie": "sessionid=nosuchsession0000000000000000000"}


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(SessionStore, "load", refuse)


@pytest.fixture
def client_with_session():
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "nosuchsession0000000000000000000"
    return client


def test_it_answers_an_api_request_with_a_json_503(db, database_down, client_with_session):
    response = client_with_session.get("/api/v1/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "temporarily unavailable" in response.json()["detail"]
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"


def test_it_answers_a_page_with_a_small_html_503_without_touching_the_database(
    db, database_down, client_with_session, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client_with_session.get("/admin/login/")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"Temporarily unavailable" in response.content
    assert b"try again in 5 seconds" in response.content
    assert response["Retry-After"] == "5"


def test_it_answers_json_to_a_client_that_asks_for_json(db, database_down, client_with_session):
    response = client_with_session.get("/admin/login/", HTTP_ACCEPT="application/json")

    assert response.status_code == 503
    assert "detail" in response.json()


def test_it_treats_a_broken_connection_like_a_refused_one(db, monkeypatch, client_with_session):
    def broken(self):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(SessionStore, "load", broken)

    assert client_with_session.get("/api/v1/").status_code == 503


def test_it_leaves_other_errors_to_the_usual_500(rf):
    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        response = middleware.server_error(rf.get("/partnerships/"))

    assert response.status_code == 500


def test_it_answers_503_for_an_outage_raised_outside_a_view(rf):
    # handler500 sees errors raised by middleware (saving a session, say).
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = middleware.server_error(rf.get("/api/v1/cities/"))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_postgres_connections_are_persistent_health_checked_and_give_up_after_5_s():
    settings_dict = database_from_url("UNSET_FOR_THIS_TEST", "postgres://u@db.example:5432/x")

    assert settings_dict["OPTIONS"]["connect_timeout"] == 5
    assert settings_dict["CONN_HEALTH_CHECKS"] is True
    assert settings_dict["CONN_MAX_AGE"] > 0


# The tests below run the app in a child process under a real WSGI server and point
# it at PostgreSQL through a TCP gate this test controls.


def test_it_fails_fast_when_nothing_listens_on_the_database_port():
    closed = free_port()
    env = production_env(DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/nowhere")
    with wsgi_server(env) as base:
        api = fetch(f"{base}/api/v1/", headers=SESSION_COOKIE)
        page = fetch(f"{base}/admin/login/", headers=SESSION_COOKIE)

    assert (api.status, api.headers["Retry-After"]) == (503, "5")
    assert "detail" in api.json()
    assert page.status == 503 and b"Temporarily unavailable" in page.body
    assert api.seconds < 5 and page.seconds < 5


def test_it_gives_up_on_a_database_host_that_never_answers_within_the_connect_timeout():
    gate = TcpGate(("127.0.0.1", 9))  # never forwarded: a host that accepts and hangs
    gate.blackhole()
    env = production_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{gate.port}/nowhere?connect_timeout=2"
    )
    try:
        with wsgi_server(env) as base:
            reply = fetch(f"{base}/api/v1/", headers=SESSION_COOKIE)
    finally:
        gate.close()

    assert reply.status == 503
    assert 1.5 < reply.seconds < 5


@pytest.mark.skipif(not postgres_reachable(), reason="needs PostgreSQL on 127.0.0.1:5432")
def test_it_serves_again_by_itself_when_the_database_returns():
    url = ensure_migrated_postgres_database("tw_rel_fault")
    gate = TcpGate(("127.0.0.1", int(url.split(":")[-1].split("/")[0])))
    gate.open()
    env = production_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{gate.port}/tw_rel_fault",
        CONN_MAX_AGE="60",
    )
    try:
        with wsgi_server(env) as base:
            probe = f"{base}/api/v1/"
            assert fetch(probe, headers=SESSION_COOKIE).status == 200

            # The database restarts between two requests: the persistent connection
            # is dead, and the health check replaces it without an error.
            gate.close()
            gate.open()
            assert fetch(probe, headers=SESSION_COOKIE).status == 200

            # Down: fast 503s.
            gate.close()
            outage = [fetch(probe, headers=SESSION_COOKIE) for _ in range(3)]
            assert [r.status for r in outage] == [503, 503, 503]
            assert max(r.seconds for r in outage) < 5

            # Back: the very next request is served, no restart needed.
            gate.open()
            returned_at = time.monotonic()
            reply = fetch(probe, headers=SESSION_COOKIE)
            assert reply.status == 200
            assert time.monotonic() - returned_at < 5
    finally:
        gate.close()
