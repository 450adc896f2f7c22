"""Load and database-fault run: the Dockerfile's server (granian, 2 workers) on PostgreSQL,
32 concurrent clients.

    .venv/bin/python benchmarks/load_and_fault.py              # both phases
    .venv/bin/python benchmarks/load_and_fault.py --no-fault   # the steady phase only
    .venv/bin/python benchmarks/load_and_fault.py --no-fault --redis-fault  # steady + Redis

WARNING: the fault phase STOPS AND STARTS THE LOCAL POSTGRESQL CLUSTER
(`pg_ctlcluster --skip-systemctl-redirect <version> main stop/start`, about 5 s down).
Everything else using that server sees the outage: run it when nothing else does.

Phase 1 (steady): 32 clients mix reads (API lists with filters, details, public
pages) and writes (editors creating cities, each client also editing its own
source record) for --duration seconds. Target: no errors.

Phase 2 (fault): the same load; after --fault-after seconds PostgreSQL is stopped
(fast shutdown: connections cut), kept down --outage seconds, then started again.
Target: during the outage only fast 503s (with Retry-After); recovery within 10 s of
the database accepting connections again, with no restart of the server.

Phase 3 (Redis outage): the same load against a Redis of the run's own (a
redis-server it starts on a free port, not the shared one): after --fault-after
seconds it is stopped (killed: connections refused) for --outage seconds and started
again empty; later it is made silent (SIGSTOP: connections accepted, never
answered) for --outage seconds and resumed with its keys. Target: only 2xx/4xx
answers throughout (the cache is an optimisation), no acknowledged write lost, and
no slow answers beyond the short Redis timeouts.

Afterwards every write the server acknowledged (201/200) is looked up in the
database: each created city must exist, and each client's source must hold its last
acknowledged edit (or an edit it sent later, whose answer was lost to the outage).

Setup: a dedicated database (tw_rel_load, dropped and created each run), migrated,
with the seed fixtures plus 400 cities and 600 links; Redis (shared cache, as in
docker-compose): a redis-server of the run's own on a free port; static files collected as the
Dockerfile does; no throttles (benchmarks/load_and_fault_settings.py says why).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from config.server import running  # noqa: E402

DATABASE = "tw_rel_load"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
CLIENTS = 32
WRITE_SHARE = 0.2
REQUEST_TIMEOUT = 30
COUNTRIES = ["DE", "FR", "IL", "CN"]


def pg_version() -> str:
    return sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])[-1]


def server_env(prefix: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.load_and_fault_settings",
        PYTHONPATH=str(BASE_DIR),
        DATABASE_URL=DATABASE_URL,
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=prefix,
        LOG_LEVEL="CRITICAL",
    )
    return env


# -- setup ------------------------------------------------------------------------


def fresh_database() -> None:
    import psycopg2

    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    admin.close()


SETUP_SCRIPT = """
import json, random, datetime as dt
import django
django.setup()
from django.core.management import call_command
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from cities.models import City
from partnerships.models import Partnership, Source

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, clear=True, verbosity=0)
call_command("loaddata", "seed", verbosity=0)
rng = random.Random(1998)
countries = ["DE", "FR", "IL", "CN", "US", "JP", "BR", "IN", "NG", "PL"]
City.objects.bulk_create(
    City(name=f"Load city {n}", slug=f"load-city-{n}", country=countries[n % len(countries)])
    for n in range(400)
)
ids = list(City.objects.values_list("pk", flat=True))
pairs = set()
while len(pairs) < 600:
    a, b = rng.sample(ids, 2)
    pairs.add((min(a, b), max(a, b)))
