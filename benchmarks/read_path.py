"""In-process cost of the API's reads (issue 10): ms per request through the full
middleware stack (Django test client), on whatever database DATABASE_URL names
(load the world first: `manage.py load_seed --with-world`).

    DATABASE_URL=sqlite:////tmp/world.sqlite3 .venv/bin/python benchmarks/read_path.py
    ... benchmarks/read_path.py --profile partners   # pyinstrument profile of one workload

Prints the median and p90 (wall), the mean CPU time of the process (steadier on a
shared machine; with SQLite it includes the database's work) and, on a PostgreSQL
server on this machine, of the server's process for the connection (its work moves
there with the records the database writes, API_SQL_JSON) of N requests per
workload. `--without lean|prepared|sqljson|fast|orjson|permission|once|middleware|filters`
turns a lever
off, to measure each.
Each request asks another city or country (the varied workload), so no layer is
answering from a cache.
Throttles are raised out of the way (their cost is another helper's lever).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("THROTTLE_ANON", "100000000/minute")
os.environ.setdefault("API_RESPONSE_CACHE", "0")
# As production runs: no debug query log, no HTTPS redirect for the test client.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from cities.models import City  # noqa: E402


def workloads():
    busiest = list(
        City.objects.annotate(n=Count("partnerships_as_a") + Count("partnerships_as_b"))
        .order_by("-n")
        .values_list("slug", flat=True)[:60]
    )
    countries = ["DE", "FR", "CN", "US", "GB", "PL", "IT", "JP", "RU", "UA", "ES", "NL"]
    return {
        "links page 100": [f"/api/v1/partnerships/?page_size=100&page={p}" for p in range(1, 40)],
        "links of a country, 100": [
            f"/api/v1/partnerships/?country={c}&page_size=100" for c in countries
        ],
        "partners of a city": [f"/api/v1/cities/{slug}/partners/" for slug in busiest],
        "city detail": [f"/api/v1/cities/{slug}/" for slug in busiest],
        "link detail": [f"/api/v1/partnerships/{pk}/" for pk in range(1, 200, 3)],
        "cities page 100": [f"/api/v1/cities/?page_size=100&page={p}" for p in range(1, 40)],
    }


def _database_cpu():
    """A function giving the CPU seconds the database server's process for this
    connection has used (PostgreSQL on this machine), or None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    stat_path = Path(f"/proc/{pid}/stat")
    if not stat_path.exists():
        return None
    ticks = os.sysconf("SC_CLK_TCK")

    def used() -> float:
        fields = stat_path.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    return used


def run(urls, n):
    """Median and p90 wall ms, mean CPU ms of this process, and mean CPU ms of the
    database server's process (PostgreSQL on this machine; 0 with SQLite, whose work
    is this process's) per request."""
    client = Client()
    for url in urls[:3]:
        assert client.get(url).status_code == 200, url
    database_cpu = _database_cpu()
    database_start = database_cpu() if database_cpu else 0.0
    times, cpu = [], []
    for i in range(n):
        url = urls[i % len(urls)]
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        cpu.append((time.process_time() - start_cpu) * 1000)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    database = (database_cpu() - database_start) * 1000 / n if database_cpu else 0.0
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9)], statistics.mean(cpu), database


