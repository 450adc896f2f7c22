"""Helpers for the reliability tests: a real WSGI server in a child process, and a
TCP gate in front of PostgreSQL that can be shut like a database going down.

The server runs Django's own WSGI handler (not the test client), so the
request_started/request_finished signals fire and persistent connections and
their health checks behave as they do under granian, the server the Dockerfile runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from config.server import running, stop

BASE_DIR = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("RELIABILITY_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")

_SERVER_SCRIPT = """
import os, sys
from wsgiref.simple_server import WSGIRequestHandler, make_server
from django.core.wsgi import get_wsgi_application

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

app = get_wsgi_application()
httpd = make_server("127.0.0.1", 0, app, handler_class=Quiet)
print(httpd.server_port, flush=True)
httpd.serve_forever()
"""


def production_env(**extra: str) -> dict[str, str]:
    """Environment for a child Django process with production settings over plain HTTP."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        PYTHONPATH=str(BASE_DIR),
    )
    env.update(extra)
    return env


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self):
        return json.loads(self.body)


@contextlib.contextmanager
def wsgi_server(env: dict[str, str]):
    """Start Django under wsgiref in a child process; yield its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-c", _SERVER_SCRIPT],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line.strip().isdigit():
            process.kill()
            raise RuntimeError(f"server did not start: {line}{process.stderr.read()}")
        yield f"http://127.0.0.1:{int(line)}"
    finally:
        stop(process)


def fetch(
    url: str, *, method: str = "GET", headers: dict | None = None, body=None, timeout: float = 30
) -> Reply:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw_headers, content = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, raw_headers, content = error.code, error.headers, error.read()
    return Reply(status, dict(raw_headers.items()), content, time.monotonic() - started)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TcpGate:
    """A TCP forwarder on a local port. `open()` forwards to the target, `close()`
    refuses new connections and cuts the live ones (as a stopped PostgreSQL does),
    `blackhole()` accepts connections and never answers (as a hung host does)."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._forward = True

    def open(self) -> None:
        self._listen(forward=True)

    def blackhole(self) -> None:
        self._listen(forward=False)

    def close(self) -> None:
        with self._lock:
            if self._listener is not None:
                # shutdown() wakes the thread blocked in accept(); close() alone does not.
                with contextlib.suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)
                self._listener.close()
                self._listener = None
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    def _listen(self, *, forward: bool) -> None:
        self.close()
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        with self._lock:
            self._listener = listener
            self._forward = forward
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    return
                self._sockets.add(client)
                if not self._forward:
                    continue  # hold it open, say nothing
                upstream = socket.create_connection(self.target)
                self._sockets.add(upstream)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)


def postgres_reachable() -> bool:
    try:
        import psycopg2

        psycopg2.connect(PG_ADMIN_URL, connect_timeout=2).close()
        return True
    except Exception:
        return False


def ensure_migrated_postgres_database(name: str) -> str:
    """Create (if missing) and migrate a PostgreSQL database of our own; return its URL."""
    import psycopg2

    admin = psycopg2.connect(PG_ADMIN_URL, connect_timeout=5)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=production_env(DATABASE_URL=url),
        check=True,
    )
    return url


@contextlib.contextmanager
def app_server(env: dict[str, str]):
    """The Dockerfile's server (config.server: granian, 2 workers x 4 threads):
    requests really run at the same time, in two processes. Yields the base URL."""
    with running(env, port=free_port(), access_log=False, log_level="warning") as base:
        yield base


def migrated_database(tmp_path: Path, *, vendor: str, name: str) -> str:
    """A fresh migrated database of the test run's engine for a child server: a SQLite
    file in tmp_path, or a PostgreSQL database of that name, copied from a migrated
    template (`<name>_template`, made once) so each run starts empty."""
    if vendor != "postgresql":
        url = f"sqlite:///{tmp_path}/{name}.sqlite3"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=BASE_DIR,
            env=production_env(DATABASE_URL=url),
            check=True,
        )
        return url
    import psycopg2

    template = ensure_migrated_postgres_database(f"{name}_template").rsplit("/", 1)[1]
    admin = psycopg2.connect(PG_ADMIN_URL, connect_timeout=5)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    admin.close()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def run_in_django(database_url: str, script: str, **env: str):
    """Run a Python script with Django set up on that database; its last stdout line,
    read as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", "import django, json; django.setup()\n" + script],
        cwd=BASE_DIR,
        env=production_env(DATABASE_URL=database_url, **env),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])