Partnership.objects.bulk_create(
    Partnership(city_a_id=a, city_b_id=b, start_date=dt.date(1950 + a % 70, 1, 1),
                start_precision="year")
    for a, b in pairs
)
sources = Source.objects.bulk_create(
    Source(publisher="Load test", title=f"Client {n}") for n in range(CLIENT_COUNT)
)
editor = User.objects.create_user("load-editor", password=None, is_staff=True)
editor.groups.add(Group.objects.get(name="editors"))
print(json.dumps({
    "token": Token.objects.create(user=editor).key,
    "sources": [s.pk for s in Source.objects.filter(publisher="Load test").order_by("pk")],
    "cities": list(City.objects.values_list("slug", flat=True)),
    "partnerships": list(Partnership.objects.values_list("pk", flat=True)),
}))
"""


def set_up(env: dict[str, str]) -> dict:
    fresh_database()
    result = subprocess.run(
        [sys.executable, "-c", SETUP_SCRIPT.replace("CLIENT_COUNT", str(CLIENTS))],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- the load ---------------------------------------------------------------------


def request(port: int, method: str, path: str, body: dict | None = None, token: str = ""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    headers = {"Accept": "application/json"} if path.startswith("/api/") else {}
    if token:
        headers["Authorization"] = f"Token {token}"
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        content = response.read()
        return response.status, response.getheader("Retry-After"), content
    finally:
        connection.close()


@dataclass
class Sample:
    started: float
    seconds: float
    method: str
    kind: str
    status: int  # 0: no answer (timeout, connection error)
    retry_after: str | None = None


@dataclass
class ClientLog:
    samples: list[Sample] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # slugs answered 201
    edits_sent: list[str] = field(default_factory=list)  # notes in the order sent
    last_acknowledged_edit: int = -1  # index into edits_sent


def run_client(number, port, data, stop_at, log: ClientLog, run_id: str) -> None:
    rng = random.Random(number)
    token, source = data["token"], data["sources"][number]
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        roll = rng.random()
        body = None
        if roll < WRITE_SHARE * 0.6:
            kind, method = "create city", "POST"
            slug = f"w-{run_id}-{number}-{n}"
            path, body = "/api/v1/cities/", {"name": f"Written {n}", "slug": slug, "country": "IL"}
        elif roll < WRITE_SHARE:
            kind, method = "edit source", "PATCH"
            note = f"{run_id}-{number}-{n}"
            path, body = f"/api/v1/sources/{source}/", {"note": note}
            log.edits_sent.append(note)
        else:
            method = "GET"
            kind, path = rng.choice(
                [
                    ("list cities", f"/api/v1/cities/?page={rng.randint(1, 8)}"),
                    (
                        "list links",
                        f"/api/v1/partnerships/?country={rng.choice('DE FR IL CN'.split())}",
                    ),
                    ("city", f"/api/v1/cities/{rng.choice(data['cities'])}/"),
                    ("link", f"/api/v1/partnerships/{rng.choice(data['partnerships'])}/"),
                    ("events", "/api/v1/events/"),
                    ("page", f"/cities/{rng.choice(data['cities'])}/"),
                    ("page", "/partnerships/"),
                ]
            )
        started = time.monotonic()
        try:
            status, retry_after, _ = request(port, method, path, body, token if body else "")
        except (OSError, http.client.HTTPException):
            status, retry_after = 0, None
        log.samples.append(
            Sample(started, time.monotonic() - started, method, kind, status, retry_after)
        )
        if kind == "create city" and status == 201:
            log.created.append(slug)
        if kind == "edit source" and status == 200:
            log.last_acknowledged_edit = len(log.edits_sent) - 1


def run_load(port, data, seconds, run_id, during=None) -> tuple[list[ClientLog], dict]:
    logs = [ClientLog() for _ in range(CLIENTS)]
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=run_client, args=(i, port, data, stop_at, logs[i], run_id))
        for i in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    events = during() if during else {}
    for thread in threads:
        thread.join()
    return logs, events


# -- the fault --------------------------------------------------------------------


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


def outage(after: float, down_for: float):
    def run() -> dict:
        time.sleep(after)
        cluster = ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main"]
        stop_requested = time.monotonic()
        subprocess.run([*cluster, "stop", "-m", "fast"], check=True)
        stopped = time.monotonic()
        time.sleep(down_for)
        subprocess.run([*cluster, "start"], check=True)
        while not pg_ready():
            time.sleep(0.05)
        return {"stop_requested": stop_requested, "stopped": stopped, "ready": time.monotonic()}

    return run


class OwnRedis:
    """A redis-server of the benchmark's own, on a free port, keeping nothing on disk."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def pause(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)


def redis_outages(redis: OwnRedis, after: float, down_for: float, gap: float):
    """Stopped for `down_for` s, then `gap` s of service, then silent for `down_for` s."""

    def run() -> dict:
        time.sleep(after)
        stopped = time.monotonic()
        redis.stop()
        time.sleep(down_for)
        redis.start()
        back = time.monotonic()
        time.sleep(gap)
        paused = time.monotonic()
        redis.pause()
        time.sleep(down_for)
        redis.resume()
        resumed = time.monotonic()
        return {"windows": [("stopped", stopped, back), ("silent", paused, resumed)]}

    return run


