"""This app against Datasette and a raw-WSGI floor, on the same twin-city data and SQL.

    .venv/bin/pip install -e '.[bench]'      # Datasette, sqlite-utils: benchmark only
    apt-get install -y wrk                    # optional: the Python driver otherwise
    .venv/bin/python benchmarks/vs_datasette.py [--duration 5] [--rounds 3]
        [--postgres postgres://postgres@127.0.0.1:5432/tw_vs_datasette]
        [--server granian|gunicorn]

In one run on 127.0.0.1:

1. A SQLite file built from the same CSVs as the import, read by the importer's own
   readers (cities, links.tsv plus the pairs only the directed Wikidata statements
   give), with the indexes an analyst would add (sqlite-utils). Datasette serves it
   immutable (-i), its fastest mode.
2. The floor: benchmarks/floor_wsgi.py, a plain WSGI app with sqlite3 and json running
   the same SQL on the same file, under the same server as the app.
3. This app as the Dockerfile runs it: granian, 2 workers x 4 threads, access
   log on, DEBUG off after collectstatic, PostgreSQL holding the same data imported
   with import_twin_cities, Redis as the shared cache, the throttles on (limits the
   load never reaches: every request is still counted) and the full middleware;
   twice, with the API response cache off and on.
   `--server gunicorn` runs the app and the floor under gunicorn instead (2 gthread
   workers x 4 threads, what the Dockerfile ran before), to compare the two servers.

Workloads: four that ask the same URL again and again (the first 100 links touching
Germany, then China, the API's default order; the partners of Beijing, of Paris) and
two that ask something new each time (the partners of every city in turn; the first
100 links of every country in turn). Before the load, the rows of every side are
checked equal (on a sample for the varied ones). Then each side gets the same load,
peers alternating round by round so a burst of other work on this shared machine
falls on all of them: wrk (2 threads, 16 connections, a Lua script cycling through
the workload's URLs) when installed, else a Python driver (threads on keep-alive
connections). Prints req/s, p50 and p99 (the median of the rounds) and the ratios to
Datasette and to the floor, with the issue's targets: cache off >= 1.5x Datasette's
req/s with p99 no worse; a cache hit (repeated URL, cache on) >= 0.5x the floor.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
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

from benchmarks.floor_wsgi import COUNTRY_SQL, PARTNERS_SQL  # noqa: E402
from benchmarks.import_full import (  # noqa: E402
    child_env,
    drop_postgres,
    fresh_postgres,
    import_in_child,
    migrate,
)
from config.server import server_command as dockerfile_server  # noqa: E402
from config.server import stop  # noqa: E402


def server_command(
    server: str, app: str, port: int, *, pythonpath: Path | None = None, access_log=False
) -> list:
    """The WSGI `app` on 127.0.0.1:`port` as the Dockerfile serves it (granian, its
    CMD read by config.server), or under gunicorn as it did before (--server
    gunicorn), 2 workers x 4 threads."""
    if server == "gunicorn":
        command = [str(BIN / "gunicorn"), app, "--workers", "2", "--worker-class", "gthread"]
        command += ["--threads", "4", "--bind", f"127.0.0.1:{port}"]
        command += ["--access-logfile", "-"] if access_log else []
        return command + (["--pythonpath", str(pythonpath)] if pythonpath else [])
    return dockerfile_server(port=port, app=app, working_dir=pythonpath, access_log=access_log)


LUA = """
local counter = 0
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  -- args[2]: where this run starts, so a varied workload asks new URLs each run
  counter = ((tonumber(args[2]) or 0) + (offset or 0) * math.floor(#paths / 2)) % #paths
end
function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], {["Accept"] = "application/json"})
end
"""


# ---------------------------------------------------------------- data for Datasette


def build_sqlite_db(path: Path, database_url: str) -> dict:
    """cities and links tables holding what the app's PostgreSQL database holds after
    the import (same ids, so "in the order they were recorded" is the same order), with
    the indexes an analyst would add."""
    import psycopg2
    import sqlite_utils

    with closing(psycopg2.connect(database_url)) as connection, connection.cursor() as cursor:
        cursor.execute(
            "select id, slug, name, country, region, latitude::float8, longitude::float8 "
            "from cities_city order by id"
        )
        columns = ["id", "slug", "name", "country", "region", "latitude", "longitude"]
        cities = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute(
            "select id, city_a_id, city_b_id, one_sided::int from partnerships_partnership "
            "order by id"
        )
        links = [
            {"id": pk, "city_a": a, "city_b": b, "one_sided": one_sided}
            for pk, a, b, one_sided in cursor.fetchall()
        ]
    db = sqlite_utils.Database(path, recreate=True)
    db["cities"].insert_all(cities, pk="id")
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


# ---------------------------------------------------------------- load


def get_json(port: int, path: str):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Accept": "application/json"})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{path} -> {response.status}: {body[:300]!r}")
    return json.loads(body)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def drive_wrk(port: int, paths_file: Path, seconds: float, tmp: Path, start: int = 0) -> dict:
    script = tmp / "paths.lua"
    if not script.exists():
        script.write_text(LUA)
    done = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(script)]
        + [f"http://127.0.0.1:{port}", "--", str(paths_file), str(start)],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if set(latency) != {"50", "99"}:
        raise RuntimeError(f"wrk gave no latency percentiles:\n{out}{done.stderr}")
    errors = []
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors.append(f"{match.group(1)} non-2xx")
    if match := re.search(r"Socket errors: (.*)", out):
        errors.append(f"socket errors {match.group(1)}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(latency["50"]),
        "p99": _ms(latency["99"]),
        "errors": errors,
    }


def drive_python(
    port: int, paths: list[str], seconds: float, start: int = 0, concurrency: int = 16
) -> dict:
    """GETs cycling through `paths` for `seconds`, from `concurrency` threads, each on
    one keep-alive connection."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(offset: int):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        n = offset
        while time.perf_counter() < deadline:
            path = paths[n % len(paths)]
            n += 1
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
            with lock:
                latencies.append(time.perf_counter() - started)
        connection.close()

    threads = [
        threading.Thread(target=worker, args=(start + i * len(paths) // concurrency,))
        for i in range(concurrency)
    ]
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
        "p99": latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000,
        "errors": errors[:3] + ([f"... {len(errors)} in all"] if len(errors) > 3 else []),
    }


def median_of(runs: list[dict]) -> dict:
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "p50": statistics.median(r["p50"] for r in runs),
        "p99": statistics.median(r["p99"] for r in runs),
        "errors": [e for r in runs for e in r["errors"]],
    }