#: Levers that can be turned off in process, to measure what each gives (--without).
def _without(lever: str) -> None:
    from rest_framework.renderers import JSONRenderer

    from api import base, fastread

    if lever == "fast":  # reads through the DRF serializers
        base.ApiViewSetMixin.fast_reads = False
    elif lever == "orjson":  # DRF's own JSON renderer
        fastread.OrjsonRenderer.render = JSONRenderer.render
    elif lever == "permission":  # DRF's permission check (builds the queryset)
        base.ModelPermissionsOrAnonReadOnly.has_permission = (
            base.permissions.DjangoModelPermissionsOrAnonReadOnly.has_permission
        )
    elif lever == "once":  # querysets and URL paths built per request, not per process
        from partnerships import selectors
        from partnerships.api import fast, querysets, views

        class Forgetful(dict):
            def __setitem__(self, key, value):
                pass

        fastread._PATHS = Forgetful()
        views._cities_with_link_count = selectors.cities_with_link_count
        views._partnerships_for_api = querysets.partnerships_for_api
        views._city_values = lambda: fast.city_values(selectors.cities_with_link_count())
        views._partnership_values = lambda: fast.partnership_values(
            querysets.partnerships_for_api()
        )
    elif lever == "middleware":  # messages set up and public paths resolved for the API
        from django.contrib.messages.middleware import MessageMiddleware

        import public.middleware as first_visit
        from api import middleware

        middleware.MessageMiddleware.process_request = MessageMiddleware.process_request

        class Path(str):
            def startswith(self, prefix, *args):
                return False if prefix == "/api/" else str.startswith(self, prefix, *args)

        _call = first_visit.FirstVisitLanguageMiddleware.__call__

        def call(self, request):
            request.path_info = Path(request.path_info)
            return _call(self, request)

        first_visit.FirstVisitLanguageMiddleware.__call__ = call
    elif lever == "lean":  # the lean reads (api/lean.py): every request through DRF's view
        from django.conf import settings

        settings.API_LEAN_READS = False
    elif lever == "prepared":  # PostgreSQL's PREPARE/EXECUTE: every statement planned anew
        from django.conf import settings

        settings.DB_PREPARED_STATEMENTS = False
    elif lever == "sqljson":  # the lean reads' records made by Python, not PostgreSQL
        from django.conf import settings

        settings.API_SQL_JSON = False
    elif lever == "filters":  # django-filter's form class made per request
        from partnerships.api import views

        fastread.reuse_form_class = views.reuse_form_class = lambda filterset: filterset
    else:
        raise SystemExit(f"unknown lever {lever!r}")


LEVERS = [
    "lean",
    "prepared",
    "sqljson",
    "fast",
    "orjson",
    "permission",
    "once",
    "middleware",
    "filters",
]


def compare_levers(args) -> None:
    import subprocess

    configs = [[], *([lever] for lever in LEVERS), LEVERS]
    best: dict = {}
    for _round in range(args.rounds):
        for config in configs:
            command = [sys.executable, __file__, "-n", str(args.n)]
            if args.only:
                command += ["--only", args.only]
            for lever in config:
                command += ["--without", lever]
            out = subprocess.run(
                command, capture_output=True, text=True, check=True
            ).stdout.splitlines()
            for line in out[2:]:
                name, cpu = line[:28].strip(), float(line.split()[-1])
                key = (" + ".join(config) or "-", name)
                best[key] = min(best.get(key, cpu), cpu)
    names = list(dict.fromkeys(name for _config, name in best))
    labels = list(dict.fromkeys(config for config, _name in best))
    print(
        "lowest mean CPU ms per request, this process and the database server's "
        "together; column: the lever(s) turned off"
    )
    print(f"{'workload':28}" + "".join(f"{label[:12]:>13}" for label in labels))
    for name in names:
        print(f"{name:28}" + "".join(f"{best[(label, name)]:13.2f}" for label in labels))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=100)
    parser.add_argument("--profile", help="a workload name (substring) to profile")
    parser.add_argument("--only", help="only workloads whose name contains this")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        help=", ".join(LEVERS) + " (repeatable)",
    )
    parser.add_argument(
        "--levers",
        action="store_true",
        help="each lever off in turn, then all, in subprocesses, interleaved over --rounds; "
        "prints the lowest mean CPU ms per request of each configuration",
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.levers:
        return compare_levers(args)
    for lever in args.without:
        _without(lever)
    loads = workloads()
    if args.profile:
        from pyinstrument import Profiler

        name = next(k for k in loads if args.profile in k)
        client = Client()
        client.get(loads[name][0])
        profiler = Profiler(interval=0.0002)
        profiler.start()
        for i in range(args.n):
            client.get(loads[name][i % len(loads[name])])
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))
        return
    print(f"without: {', '.join(args.without) or 'nothing'}")
    print(f"{'workload':28} {'p50 ms':>8} {'p90 ms':>8} {'CPU ms':>8} {'DB CPU':>8} {'both':>8}")
    for name, urls in loads.items():
        if args.only and args.only not in name:
            continue
        p50, p90, cpu, database = run(urls, args.n)
        print(f"{name:28} {p50:8.2f} {p90:8.2f} {cpu:8.2f} {database:8.2f} {cpu + database:8.2f}")


if __name__ == "__main__":
    main()
