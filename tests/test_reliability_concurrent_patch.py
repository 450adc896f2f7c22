"""Two PATCHes of different fields of one record at the same moment both keep their
change: a PATCH changes only the fields it sends, whatever else commits meanwhile.

Real processes: the Dockerfile's server (granian) with 2 workers x 4 threads on a
database of the test run's engine, two editors each with an API token, 100 rounds of simultaneous
requests."""

import threading

import pytest
from django.db import connection

from tests.reliability_support import (
    app_server,
    fetch,
    migrated_database,
    production_env,
    run_in_django,
)

ROUNDS = 100

SETUP = """
from tests.factories import PartnershipFactory, UserFactory
from rest_framework.authtoken.models import Token
tokens = []
for name in ("editor1", "editor2"):
    user = UserFactory(username=name + "-race", groups=["editors"], is_staff=True)
    tokens.append(Token.objects.create(user=user).key)
link = PartnershipFactory(description="as imported", status="active")
print(json.dumps({"tokens": tokens, "pk": link.pk}))
"""


@pytest.fixture
def database_url(tmp_path):
    url = migrated_database(tmp_path, vendor=connection.vendor, name="tw_rel_patch_race")
    return url


def test_two_simultaneous_patches_of_different_fields_lose_nothing(database_url):
    setup = run_in_django(database_url, SETUP)
    first, second = (
        {"Authorization": f"Token {token}", "Accept": "application/json"}
        for token in setup["tokens"]
    )
    losses, errors = [], []
    with app_server(production_env(DATABASE_URL=database_url)) as base:
        url = f"{base}/api/v1/partnerships/{setup['pk']}/"
        for round_ in range(ROUNDS):
            description = f"set by editor1 in round {round_}"
            status = "suspended" if round_ % 2 == 0 else "active"
            barrier = threading.Barrier(2)
            replies = {}

            def patch(name, headers, body, barrier=barrier, replies=replies):
                barrier.wait()
                replies[name] = fetch(url, method="PATCH", headers=headers, body=body)

            threads = [
                threading.Thread(target=patch, args=("a", first, {"description": description})),
                threading.Thread(target=patch, args=("b", second, {"status": status})),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            codes = sorted(reply.status for reply in replies.values())
            if codes != [200, 200]:
                errors.append((round_, codes))
                continue
            stored = fetch(url, headers=first).json()
            if (stored["description"], stored["status"]) != (description, status):
                losses.append((round_, stored["description"], stored["status"]))

    assert errors == []
    assert losses == [], f"{len(losses)} of {ROUNDS} rounds lost an acknowledged change"
