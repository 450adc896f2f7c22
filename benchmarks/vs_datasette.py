"""This app against Datasette, on the same twin-city data and equivalent queries.

    .venv/bin/python benchmarks/vs_datasette.py [--requests 300] [--concurrency 8]
        [--postgres postgres://postgres@127.0.0.1:5432/tw_vs_datasette]

1. Builds a SQLite file for Datasette from the same CSVs, read by the importer's own
   readers so both sides hold the same cities and the same links (links.tsv plus the
   pairs only the directed Wikidata statements give), with the indexes an analyst
   would add (sqlite-utils); Datasette serves it immutable (-i), its fastest mode.
2. Imports the same files into a fresh PostgreSQL database with import_twin_cities and
   serves this app with gunicorn as production does (2 sync workers, DEBUG off, Redis
   as the shared cache, --no-control-socket), twice: with the API response cache (the
   default with Redis) and without it. The API throttles are off, as Datasette has
   none (see benchmarks/vs_datasette_settings.py; --with-throttle keeps them).
3. For each query, checks that both sides return the same rows, then drives each with
   the same bounded load: a fixed number of requests from a fixed number of threads,
   each thread on one http.client connection (reopened when the server closes it),
   cycling through the same parameters. Prints requests/s, p50 and p95 per side and
   the ratios. Stops both servers and drops the database (unless --keep).

Queries:
  country  a country's links (a city of it on either side) with both city names, in the
           order they were recorded (the API's default order), page of 100
  partners the partners of a busy city (every one, with the partner's name and country)
  city     a city's detail, with its number of links
Targets: this app's throughput >= Datasette's, and its p95 no worse, on every query.
"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, closing
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from benchmarks.import_full import (  # noqa: E402
    child_env,
    drop_postgres,
    fresh_postgres,
    import_in_child,
    migrate,
)

COUNTRIES = ["DE", "US", "JP", "PL", "FR", "HU", "CN", "RU"]
BUSY_CITIES = 8
DETAIL_CITIES = 50

COUNTRY_SQL = """
select a.name as city_a, b.name as city_b, a.country as country_a, b.country as country_b,
       l.one_sided
from links l join cities a on a.id = l.city_a join cities b on b.id = l.city_b
where l.city_a in (select id from cities where country = :country)
   or l.city_b in (select id from cities where country = :country)
order by l.id
limit 100
""".strip()
PARTNERS_SQL = """
select p.id, p.name, p.country, l.id as link, l.one_sided
from links l join cities p on p.id = case when l.city_a = :qid then l.city_b else l.city_a end
where l.city_a = :qid or l.city_b = :qid
order by p.name, l.id
""".strip()
CITY_SQL = """
select c.id, c.name, c.country, c.region, c.latitude, c.longitude,
  (select count(*) from links where city_a = c.id) +
  (select count(*) from links where city_b = c.id) as partnership_count
from cities c where c.id = :qid
""".strip()


# ---------------------------------------------------------------- data for Datasette


def build_datasette_db(path: Path, data_dir: Path) -> dict:
    """cities and links tables from the CSVs, through the importer's readers."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import sqlite_utils

    from partnerships.importing import DataFiles
    from partnerships.importing.planning import collect_links
    from partnerships.importing.reading import (
        Rejections,
        read_cities,
        read_links,
        read_names,
        read_relations,
    )

    files = DataFiles.under(data_dir)
    rejections = Rejections()
    cities = read_cities(files.cities, rejections=rejections).accepted
    order = {qid: n for n, qid in enumerate(cities)}

    def known(qid):
        return "" if qid in cities else f"unknown ID {qid}"

    pairs = read_links(files.links, known=known, rejections=rejections)
    labels = read_names(files.names, rejections=rejections)
    statements = read_relations(files.relations, labels=labels, known=known, rejections=rejections)
    found = collect_links(
        links=pairs, statements=statements, links_file="links.tsv", relations_file="r.tsv"
    )
    db = sqlite_utils.Database(path, recreate=True)
    db["cities"].insert_all(
        (
            {
                "id": row.qid,
                "name": row.name,
                "country": row.country,
                "region": row.region,
                "latitude": float(row.latitude) if row.latitude is not None else None,
                "longitude": float(row.longitude) if row.longitude is not None else None,
            }
            for row in cities.values()
        ),
        pk="id",
    )
    links = []
    for n, link in enumerate(found.values(), start=1):
        # Canonical order as the app stores it: the city imported first is city_a.
        a, b = sorted(link.qids, key=order.__getitem__)
        links.append({"id": n, "city_a": a, "city_b": b, "one_sided": int(bool(link.one_sided))})
    db["links"].insert_all(
        links, pk="id", foreign_keys=[("city_a", "cities"), ("city_b", "cities")]
    )
    db["links"].create_index(["city_a"])
    db["links"].create_index(["city_b"])
    db["cities"].create_index(["country"])
    db["cities"].create_index(["name"])
    db.vacuum()
    return {"cities": db["cities"].count, "links": db["links"].count}


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, path: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not answer {path} within {seconds} s")


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=open(log, "wb"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------- load


def get_json(port: int, path: str):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Accept": "application/json"})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{path} -> {response.status}: {body[:300]!r}")
    return json.loads(body)


