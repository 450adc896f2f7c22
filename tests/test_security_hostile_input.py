"""Input that used to be a 500 is a 400 (or the admin's ?e=1 notice)."""

import http.client
import json

import pytest
from django.test import Client

from tests.reliability_support import production_env, wsgi_server

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/partnerships/?started_after=%25",
        "/api/v1/partnerships/?started_before=%25d",
        "/api/v1/partnerships/facets/?started_after=100%25",
        "/api/v1/events/?date_after=%25s",
        "/api/v1/events/?date_before=%25(x)s",
    ],
)
def test_a_date_filter_value_with_a_percent_sign_is_a_400_quoting_it(api_client, url):
    response = api_client.get(url)

    assert response.status_code == 400
    (messages,) = response.json().values()
    assert "%" in messages[0] and "is not a date" in messages[0]


def test_deeply_nested_json_is_a_400(api_client, editor):
    api_client.force_authenticate(editor)
    body = "[" * 1000 + "]" * 1000

    response = api_client.generic(
        "POST", "/api/v1/partnerships/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert "nested more than" in response.json()["detail"]


def test_json_nested_a_little_deeper_than_any_record_is_a_400_too(api_client, editor):
    api_client.force_authenticate(editor)
    body = json.dumps(
        {"description": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
    )

    response = api_client.generic("POST", "/api/v1/areas/", body, content_type="application/json")

    assert response.status_code == 400


@pytest.mark.parametrize(
    "path, query",
    [
        ("partnerships/partnership", "kind=%00"),
        ("partnerships/partnership", "status=%00"),
        ("partnerships/partnership", "kind__exact=%00"),
        ("partnerships/source", "publisher=%00"),
        ("partnerships/event", "kind=%00"),
        ("cities/city", "q=%00"),
    ],
)
def test_a_nul_character_in_an_admin_query_is_a_400(path, query, editor):
    client = Client(raise_request_exception=False)
    client.force_login(editor)

    assert client.get(f"/admin/{path}/?{query}").status_code == 400


def test_a_nul_character_in_an_api_query_is_a_400(api_client):
    assert api_client.get("/api/v1/cities/?search=%00").status_code == 400


def test_an_impossible_year_in_the_admins_date_hierarchy_is_the_bad_lookup_notice(editor):
    client = Client(raise_request_exception=False)
    client.force_login(editor)

    response = client.get(
        "/admin/partnerships/source/?published_on__year=999999999999999999999999999999"
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_a_chunked_body_is_refused_with_411_by_the_middleware(api_client, editor):
    api_client.force_authenticate(editor)

    response = api_client.generic(
        "POST",
        "/api/v1/areas/",
        b"",
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
    )

    assert response.status_code == 411
    assert "Content-Length" in response.json()["detail"]


def test_a_chunked_body_over_a_real_server_is_a_411(tmp_path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path}/none.sqlite3")
    with wsgi_server(env) as base:
        host, port = base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.putrequest("PATCH", "/api/v1/cities/haifa/")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        body = b'{"name": "x"}'
        connection.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
        response = connection.getresponse()

    assert response.status == 411


def test_a_chunked_body_under_the_dockerfiles_server_is_read_whole(tmp_path):
    """granian decodes chunks and ends the stream (wsgi.input_terminated): the body
    is read, not answered as missing and not refused."""
    import subprocess
    import sys

    from tests.reliability_support import BASE_DIR, app_server

    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path}/chunked.sqlite3")
    python = sys.executable

    def manage(*args):
        return subprocess.run(
            [python, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    manage("migrate", "--noinput", "-v", "0")
    manage("load_seed")
    token = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; from rest_framework.authtoken.models "
        "import Token; u = User.objects.create_superuser('chunky', 'c@example.org', 'pw'); "
        "print(Token.objects.create(user=u).key)",
    ).split()[-1]
    with app_server(env) as base:
        host, port = base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=20)
        connection.putrequest("PATCH", "/api/v1/cities/tel-aviv/")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Authorization", f"Token {token}")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        body = json.dumps({"region": "Gush Dan"}).encode()
        connection.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
        response = connection.getresponse()
        payload = json.loads(response.read())

    assert response.status == 200, payload
    assert payload["region"] == "Gush Dan"