# ---------------------------------------------------------------- the workloads


def datasette_path(sql: str, **params) -> str:
    return "/twin.json?" + urlencode({"sql": sql, "_shape": "array", **params})


def app_links(code: str) -> str:
    return f"/api/v1/partnerships/?country={code}&page_size=100"


def app_partners(slug: str) -> str:
    return f"/api/v1/cities/{slug}/partners/?page_size=500"


class Workloads:
    """Each workload: its name, whether one URL is asked again and again, the paths
    of each side, and the values to check rows on."""

    def __init__(self, ports: dict, slugs: dict[str, str], countries: list[str], qids: dict):
        self.ports, self.slugs = ports, slugs
        self.countries, self.qids = countries, qids

    def links(self, codes):
        return {
            "app": [app_links(c) for c in codes],
            "Datasette": [datasette_path(COUNTRY_SQL, country=c) for c in codes],
            "floor": [f"/links?country={c}" for c in codes],
        }

    def partners(self, qids):
        return {
            "app": [app_partners(self.slugs[q]) for q in qids],
            "Datasette": [datasette_path(PARTNERS_SQL, qid=q) for q in qids],
            "floor": [f"/partners?qid={q}" for q in qids],
        }

    def all(self):
        cities = sorted(self.slugs)
        sample = random.Random(5).sample(cities, min(60, len(cities)))
        return [
            ("links touching DE, 100 rows", True, self.links(["DE"]), ("links", ["DE"])),
            ("links touching CN, 100 rows", True, self.links(["CN"]), ("links", ["CN"])),
            (
                "partners of Beijing",
                True,
                self.partners([self.qids["beijing"]]),
                ("partners", [self.qids["beijing"]]),
            ),
            (
                "partners of Paris",
                True,
                self.partners([self.qids["paris"]]),
                ("partners", [self.qids["paris"]]),
            ),
            (
                f"partners of each of {len(cities)} cities",
                False,
                self.partners(cities),
                ("partners", sample),
            ),
            (
                f"100 links of each of {len(self.countries)} countries",
                False,
                self.links(self.countries),
                ("links", self.countries[:40]),
            ),
        ]

    def rows(self, kind: str, value: str) -> dict:
        """Each side's rows for one value, in comparable form."""
        app_port, ds_port, floor_port = (self.ports[k] for k in ("app", "Datasette", "floor"))
        if kind == "links":
            app = get_json(app_port, app_links(value))["results"]
            found = {"app": [(r["city_a"]["name"], r["city_b"]["name"]) for r in app]}
            for side, port, path in (
                ("Datasette", ds_port, datasette_path(COUNTRY_SQL, country=value)),
                ("floor", floor_port, f"/links?country={value}"),
            ):
                found[side] = [(r["city_a"], r["city_b"]) for r in get_json(port, path)]
            return found
        app = get_json(app_port, app_partners(self.slugs[value]))
        found = {"app": sorted((r["city"]["name"], r["city"]["country"]) for r in app["results"])}
        for side, port, path in (
            ("Datasette", ds_port, datasette_path(PARTNERS_SQL, qid=value)),
            ("floor", floor_port, f"/partners?qid={value}"),
        ):
            found[side] = sorted((r["name"], r["country"]) for r in get_json(port, path))
        return found

    def check(self, kind: str, values: list[str]) -> tuple[bool, int]:
        checked = 0
        for value in values:
            found = self.rows(kind, value)
            if not (found["app"] == found["Datasette"] == found["floor"]):
                print(f"  rows differ for {kind} {value}: {[len(v) for v in found.values()]}")
                return False, checked
            checked += len(found["app"])
        return True, checked


