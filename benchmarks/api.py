"""Benchmark of the REST API on a synthetic network: 20,000 cities, 25,000 links.

    .venv/bin/python benchmarks/api.py                       # SQLite file under /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_api_bench .venv/bin/python benchmarks/api.py

The database named is rebuilt from scratch every run: a SQLite file is deleted, a
PostgreSQL database is dropped and created again (so give it a throw-away name).

Requests go through Django's test client in this process, so the figures include
URL routing, middleware, DRF and the database, but no HTTP server or network.
Settings are the production ones (DEBUG off), with throttling raised out of the way.

Targets (issue 3, on a 2-core machine): list and detail p50 < 25 ms, facets < 100 ms,
CSV export of every link > 50,000 rows/s with peak memory < 200 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import secrets
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DEFAULT_DATABASE_URL = "sqlite:////tmp/tw_api_bench.sqlite3"
COUNTRY = "DE"  # the country the filtered list is asked for


def configure_environment(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"  # production settings: no query log, no debug pages
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["THROTTLE_ANON"] = "100000000/minute"
    os.environ["THROTTLE_USER"] = "100000000/minute"
    os.environ.pop("REDIS_URL", None)


def fresh_database(database_url: str) -> None:
    parsed = urlparse(database_url)
    if parsed.scheme == "sqlite":
        path = Path(parsed.path[1:] if parsed.path.startswith("//") else parsed.path)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg2

    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or "",
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


# -- data -----------------------------------------------------------------------


def build_network(n_cities: int, n_links: int, seed: int = 1998) -> dict:
    """Bulk-create cities and links; returns what the timed requests need."""
    import datetime as dt

    from django_countries import countries

    from cities.models import City
    from partnerships import models as m

    rng = random.Random(seed)
    codes = [code for code, _ in countries]
    # A skewed spread, as in real data: a few countries hold many of the cities.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(codes))]
    rng.shuffle(codes)
    codes.remove(COUNTRY)
    codes.insert(3, COUNTRY)

    cities = [
        City(
            name=f"City {i}",
            slug=f"city-{i}",
            native_name=f"Stadt {i}",
            country=rng.choices(codes, weights)[0],
            latitude=round(rng.uniform(-60, 70), 6),
            longitude=round(rng.uniform(-180, 180), 6),
            population=rng.randint(1_000, 10_000_000),
        )
        for i in range(n_cities)
    ]
    City.objects.bulk_create(cities, batch_size=2000)
    city_ids = list(City.objects.order_by("pk").values_list("pk", flat=True))

    areas = m.CooperationArea.objects.bulk_create(
        m.CooperationArea(name=name, slug=name)
        for name in ["technology", "culture", "education", "economy", "science", "art"]
    )
    sources = m.Source.objects.bulk_create(
        m.Source(publisher=f"Publisher {i}", title=f"Report {i}") for i in range(50)
    )

    busy = city_ids[0]
    kinds = m.PartnershipKind.values
    statuses = m.PartnershipStatus.values
    pairs: set[tuple[int, int, str]] = set()
    while len(pairs) < n_links:
        # One city in fifty links goes to the busy city, so it has ~500 partners.
        a = busy if rng.random() < 0.02 else rng.choice(city_ids)
        b = rng.choice(city_ids)
        if a == b:
            continue
        a, b = min(a, b), max(a, b)
        pairs.add((a, b, rng.choice(kinds)))
    links = []
    for a, b, kind in sorted(pairs):
        year = rng.randint(1950, 2023) if rng.random() < 0.8 else None
        links.append(
            m.Partnership(
                city_a_id=a,
                city_b_id=b,
                kind=kind,
                status=rng.choice(statuses),
                start_date=dt.date(year, 1, 1) if year else None,
                start_precision="year",
            )
        )
    m.Partnership.objects.bulk_create(links, batch_size=2000)
    link_ids = list(m.Partnership.objects.values_list("pk", flat=True))
    m.PartnershipArea.objects.bulk_create(
        (
            m.PartnershipArea(partnership_id=link_id, area=area)
            for link_id in link_ids
            for area in rng.sample(areas, rng.randint(0, 3))
        ),
        batch_size=5000,
    )
    m.PartnershipSource.objects.bulk_create(
        (
            m.PartnershipSource(partnership_id=link_id, source=rng.choice(sources))
            for link_id in link_ids
            if rng.random() < 0.5
        ),
        batch_size=5000,
    )
    busy_slug = City.objects.get(pk=busy).slug
    return {
        "city_slugs": [f"city-{i}" for i in range(n_cities)],
        "busy_slug": busy_slug,
        "links": len(link_ids),
    }


# -- timing ---------------------------------------------------------------------


def consume(response) -> int:
    if response.streaming:
        return sum(len(part) for part in response.streaming_content)
    return len(response.content)


def time_requests(client, urls: list[str], warmup: int = 3) -> dict:
    for url in urls[:warmup]:
        consume(client.get(url))
    durations = []
    cpu = []
    for url in urls:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        consume(response)
        durations.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    durations.sort()
    return {
        "n": len(durations),
        "rps": len(durations) / sum(durations),
        "p50": statistics.median(durations) * 1000,
        "p95": durations[int(len(durations) * 0.95) - 1] * 1000,
        # This process's CPU time: what the request costs when the machine is not
        # shared. Wall time (p50/p95) also counts waiting for the CPU under load.
        "cpu50": statistics.median(cpu) * 1000,
    }


def time_export(client, url: str) -> dict:
    """Rows per second (untraced), then peak Python memory of one traced run."""
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    size = 0
    rows = 0
    # A CSV row is a line (less the header); a GeoJSON row is a feature.
    marker, extra = (b'{"type": "Feature"', 0) if "geojson" in url else (b"\n", -1)
    for part in response.streaming_content:
        size += len(part)
        rows += part.count(marker)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - started_cpu
    assert response.status_code == 200
    rows += extra

    tracemalloc.start()
    response = client.get(url)
    for _ in response.streaming_content:
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "rows_per_cpu_s": rows / cpu_seconds,
        "peak_mb": peak / 2**20,
        "mb": size / 2**20,
    }


def compare_country_filters(country: str, repeat: int = 5) -> dict:
    """COUNT(*) of links in a country: a join on both sides vs. the link's own country
    columns (country_a / country_b, kept by triggers), indexed."""
    from django.db.models import Q

    from partnerships.models import Partnership

    naive = Partnership.objects.filter(Q(city_a__country=country) | Q(city_b__country=country))
    indexed = Partnership.objects.in_country(country)
    timings = {}
    for name, queryset in {
        "join on both sides (OR)": naive,
        "link's country columns, indexed": indexed,
    }.items():
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            count = queryset.count()
            runs.append(time.perf_counter() - started)
        timings[name] = (count, statistics.median(runs) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=20_000)
    parser.add_argument("--links", type=int, default=25_000)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per endpoint")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    configure_environment(database_url)
    fresh_database(database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = build_network(args.cities, args.links)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"{connection.vendor}: built {args.cities:,} cities and {data['links']:,} links "
        f"in {time.perf_counter() - started:.1f} s\n"
    )

    client = Client()
    rng = random.Random(42)
    n = args.requests
    endpoints = {
        f"partnerships ?country={COUNTRY}&page_size=100 (pages 1-5)": [
            f"/api/v1/partnerships/?country={COUNTRY}&page_size=100&page={1 + i % 5}"
            for i in range(n)
        ],
        "partnerships ?page_size=100": [
            f"/api/v1/partnerships/?page_size=100&page={1 + i % 5}" for i in range(n)
        ],
        "city detail": [f"/api/v1/cities/{rng.choice(data['city_slugs'])}/" for _ in range(n)],
        "cities ?page_size=100": [
            f"/api/v1/cities/?page_size=100&page={1 + i % 5}" for i in range(n)
        ],
        f"partners of the busy city ({data['busy_slug']})": [
            f"/api/v1/cities/{data['busy_slug']}/partners/?page_size=100" for _ in range(n)
        ],
        "facets (all links)": ["/api/v1/partnerships/facets/"] * max(n // 4, 10),
        f"facets ?country={COUNTRY}": [f"/api/v1/partnerships/facets/?country={COUNTRY}"]
        * max(n // 4, 10),
    }

    load = os.getloadavg()[0]
    print(f"load average at start: {load:.1f} on {os.cpu_count()} CPUs")
    print(f"{'endpoint':58} {'n':>4} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8}")
    for name, urls in endpoints.items():
        result = time_requests(client, urls)
        print(
            f"{name:58} {result['n']:>4} {result['rps']:>8.1f} "
            f"{result['p50']:>8.1f} {result['p95']:>8.1f} {result['cpu50']:>8.1f}"
        )

    print()
    for name, url in {
        "CSV export, every link": "/api/v1/partnerships/?format=csv",
        "CSV export, every city": "/api/v1/cities/?format=csv",
        "GeoJSON export, every city": "/api/v1/cities/?format=geojson",
    }.items():
        result = time_export(client, url)
        print(
            f"{name:30} {result['rows']:>7,} rows in {result['seconds']:.2f} s = "
            f"{result['rows_per_s']:>9,.0f} rows/s ({result['rows_per_cpu_s']:,.0f} per CPU s); "
            f"{result['mb']:.1f} MB out; "
            f"peak traced memory {result['peak_mb']:.1f} MB"
        )
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (whole run, data building included): {max_rss:.0f} MB")

    print(f"\nCOUNT(*) of links with a city in {COUNTRY} on either side (median of 5):")
    for name, (count, ms) in compare_country_filters(COUNTRY).items():
        print(f"  {name:28} {count:>6} links  {ms:7.1f} ms")


if __name__ == "__main__":
    main()
