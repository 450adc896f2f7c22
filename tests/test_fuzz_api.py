"""Schemathesis fuzzes every operation of /api/v1/schema/, anonymous and as an
`editors` user: no response is a 5xx, and every response (status code, content
type, headers, body) matches what the schema documents.

The number of examples per operation is bounded (FUZZ_EXAMPLES, default 8) so the
suite stays fast; raise it locally for a deeper run:
    FUZZ_EXAMPLES=200 .venv/bin/pytest tests/test_fuzz_api.py
"""

import os

import jsonschema
import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import UserFactory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))

# No 5xx; status code, content type, headers and body as documented. Left out:
# "positive data acceptance" (a payload can fit the schema and still break a model
# rule, e.g. a city linked to itself, and that 400 is right) and "ignored auth"
# (reads are anonymous, so a made-up credential on a read is rightly ignored;
# tests/test_security_write_access.py shows every write is refused without one).
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)


@pytest.fixture
def api_schema(db):
    from django.core.wsgi import get_wsgi_application

    call_command("loaddata", "seed", verbosity=0)
    # Schemathesis calls the WSGI app directly. Like Django's test client, keep the
    # request signals from closing the test's connection (inside its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.from_pytest_fixture("api_schema")

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here is reproducible
    suppress_health_check=list(HealthCheck),
)


GEOJSON = "application/geo+json"


def call_and_validate(case, headers=None):
    # Throttle counters live in the cache; a fuzz run is many clients' worth of calls.
    cache.clear()
    response = case.call_wsgi(headers=headers)
    if response.headers.get("Content-Type", "").startswith(GEOJSON):
        # Schemathesis checks a body against the operation's *first* media type
        # (the JSON object); a GeoJSON export is checked here against its own.
        case.validate_response(
            response, checks=tuple(c for c in CHECKS if c is not response_schema_conformance)
        )
        responses = case.operation.definition.raw["responses"]
        documented = responses[str(response.status_code)]["content"][GEOJSON]["schema"]
        jsonschema.validate(response.json, documented)
    else:
        case.validate_response(response, checks=CHECKS)
    return response


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_clients_get_no_server_error_and_what_the_schema_says(case):
    call_and_validate(case)


@pytest.fixture
def editor_token(db):
    user = UserFactory(username="fuzz-editor", groups=["editors"], is_staff=True)
    return Token.objects.create(user=user).key


@schema.parametrize()
@FUZZ_SETTINGS
def test_an_editor_gets_no_server_error_and_what_the_schema_says(case, editor_token):
    call_and_validate(case, headers={"Authorization": f"Token {editor_token}"})