# ---------------------------------------------------------------- the servers


def app_slugs(db: Path) -> dict[int, str]:
    """City id -> slug (the app's URLs use slugs)."""
    import sqlite3

    with closing(sqlite3.connect(db)) as connection:
        return dict(connection.execute("select id, slug from cities"))


def forget_redis_prefix(url: str, prefix: str) -> None:
    """Delete the keys the benchmark's servers left in Redis."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


def collectstatic(postgres: str, root: Path) -> None:
    env = {**child_env(postgres), "STATIC_ROOT": str(root)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def start_app(args, postgres: str, tmp: Path, stack: ExitStack, *, cached: bool):
    port = free_port()
    env = child_env(postgres)
    env.update(
        # Throttles on, as in production, with limits the load never reaches.
        THROTTLE_ANON="1000000000/minute",
        THROTTLE_USER="1000000000/minute",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(tmp / "static"),
        REDIS_URL=args.redis,
        CACHE_KEY_PREFIX=f"vs-datasette-{os.getpid()}-{port}",
        API_RESPONSE_CACHE="true" if cached else "false",
    )
    command = server_command(args.server, "config.wsgi:application", port, access_log=True)
    process = start(command, env, tmp / f"{args.server}-app-{port}.log")
    stack.callback(forget_redis_prefix, args.redis, env["CACHE_KEY_PREFIX"])
    stack.callback(stop, process)
    return port, process


def start_floor(args, db: Path, tmp: Path, stack: ExitStack):
    port = free_port()
    command = server_command(
        args.server, "floor_wsgi:application", port, pythonpath=ROOT / "benchmarks"
    )
    process = start(command, {**os.environ, "FLOOR_DB": str(db)}, tmp / "floor.log")
    stack.callback(stop, process)
    return port, process


def start_datasette(db: Path, tmp: Path, stack: ExitStack):
    port = free_port()
    command = [str(BIN / "datasette"), "serve", "-i", str(db)]
    command += ["-h", "127.0.0.1", "-p", str(port)]
    process = start(command, dict(os.environ), tmp / "datasette.log")
    stack.callback(stop, process)
    return port, process


def tool_versions(server: str) -> str:
    from importlib.metadata import version

    wrk = shutil.which("wrk")
    wrk_version = ""
    if wrk:
        done = subprocess.run([wrk, "-v"], capture_output=True, text=True)
        wrk_version = (done.stdout + done.stderr).split("\n")[0].split(" [")[0]
    return (
        f"Datasette {version('datasette')}, {server} {version(server)}, "
        f"Django {version('django')}, DRF {version('djangorestframework')}; "
        + (
            f"load: {wrk_version}, 2 threads, 16 connections, 10 s timeout"
            if wrk
            else "load: Python driver"
        )
    )


# ---------------------------------------------------------------- main


SIDES = ("Datasette", "floor", "app, cache off", "app, cache on")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per workload")
    parser.add_argument("--postgres", default="")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--keep", action="store_true", help="Keep the PostgreSQL database.")
    parser.add_argument(
        "--reuse", action="store_true", help="Use the database a run with --keep left."
    )
    parser.add_argument("--python-driver", action="store_true", help="Do not use wrk.")
    parser.add_argument(
        "--server",
        choices=("granian", "gunicorn"),
        default="granian",
        help="The server of the app and the floor (granian: as the Dockerfile runs it).",
    )
    args = parser.parse_args()
    postgres = args.postgres or "postgres://postgres@127.0.0.1:5432/tw_vs_datasette"
    use_wrk = bool(shutil.which("wrk")) and not args.python_driver

    with tempfile.TemporaryDirectory(prefix="vs-datasette-") as tmp, ExitStack() as stack:
        tmp = Path(tmp)
        if args.reuse:
            print(f"PostgreSQL: {postgres} as a run with --keep left it")
        else:
            fresh_postgres(postgres)
            migrate(postgres)
            imported = import_in_child(postgres, tmp / "import-report.txt")
            print(
                f"PostgreSQL import: {imported['seconds']:.1f} s; "
                + "; ".join(imported["summary"][:2])
            )
        if not args.keep:
            stack.callback(drop_postgres, postgres)
        started = time.perf_counter()
        db = tmp / "twin.db"
        sizes = build_sqlite_db(db, postgres)
        print(
            f"SQLite file for Datasette and the floor: {sizes['cities']} cities, "
            f"{sizes['links']} links, copied from PostgreSQL "
            f"({time.perf_counter() - started:.1f} s)"
        )
        collectstatic(postgres, tmp / "static")

        servers = {
            "Datasette": start_datasette(db, tmp, stack),
            "floor": start_floor(args, db, tmp, stack),
            "app, cache off": start_app(args, postgres, tmp, stack, cached=False),
            "app, cache on": start_app(args, postgres, tmp, stack, cached=True),
        }
        for side, (port, process) in servers.items():
            path = "/-/versions.json" if side == "Datasette" else "/api/v1/"
            wait_until_up(port, "/links?country=DE" if side == "floor" else path, process)
        ports = {side: port for side, (port, _) in servers.items()}
        print(tool_versions(args.server))
        print("; ".join(f"{side} on :{port}" for side, port in ports.items()))

        import sqlite3

        with closing(sqlite3.connect(db)) as connection:
            countries = [
                row[0]
                for row in connection.execute(
                    "select distinct country from cities where country <> '' order by country"
                )
            ]

            def busiest(name: str, country: str) -> str:
                return connection.execute(
                    "select c.id from cities c where c.name = ? and c.country = ? order by "
                    "(select count(*) from links where city_a = c.id or city_b = c.id) desc",
                    [name, country],
                ).fetchone()[0]

            qids = {"beijing": busiest("Beijing", "CN"), "paris": busiest("Paris", "FR")}
        slugs = app_slugs(db)
        workloads = Workloads({"app": ports["app, cache off"], **ports}, slugs, countries, qids)

        print(
            f"\n{args.duration:g} s per run, median of {args.rounds} rounds, sides alternating; "
            "this machine (2 cores) is shared with other work, so figures move between runs\n"
        )
        header = (
            f"{'workload':<34} {'side':<15} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'/Datasette':>11} {'/floor':>7}"
        )
        print(header)
        print("-" * len(header))
        for name, repeated, paths, (kind, values) in workloads.all():
            same, checked = workloads.check(kind, values)
            files = {}
            for side in SIDES:
                file = tmp / f"paths-{len(files)}-{abs(hash(name))}.txt"
                file.write_text("\n".join(paths["app" if side.startswith("app") else side]))
                files[side] = (file, paths["app" if side.startswith("app") else side])

            def run(side, seconds, start, files=files):
                file, side_paths = files[side]
                if use_wrk:
                    return drive_wrk(ports[side], file, seconds, tmp, start)
                return drive_python(ports[side], side_paths, seconds, start)

            # Each round starts further along the list, the same place for every side:
            # a varied workload asks the cache-on side URLs it has not seen (until the
            # list comes round again: 213 countries do within a run).
            stride = len(paths["app"]) // (args.rounds + 1)
            for side in SIDES:
                run(side, 2, 0)  # warm up (and fill the cache)
            rounds = {side: [] for side in SIDES}
            for n in range(args.rounds):
                order = SIDES if n % 2 == 0 else tuple(reversed(SIDES))
                for side in order:
                    rounds[side].append(run(side, args.duration, (n + 1) * stride))
            results = {side: median_of(runs) for side, runs in rounds.items()}
            ds, floor = results["Datasette"], results["floor"]
            for side, result in results.items():
                errors = result["errors"]
                note = f"  ({'; '.join(errors[:2])})" if errors else ""
                ratios = (
                    f"{result['rps'] / ds['rps']:10.2f}x {result['rps'] / floor['rps']:6.2f}x"
                    if side.startswith("app")
                    else ""
                )
                print(
                    f"{name:<34} {side:<15} {result['rps']:8.1f} {result['p50']:8.2f} "
                    f"{result['p99']:8.2f} {ratios}{note}"
                )
            off, on = results["app, cache off"], results["app, cache on"]
            verdicts = [
                "cache off "
                + (
                    "meets"
                    if off["rps"] >= 1.5 * ds["rps"] and off["p99"] <= ds["p99"]
                    else "MISSES"
                )
                + " 1.5x Datasette (p99 no worse)"
            ]
            if repeated:
                verdicts.append(
                    "cache hit "
                    + ("meets" if on["rps"] >= 0.5 * floor["rps"] else "MISSES")
                    + " 0.5x floor"
                )
            print(
                f"{'':<34} rows {'same' if same else 'DIFFER'} ({checked} checked); "
                + "; ".join(verdicts)
            )
        return 0


if __name__ == "__main__":
    sys.exit(main())