# -- report -----------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def summarize(title: str, logs: list[ClientLog], seconds: float, events: dict) -> dict:
    samples = [s for log in logs for s in log.samples]
    statuses = Counter(s.status for s in samples)
    errors = {status: n for status, n in statuses.items() if not 200 <= status < 400}
    latencies = [s.seconds for s in samples]
    print(f"\n== {title} ==")
    print(f"requests served: {len(samples)} in {seconds:.0f} s ({len(samples) / seconds:.0f}/s)")
    print(f"statuses: {dict(sorted(statuses.items()))}")
    print(f"errors by status: {errors or 'none'}")
    by_kind = Counter((s.kind, s.status) for s in samples if not 200 <= s.status < 400)
    if by_kind:
        print(f"errors by request kind: {dict(sorted(by_kind.items()))}")
    print(
        f"latency p50 {ms(percentile(latencies, 50))}, p95 {ms(percentile(latencies, 95))}, "
        f"p99 {ms(percentile(latencies, 99))}, max {ms(max(latencies))}"
    )
    kinds = sorted({s.kind for s in samples})
    print(
        "p50 by kind: "
        + ", ".join(
            f"{kind} {ms(percentile([s.seconds for s in samples if s.kind == kind], 50))}"
            for kind in kinds
        )
    )
    writes = [s for s in samples if s.method != "GET"]
    print(
        f"writes: {len(writes)} sent, "
        f"{sum(1 for s in writes if s.status in (200, 201))} acknowledged"
    )
    result = {"samples": samples, "errors": errors}
    for name, down_from, up_at in events.get("windows", []):
        during = [s for s in samples if down_from <= s.started < up_at]
        latencies_during = [s.seconds for s in during]
        print(
            f"Redis {name} from +{down_from - events['t0']:.1f} s to "
            f"+{up_at - events['t0']:.1f} s: {len(during)} requests, statuses "
            f"{dict(sorted(Counter(s.status for s in during).items()))}, "
            f"p50 {ms(percentile(latencies_during, 50))}, "
            f"p95 {ms(percentile(latencies_during, 95))}, "
            f"max {ms(max(latencies_during, default=0))}"
        )
        after = [s for s in samples if up_at <= s.started < up_at + 10]
        slow_after = [s for s in after if s.seconds > 1]
        last_slow = max((s.started + s.seconds for s in slow_after), default=up_at)
        print(
            f"  after Redis returned: {len(after)} requests in 10 s; last answer over 1 s "
            f"ended {last_slow - up_at:.2f} s after it returned"
        )
    if "stop_requested" in events:
        down_from, up_at = events["stop_requested"], events["ready"]
        print(
            f"database: stop requested at +{down_from - events['t0']:.1f} s, "
            f"down after {events['stopped'] - down_from:.1f} s, "
            f"accepting connections again at +{up_at - events['t0']:.1f} s "
            f"(outage {up_at - down_from:.1f} s)"
        )
        during = [s for s in samples if down_from <= s.started < up_at]
        unavailable = [s for s in during if s.status == 503]
        other_errors = Counter(
            s.status for s in during if s.status != 503 and not 200 <= s.status < 400
        )
        print(
            f"during the outage: {len(during)} requests, {len(unavailable)} answered 503 "
            f"(p50 {ms(percentile([s.seconds for s in unavailable], 50))}, "
            f"p95 {ms(percentile([s.seconds for s in unavailable], 95))}, "
            f"max {ms(max([s.seconds for s in unavailable], default=0))}), "
            f"{sum(1 for s in during if 200 <= s.status < 400)} served "
            f"(cached reads), other errors: {dict(other_errors) or 'none'}"
        )
        retry = Counter(s.retry_after for s in unavailable)
        print(f"Retry-After on the 503s: {dict(retry)}")
        failures_after = [s for s in samples if s.started >= up_at and not 200 <= s.status < 400]
        last_failure = max((s.started + s.seconds for s in failures_after), default=up_at)
        first_write = min(
            (
                s.started + s.seconds
                for s in samples
                if s.started >= up_at and s.method != "GET" and s.status in (200, 201)
            ),
            default=float("nan"),
        )
        print(
            f"recovery: last error {last_failure - up_at:.2f} s after the database returned "
            f"({len(failures_after)} errors after it); first acknowledged write "
            f"{first_write - up_at:.2f} s after"
        )
        result.update(recovery=last_failure - up_at, during=during)
    return result


