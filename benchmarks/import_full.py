"""Import the full twin-city data into a fresh database; print time and peak memory.

    .venv/bin/python benchmarks/import_full.py                      # SQLite temp file
    .venv/bin/python benchmarks/import_full.py --postgres postgres://postgres@127.0.0.1:5432/tw_bench
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/import_full.py   # both

For each database: migrate a fresh one (a temp SQLite file; on PostgreSQL the named
database is dropped and created again), then run `manage.py import_twin_cities` in
a fresh Python process that reports its own wall time and peak resident memory
(ru_maxrss: Django, the data and the ORM objects together), then run it a second
time (which must change nothing); then time the network questions on the imported
data (GET /api/v1/network/path/ for 200 random pairs, and /stats/) through Django's
test client. It prints the import's summary (places and links by data set, matches,
new places, possible duplicates, dated links, names, rejected rows by reason) and what
the database then holds. Targets: at least 28,000 links and 15,000 places; full import
under 60 s and 500 MB; a second run changes nothing; path p50 under 50 ms.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET_SECONDS = 60.0
TARGET_LINKS = 28_000
TARGET_PLACES = 15_000
TARGET_MB = 500.0
TARGET_PATH_MS = 50.0


def child_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
    )
    return env


def fresh_postgres(url: str) -> str:
    """Drop and create the database named in `url` (on its server); return the url."""
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = urlunparse(parsed._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return url


def drop_postgres(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')
    connection.close()


def migrate(database_url: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=child_env(database_url),
        check=True,
    )


def import_in_child(database_url: str, report: Path) -> dict:
    """Run the import in a fresh process; it prints one JSON line about itself."""
    done = subprocess.run(
        [PYTHON, __file__, "--child", "--report", str(report)],
        cwd=ROOT,
        env=child_env(database_url),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def network_child() -> None:
    """Time the network questions on the imported data, in a fresh process."""
    sys.path.insert(0, str(ROOT))
    import random
    import statistics

    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cities.models import City
    from partnerships import network

    setup_test_environment()  # lets the test client talk to ALLOWED_HOSTS' testserver
    client = Client()
    slugs = list(City.objects.order_by("pk").values_list("slug", flat=True))
    pairs = [tuple(random.Random(n).sample(slugs, 2)) for n in range(200)]

    def timed(url, params):
        started = time.perf_counter()
        response = client.get(url, params)
        assert response.status_code == 200, response.content[:200]
        return (time.perf_counter() - started) * 1000, response.json()

    network.forget()
    cold, _ = timed("/api/v1/network/path/", {"from": pairs[0][0], "to": pairs[0][1]})
    warm = []
    hops = []
    for a, b in pairs:
        ms, body = timed("/api/v1/network/path/", {"from": a, "to": b})
        warm.append(ms)
        hops.append(body["hops"])
    network.forget()
    stats_cold, _ = timed("/api/v1/network/stats/", {})
    stats_warm = statistics.median(timed("/api/v1/network/stats/", {})[0] for _ in range(20))
    warm.sort()
    found = [h for h in hops if h is not None]
    print(
        json.dumps(
            {
                "path_cold_ms": cold,
                "path_p50_ms": statistics.median(warm),
                "path_p95_ms": warm[int(len(warm) * 0.95) - 1],
                "paths_found": len(found),
                "paths": len(hops),
                "longest": max(found, default=0),
                "stats_cold_ms": stats_cold,
                "stats_warm_ms": stats_warm,
            }
        )
    )


def child(report: str) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    started = time.perf_counter()
    call_command("import_twin_cities", "--report", report, "--no-progress", stdout=out)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [line.strip() for line in out.getvalue().splitlines()]
    import re
    from collections import Counter

    from cities.models import City, CityName, PossibleDuplicate
    from partnerships.models import Partnership

    reasons: Counter = Counter()
    in_rejected = False
    for line in Path(report).read_text(encoding="utf-8").splitlines():
        if line.startswith("Rejected rows"):
            in_rejected = True
            continue
        if in_rejected:
            if not line.startswith("  "):
                break
            reason = line.split(": ", 1)[1].split(" | ")[0] if ": " in line else line
            reasons[re.sub(r"'[^']*'|Q\d+|\d+", "…", reason)] += 1
    figures = {
        "places": City.objects.count(),
        "links": Partnership.objects.count(),
        "with native name": City.objects.exclude(native_name="").count(),
        "names in other languages": CityName.objects.count(),
        "links with a start": Partnership.objects.filter(start_date__isnull=False).count(),
        "possible duplicates": PossibleDuplicate.objects.count(),
    }
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_mb,
                "summary": lines[1:-1],
                "figures": figures,
                "rejected": dict(reasons),
            }
        )
    )


def bench(label: str, database_url: str, report_dir: Path) -> bool:
    print(f"== {label}")
    migrate(database_url)
    first = import_in_child(database_url, report_dir / f"{label}-first.txt")
    second = import_in_child(database_url, report_dir / f"{label}-second.txt")
    ok = first["seconds"] < TARGET_SECONDS and first["peak_mb"] < TARGET_MB
    print(
        f"  full import : {first['seconds']:6.2f} s, peak {first['peak_mb']:6.1f} MB "
        f"({'meets' if ok else 'MISSES'} < {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB)"
    )
    for line in first["summary"]:
        print(f"      {line}")
    figures = first["figures"]
    print("  the database holds: " + ", ".join(f"{v:,} {k}" for k, v in figures.items()))
    print("  rejected rows by reason:")
    for reason, n in sorted(first["rejected"].items(), key=lambda item: -item[1]):
        print(f"      {n:5d}  {reason}")
    record_ok = figures["links"] >= TARGET_LINKS and figures["places"] >= TARGET_PLACES
    print(
        f"  record      : {'meets' if record_ok else 'MISSES'} >= {TARGET_LINKS:,} links and "
        f">= {TARGET_PLACES:,} places"
    )
    ok = ok and record_ok
    unchanged = any("nothing changed" in line for line in second["summary"])
    print(f"  second run changes nothing: {'yes' if unchanged else 'NO'}")
    ok = ok and unchanged
    print(f"  second run  : {second['seconds']:6.2f} s, peak {second['peak_mb']:6.1f} MB")
    for line in second["summary"]:
        print(f"      {line}")
    done = subprocess.run(
        [PYTHON, __file__, "--network-child"],
        cwd=ROOT,
        env={**child_env(database_url), "ALLOWED_HOSTS": "testserver"},
        check=True,
        capture_output=True,
        text=True,
    )
    net = json.loads(done.stdout.strip().splitlines()[-1])
    path_ok = net["path_p50_ms"] < TARGET_PATH_MS
    print(
        f"  network path: p50 {net['path_p50_ms']:.1f} ms, p95 {net['path_p95_ms']:.1f} ms over "
        f"{net['paths']} random pairs ({net['paths_found']} joined, longest {net['longest']} "
        f"links); first request {net['path_cold_ms']:.0f} ms (builds the graph) "
        f"({'meets' if path_ok else 'MISSES'} p50 < {TARGET_PATH_MS:.0f} ms)"
    )
    print(
        f"  network stats: {net['stats_cold_ms']:.0f} ms cold, "
        f"{net['stats_warm_ms']:.1f} ms warm (median of 20)"
    )
    return ok and path_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--network-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--report", default="", help=argparse.SUPPRESS)
    parser.add_argument("--postgres", default="", help="PostgreSQL URL of a database to (re)create")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--keep", action="store_true", help="Keep the PostgreSQL database.")
    args = parser.parse_args()
    if args.child:
        child(args.report)
        return 0
    if args.network_child:
        network_child()
        return 0

    postgres = args.postgres
    env_url = os.environ.get("DATABASE_URL", "")
    if not postgres and env_url.startswith(("postgres://", "postgresql://")):
        postgres = env_url.rstrip("/") + "_import_bench"
    ok = True
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        tmp = Path(tmp)
        ok &= bench("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", tmp)
        if postgres and not args.sqlite_only:
            fresh_postgres(postgres)
            try:
                ok &= bench("postgresql", postgres, tmp)
            finally:
                if not args.keep:
                    drop_postgres(postgres)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
