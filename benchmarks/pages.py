"""Public page latency, in-process: p50 and p95 of Django's test client for the home
page, a city page with 300 partners and the Beijing–Tel Aviv partnership page.

    .venv/bin/python benchmarks/pages.py [--requests 200] [--partners 300]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/twinning .venv/bin/python benchmarks/pages.py

It builds a throwaway test database (SQLite in memory, or test_<name> on PostgreSQL),
loads the seed, adds a hub city with N partners, and measures the whole Django stack
(middleware, view, queries, template) without a network or a server in between.
Target: each p50 under 40 ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Measure what production serves: no debug toolbar-style overhead, no query logging.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

TARGET_P50_MS = 40.0


def build_hub(partners: int):
    """A city linked to `partners` others, each link with two areas and a source."""
    from tests.factories import (
        CityFactory,
        CooperationAreaFactory,
        PartnershipFactory,
        SourceFactory,
    )

    hub = CityFactory(name="Hubville", slug="hubville", country="FR", population=2_100_000)
    areas = CooperationAreaFactory.create_batch(2)
    source = SourceFactory()
    for _ in range(partners):
        link = PartnershipFactory(city_a=hub, city_b=CityFactory())
        link.areas.add(*areas)
        link.sources.add(source)
    return hub


def measure(client: Client, url: str, requests: int) -> dict:
    for _ in range(10):  # warm caches: templates, URL resolver, connection
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Counted now: captured_queries slices the connection's log, which the next
    # request clears.
    query_count = len(queries)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "queries": query_count,
        "kb": len(response.content) / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--partners", type=int, default=300)
    args = parser.parse_args()

    setup_test_environment()
    # Production serves hashed names from collectstatic's manifest; a benchmark run has
    # none, and looking a name up in either storage costs the same.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("loaddata", "seed", verbosity=0)
        hub = build_hub(args.partners)
        from partnerships.models import Partnership

        link = Partnership.objects.get(city_a__slug="beijing", city_b__slug="tel-aviv")
        pages = [
            ("home", "/"),
            (f"city page, {args.partners} partners", hub.get_absolute_url()),
            ("partnership page (Beijing–Tel Aviv)", link.get_absolute_url()),
        ]
        client = Client()
        print(
            f"database: {connection.vendor}; {args.requests} requests per page, "
            f"in-process (django.test.Client); target p50 < {TARGET_P50_MS:.0f} ms"
        )
        print(f"{'page':<40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KiB':>7}")
        slow = []
        for name, url in pages:
            result = measure(client, url, args.requests)
            print(
                f"{name:<40} {result['p50']:8.1f} {result['p95']:8.1f} "
                f"{result['queries']:8d} {result['kb']:7.1f}"
            )
            if result["p50"] >= TARGET_P50_MS:
                slow.append(name)
        print("(home: the world map comes from the cache after the first request, as it does")
        print(" in production until a city or a link changes)")
        if slow:
            print("over target: " + ", ".join(slow))
        else:
            print("all pages under target")
        return 1 if slow else 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())