VERIFY_SCRIPT = """
import json, sys, django
django.setup()
from cities.models import City
from partnerships.models import Source
wanted = json.load(sys.stdin)
present = set(City.objects.filter(slug__in=wanted["created"]).values_list("slug", flat=True))
notes = dict(Source.objects.filter(pk__in=wanted["sources"]).values_list("pk", "note"))
print(json.dumps({"missing": sorted(set(wanted["created"]) - present),
                  "notes": {str(k): v for k, v in notes.items()}}))
"""


def verify(env, data, logs: list[ClientLog]) -> bool:
    created = [slug for log in logs for slug in log.created]
    result = subprocess.run(
        [sys.executable, "-c", VERIFY_SCRIPT],
        cwd=BASE_DIR,
        env=env,
        input=json.dumps({"created": created, "sources": data["sources"]}),
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout)
    lost_edits = []
    for number, log in enumerate(logs):
        if log.last_acknowledged_edit < 0:
            continue
        acceptable = log.edits_sent[log.last_acknowledged_edit :]
        if found["notes"][str(data["sources"][number])] not in acceptable:
            lost_edits.append(number)
    acknowledged_edits = sum(1 for log in logs if log.last_acknowledged_edit >= 0)
    print(
        f"acknowledged writes checked: {len(created)} created cities "
        f"({len(found['missing'])} missing), {acknowledged_edits} clients' last acknowledged "
        f"edits ({len(lost_edits)} lost)"
    )
    return not found["missing"] and not lost_edits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds per phase")
    parser.add_argument("--fault-after", type=float, default=8)
    parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL stays down")
    parser.add_argument("--no-fault", action="store_true", help="skip the PostgreSQL restart")
    parser.add_argument(
        "--redis-fault",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run the Redis outage phase (default: yes)",
    )
    args = parser.parse_args()

    run_id = secrets.token_hex(3)
    redis = OwnRedis()
    redis.start()
    env = server_env(prefix=f"tw_rel_load_{run_id}", redis_url=redis.url)
    print(f"setting up {DATABASE} (seed + 400 cities + 600 links) ...")
    data = set_up(env)
    port = free_port()
    server = contextlib.ExitStack()
    # The Dockerfile's command (config.server): 2 workers, 4 threads each.
    server.enter_context(running(env, port=port, access_log=False, log_level="warning"))
    print(
        f"granian: 2 workers x 4 threads on 127.0.0.1:{port}; "
        f"{CLIENTS} clients, {WRITE_SHARE:.0%} writes"
    )
    ok = True
    try:
        logs, _ = run_load(port, data, args.duration, f"{run_id}a")
        steady = summarize("steady load", logs, args.duration, {})
        ok &= verify(env, data, logs)
        ok &= not steady["errors"]

        if not args.no_fault:
            t0 = time.monotonic()

            def fault():
                events = outage(args.fault_after, args.outage)()
                return {**events, "t0": t0}

            duration = max(args.duration, args.fault_after + args.outage + 15)
            logs, events = run_load(port, data, duration, f"{run_id}b", during=fault)
            faulted = summarize(
                f"PostgreSQL stopped for {args.outage:.0f} s in the middle", logs, duration, events
            )
            ok &= verify(env, data, logs)
            slow_503 = [s for s in faulted["during"] if s.status == 503 and s.seconds > 5]
            unexpected = [s for s in faulted["samples"] if s.status not in (200, 201, 503)]
            ok &= not slow_503 and not unexpected and faulted["recovery"] <= 10
            print(
                f"503s slower than 5 s: {len(slow_503)}; answers other than 200/201/503: "
                f"{len(unexpected)}"
            )

        if args.redis_fault:
            t0 = time.monotonic()
            gap = 8.0

            def redis_fault():
                return {**redis_outages(redis, args.fault_after, args.outage, gap)(), "t0": t0}

            duration = max(args.duration, args.fault_after + 2 * args.outage + gap + 10)
            logs, events = run_load(port, data, duration, f"{run_id}c", during=redis_fault)
            faulted = summarize(
                f"Redis stopped, then silent, {args.outage:.0f} s each", logs, duration, events
            )
            ok &= verify(env, data, logs)
            unexpected = [s for s in faulted["samples"] if not 200 <= s.status < 500]
            slow = [s for s in faulted["samples"] if s.seconds > 5]
            ok &= not unexpected and not slow
            print(
                f"answers other than 2xx/4xx: {len(unexpected)}; answers slower than 5 s: "
                f"{len(slow)}"
            )
    finally:
        server.close()
        redis.stop()
    print(f"\nverdict: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
