"""The PostgreSQL backend's health check (common/db/postgresql): no `SELECT 1` round
trip on a quiet connection, Django's check on one the server has closed. SQLite has no
connection to lose (a file), so there is nothing to check there."""

import time

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "common.db.postgresql",
        reason="the PostgreSQL backend",
    ),
]


@pytest.fixture
def checks(monkeypatch):
    """Each time Django's own check (`SELECT 1`) runs, with its answer."""
    seen = []
    original = DjangoWrapper.is_usable

    def is_usable(self):
        seen.append(original(self))
        return seen[-1]

    monkeypatch.setattr(DjangoWrapper, "is_usable", is_usable)
    return seen


def new_request():
    """What Django does between two requests on a persistent connection."""
    connection.health_check_enabled = True
    connection.health_check_done = False


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_quiet_connection_is_reused_without_a_round_trip(checks):
    pid = backend_pid()
    for _ in range(3):
        new_request()
        assert backend_pid() == pid
    assert checks == []


def test_a_connection_the_server_closed_is_checked_and_replaced_without_an_error(checks):
    pid = backend_pid()
    dsn = connection.settings_dict
    other = psycopg2.connect(
        dbname=dsn["NAME"],
        user=dsn["USER"],
        host=dsn["HOST"] or None,
        port=dsn["PORT"] or None,
        password=dsn["PASSWORD"] or None,
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    time.sleep(0.2)  # the server's goodbye reaches the socket

    new_request()
    replaced = backend_pid()  # no OperationalError: the dead connection was replaced

    assert checks == [False]
    assert replaced != pid
