"""The home map's data on the database you point it at (load the world first:
`manage.py load_seed --with-world`): how long world_map() takes to build, how big its
JSON is raw and gzipped, and how long a cached answer takes; the home page's size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/twinning \
        .venv/bin/python benchmarks/world_map.py

It reads only (it builds no test database): run it against a copy you can spare.
"""

import gzip
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from public import maps  # noqa: E402


def main() -> None:
    setup_test_environment()
    # No collectstatic here: plain static URLs, as in benchmarks/pages.py.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    started = time.perf_counter()
    data = maps.world_map()
    built = time.perf_counter() - started
    body, _gzipped = maps.cached_world_map_json("benchmark")
    print(f"cities {len(data.cities):,}, links {len(data.links):,}")
    print(f"world_map() built in {built * 1000:.0f} ms")
    print(f"JSON {len(body) / 1024:.0f} KiB, gzipped {len(gzip.compress(body)) / 1024:.0f} KiB")

    client = Client()
    home = client.get("/")
    print(f"home page {len(home.content) / 1024:.1f} KiB")
    source = maps.home_map("x", has_links=True).source  # any version: today's data
    client.get(source)  # built and cached
    times = []
    for _ in range(20):
        started = time.perf_counter()
        client.get(source, HTTP_ACCEPT_ENCODING="gzip")
        times.append(time.perf_counter() - started)
    print(f"cached answer (gzipped once, when built): p50 {statistics.median(times) * 1000:.0f} ms")
    cache.clear()


if __name__ == "__main__":
    main()
