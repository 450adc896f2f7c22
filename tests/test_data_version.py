"""An edit made in another process that only ran django.setup() (as `manage.py shell`
does) is seen by the next API read, the next network answer and the home map.

The server runs in a child process with Redis as its cache (the production setup:
the API response cache is on), over its own database; a second child process makes
the edit with the ORM and nothing else imported, so the only thing that can tell
the server is the data version bumped by the receivers every AppConfig.ready() wires.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
from urllib.parse import urlparse

import pytest

from tests.reliability_support import BASE_DIR, fetch, wsgi_server

REDIS = ("127.0.0.1", 6379)

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from cities.models import City
from partnerships.models import Partnership
aix = City.objects.create(slug="aix", name="Aix", country="FR", latitude=43.5, longitude=5.4)
bonn = City.objects.create(slug="bonn", name="Bonn", country="DE", latitude=50.7, longitude=7.1)
City.objects.create(slug="dover", name="Dover", country="GB", latitude=51.1, longitude=1.3)
Partnership.objects.create(city_a=aix, city_b=bonn, kind="twin", status="active")
"""

# What an editor would type in `manage.py shell`: plain ORM calls after django.setup().
EDIT = """
import django
django.setup()
from cities.models import City
from partnerships.models import Partnership
aix = City.objects.get(slug="aix")
aix.name = "Aix-en-Provence"
aix.save()
Partnership.objects.create(
    city_a=City.objects.get(slug="bonn"), city_b=City.objects.get(slug="dover"),
    kind="twin", status="active",
)
"""


def _redis_reachable() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
        return True
    except OSError:
        return False


def _databases():
    yield "sqlite"
    if (os.environ.get("DATABASE_URL") or "").startswith("postgres"):
        yield "postgresql"


@pytest.fixture(params=list(_databases()))
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data-version.sqlite3'}"
        return
    import psycopg2

    url = urlparse(os.environ["DATABASE_URL"])
    name = f"{url.path.lstrip('/')}_data_version"
    admin = psycopg2.connect(url._replace(path="/postgres").geturl())
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url._replace(path=f"/{name}").geturl()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def environment(database_url):
    prefix = f"test-data-version-{secrets.token_hex(6)}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(BASE_DIR),
        DEBUG="1",
        DATABASE_URL=database_url,
        REDIS_URL=f"redis://{REDIS[0]}:{REDIS[1]}/0",
        CACHE_KEY_PREFIX=prefix,
        API_RESPONSE_CACHE="1",
        THROTTLE_ANON="100000/minute",
        THROTTLE_USER="100000/minute",
    )
    yield env
    # Only this test's keys: other processes share the Redis server.
    import redis

    client = redis.Redis(*REDIS)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def _run(script: str, env: dict) -> None:
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def _home_map_names(base: str) -> list[str]:
    html = fetch(f"{base}/").body.decode()
    match = re.search(r'<script id="world-map" type="application/json">(.*?)</script>', html)
    world = fetch(base + json.loads(match.group(1))["source"]).json()
    return sorted(city[2] for city in world["cities"])


@pytest.mark.skipif(not _redis_reachable(), reason="needs Redis on 127.0.0.1:6379")
def test_an_edit_from_a_plain_django_setup_process_is_seen_everywhere(environment):
    _run(SETUP, environment)
    with wsgi_server(environment) as base:
        city = f"{base}/api/v1/cities/aix/"
        path = f"{base}/api/v1/network/path/?from=aix&to=dover"
        assert fetch(city).headers.get("X-Cache") == "miss"
        cached = fetch(city)
        assert cached.headers.get("X-Cache") == "hit"
        assert cached.json()["name"] == "Aix"
        assert fetch(path).json()["found"] is False
        assert _home_map_names(base) == ["Aix", "Bonn"]

        _run(EDIT, environment)

        fresh = fetch(city)
        assert fresh.headers.get("X-Cache") == "miss"
        assert fresh.json()["name"] == "Aix-en-Provence"
        assert fetch(path).json()["hops"] == 2
        assert _home_map_names(base) == ["Aix-en-Provence", "Bonn", "Dover"]