def drive(port: int, paths: list[str], requests: int, concurrency: int) -> dict:
    """`requests` GETs cycling through `paths`, from `concurrency` threads."""
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(requests))
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            path = paths[n % len(paths)]
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept": "application/json"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(f"{response.status} {path}")
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{exc!r} {path}")
                connection.close()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[max(int(len(latencies) * 0.95) - 1, 0)] * 1000,
        "errors": errors,
    }


def median_of(runs: list[dict]) -> dict:
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "p50": statistics.median(r["p50"] for r in runs),
        "p95": statistics.median(r["p95"] for r in runs),
        "errors": [e for r in runs for e in r["errors"]],
    }


# ---------------------------------------------------------------- the queries


def datasette_path(sql: str, **params) -> str:
    return "/twin.json?" + urlencode({"sql": sql, "_shape": "array", **params})


def scenarios(app_port: int, slugs: dict[str, str], busy: list[str], sample: list[str]):
    """(name, app paths, datasette paths, row check) for each query."""

    def check_country(code):
        app = get_json(app_port, f"/api/v1/partnerships/?country={code}&page_size=100")
        ds = get_json(DS_PORT, datasette_path(COUNTRY_SQL, country=code))
        mine = [(r["city_a"]["name"], r["city_b"]["name"]) for r in app["results"]]
        theirs = [(r["city_a"], r["city_b"]) for r in ds]
        return mine == theirs, len(mine)

    def check_partners(qid):
        app = get_json(app_port, f"/api/v1/cities/{slugs[qid]}/partners/?page_size=500")
        ds = get_json(DS_PORT, datasette_path(PARTNERS_SQL, qid=qid))
        mine = sorted((r["city"]["name"], r["city"]["country"]) for r in app["results"])
        theirs = sorted((r["name"], r["country"]) for r in ds)
        return mine == theirs and app["count"] == len(ds), len(mine)

    def check_city(qid):
        app = get_json(app_port, f"/api/v1/cities/{slugs[qid]}/")
        (ds,) = get_json(DS_PORT, datasette_path(CITY_SQL, qid=qid))
        same = (
            app["wikidata_id"] == ds["id"]
            and (app["name"], app["country"], app["region"])
            == (ds["name"], ds["country"], ds["region"])
            and round(app["latitude"], 6) == round(ds["latitude"], 6)
            and round(app["longitude"], 6) == round(ds["longitude"], 6)
            and app["partnership_count"] == ds["partnership_count"]
        )
        return same, 1

    return [
        (
            "country links, page of 100",
            [f"/api/v1/partnerships/?country={c}&page_size=100" for c in COUNTRIES],
            [datasette_path(COUNTRY_SQL, country=c) for c in COUNTRIES],
            [(check_country, c) for c in COUNTRIES],
        ),
        (
            "partners of a busy city",
            [f"/api/v1/cities/{slugs[q]}/partners/?page_size=500" for q in busy],
            [datasette_path(PARTNERS_SQL, qid=q) for q in busy],
            [(check_partners, q) for q in busy],
        ),
        (
            "city detail",
            [f"/api/v1/cities/{slugs[q]}/" for q in sample],
            [datasette_path(CITY_SQL, qid=q) for q in sample],
            [(check_city, q) for q in sample],
        ),
    ]


DS_PORT = 0


def app_slugs(database_url: str) -> dict[str, str]:
    """QID → slug as the importer made them (the app's URLs use slugs)."""
    import psycopg2

    with closing(psycopg2.connect(database_url)) as connection, connection.cursor() as cursor:
        cursor.execute("select wikidata_id, slug from cities_city where wikidata_id <> ''")
        return dict(cursor.fetchall())


def forget_redis_prefix(url: str, prefix: str) -> None:
    """Delete the keys the benchmark's servers left in Redis."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


BUSY_SQL = (
    "select id from (select city_a as id from links union all select city_b from links) "
    "group by id order by count(*) desc, id limit :n"
)
APP_SIDES = (("this app", True), ("  no cache", False))


def start_apps(args, postgres: str, tmp: Path, stack: ExitStack) -> dict:
    """gunicorn as production runs it (2 sync workers, Redis as the shared cache):
    once with the API response cache (the default with Redis), once without."""
    apps = {}
    for label, cached in APP_SIDES:
        port = free_port()
        env = child_env(postgres)
        if not args.with_throttle:
            env["DJANGO_SETTINGS_MODULE"] = "benchmarks.vs_datasette_settings"
        env.update(
            # With --with-throttle: raised so that the load from one address is not 429'd.
            THROTTLE_ANON="100000000/minute",
            THROTTLE_USER="100000000/minute",
            ALLOWED_HOSTS="127.0.0.1",
            REDIS_URL=args.redis,
            CACHE_KEY_PREFIX=f"vs-datasette-{os.getpid()}-{port}",
            API_RESPONSE_CACHE="true" if cached else "false",
        )
        command = [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
        ]
        if args.threads:
            command += ["--worker-class", "gthread", "--threads", str(args.threads)]
        process = start(command, env, tmp / f"gunicorn-{port}.log")
        stack.callback(forget_redis_prefix, args.redis, env["CACHE_KEY_PREFIX"])
        stack.callback(stop, process)
        apps[label] = (port, process)
    return apps


def main() -> int:
    global DS_PORT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="per query and side")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared/data/twin-cities")
    parser.add_argument("--keep", action="store_true", help="Keep the PostgreSQL database.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per query")
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="gthread workers with this many threads (keep-alive), as in the Dockerfile; "
        "0 for sync workers",
    )
    parser.add_argument(
        "--with-throttle",
        action="store_true",
        help="Keep the API throttles (rate raised); see benchmarks/vs_datasette_settings.py",
    )
    args = parser.parse_args()
    postgres = args.postgres or "postgres://postgres@127.0.0.1:5432/tw_vs_datasette"

    with tempfile.TemporaryDirectory(prefix="vs-datasette-") as tmp, ExitStack() as stack:
        tmp = Path(tmp)
        started = time.perf_counter()
        sizes = build_datasette_db(tmp / "twin.db", args.data_dir)
        print(
            f"Datasette file: {sizes['cities']} cities, {sizes['links']} links "
            f"({time.perf_counter() - started:.1f} s)"
        )

        fresh_postgres(postgres)
        if not args.keep:
            stack.callback(drop_postgres, postgres)
        migrate(postgres)
        imported = import_in_child(postgres, tmp / "import-report.txt")
        print(
            f"PostgreSQL import: {imported['seconds']:.1f} s, peak {imported['peak_mb']:.0f} MB; "
            + "; ".join(imported["summary"][:2])
        )

        DS_PORT = free_port()
        command = [str(BIN / "datasette"), "serve", "-i", str(tmp / "twin.db")]
        command += ["-h", "127.0.0.1", "-p", str(DS_PORT)]
        datasette = start(command, dict(os.environ), tmp / "datasette.log")
        stack.callback(stop, datasette)
        apps = start_apps(args, postgres, tmp, stack)
        wait_until_up(DS_PORT, "/-/versions.json", datasette)
        for port, process in apps.values():
            wait_until_up(port, "/api/v1/", process)
        (app_port, app), (bare_port, bare) = apps["this app"], apps["  no cache"]
        print(
            f"Datasette on :{DS_PORT} (pid {datasette.pid}); gunicorn x{args.workers} with the "
            f"API response cache on :{app_port} (pid {app.pid}), without on :{bare_port} "
            f"(pid {bare.pid})"
        )

        slugs = app_slugs(postgres)
        busy = [r["id"] for r in get_json(DS_PORT, datasette_path(BUSY_SQL, n=BUSY_CITIES))]
        sample = random.Random(5).sample(sorted(slugs), DETAIL_CITIES)

        print(
            f"\n{args.requests} requests per query and side, {args.concurrency} threads, "
            f"median of {args.rounds} alternating rounds\n"
        )
        header = f"{'query':<28} {'side':<10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}"
        print(header)
        print("-" * len(header))
        verdicts = []
        for name, app_paths, ds_paths, checks in scenarios(app_port, slugs, busy, sample):
            rows = [check(value) for check, value in checks]
            same = all(ok for ok, _ in rows)
            sides = [(label, port, app_paths) for label, (port, _) in apps.items()]
            sides.append(("Datasette", DS_PORT, ds_paths))
            for _, port, paths in sides:
                drive(port, paths, min(40, args.requests), args.concurrency)  # warm up
            # Rounds alternate the sides, so a burst of other load on this shared
            # machine falls on all of them; each figure is the median of the rounds.
            rounds = {label: [] for label, _, _ in sides}
            for _ in range(args.rounds):
                for label, port, paths in sides:
                    rounds[label].append(drive(port, paths, args.requests, args.concurrency))
            results = {label: median_of(runs) for label, runs in rounds.items()}
            for label, result in results.items():
                errors = result["errors"]
                note = f"  ({len(errors)} errors: {errors[:2]})" if errors else ""
                print(
                    f"{name:<28} {label:<10} {result['rps']:8.1f} {result['p50']:8.1f} "
                    f"{result['p95']:8.1f}{note}"
                )
            mine, bare_result, theirs = (
                results[k] for k in ("this app", "  no cache", "Datasette")
            )
            rps_ratio = mine["rps"] / theirs["rps"]
            p95_ratio = mine["p95"] / theirs["p95"]
            ok = same and rps_ratio >= 1 and p95_ratio <= 1 and not mine["errors"]
            verdicts.append(ok)
            print(
                f"{'':<28} {'ratio':<10} {rps_ratio:7.2f}x {'':>8} {p95_ratio:7.2f}x  "
                f"(no cache: {bare_result['rps'] / theirs['rps']:.2f}x, "
                f"{bare_result['p95'] / theirs['p95']:.2f}x)  rows "
                f"{'same' if same else 'DIFFER'} ({sum(n for _, n in rows)} checked)  "
                f"{'meets target' if ok else 'MISSES target'}"
            )
        return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
