"""How the site is served: the Dockerfile's CMD, read from the Dockerfile, so that
what runs the app outside the image (the reliability tests, the benchmarks,
benchmarks/schemathesis_run.sh) runs the same server with the same flags.

`dockerfile_command()` is the CMD as written (its exec form: a JSON list over
continued lines); `server_command(port=...)` is that command for a run on this
machine: the server from this Python's environment, on 127.0.0.1 and the given
port, with the flags a caller changes (another WSGI app, no access log, a log level)
and every other flag (workers, threads, HTTP version, respawning) the Dockerfile's.
docker-compose.yml repeats the command after its start-up steps;
tests/test_deploy_files.py holds the two equal. `running(env, port=...)` starts that
command, waits until the API answers and stops it on leaving (the reliability tests'
app_server, benchmarks/load_and_fault.py).

    python -m config.server --port 8001 --log-level warning   # one argument a line

Not used by the running site: nothing here is read per request.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DOCKERFILE = BASE_DIR / "Dockerfile"
_CMD = re.compile(r"^CMD (\[.*?\])\s*$", flags=re.MULTILINE | re.DOTALL)
#: Flags followed by a value, which server_command() replaces.
_VALUED = ("--host", "--port", "--log-level", "--working-dir")


def dockerfile_command(dockerfile: Path = DOCKERFILE) -> list[str]:
    """The Dockerfile's CMD, in its exec form (a JSON list over continued lines)."""
    found = _CMD.search(dockerfile.read_text(encoding="utf-8"))
    if found is None:
        raise ValueError(f"{dockerfile} has no CMD in its exec form (a JSON list).")
    return json.loads(found.group(1).replace("\\\n", ""))


def server_command(
    *,
    port: int,
    host: str = "127.0.0.1",
    app: str | None = None,
    working_dir: str | Path | None = None,
    access_log: bool = True,
    log_level: str | None = None,
    dockerfile: Path = DOCKERFILE,
) -> list[str]:
    """The Dockerfile's CMD run from this environment on `host`:`port`: `app` (a WSGI
    target, "module:callable") instead of the site, found in `working_dir`; the access
    log left out unless `access_log`; `log_level` if given."""
    command = dockerfile_command(dockerfile)
    executable = Path(sys.executable).with_name(command[0])
    rest = _without(command[1:], _VALUED)
    if app is not None:
        target = next(n for n, arg in enumerate(rest) if ":" in arg and not arg.startswith("-"))
        rest[target] = app
    if not access_log:
        rest = [arg for arg in rest if arg != "--access-log"]
    rest += ["--host", host, "--port", str(port)]
    rest += ["--working-dir", str(working_dir)] if working_dir is not None else []
    rest += ["--log-level", log_level] if log_level is not None else []
    return [str(executable) if executable.exists() else command[0], *rest]


@contextlib.contextmanager
def running(env: dict[str, str], *, port: int, startup_seconds: float = 30, **options):
    """server_command(port=port, **options) run in this tree with `env`; yields its
    base URL once /api/v1/ answers, and stops it (SIGTERM, then a kill) on leaving.
    If it does not answer within `startup_seconds`, RuntimeError with what it wrote
    on stderr."""
    command = server_command(port=port, **options)
    host = options.get("host", "127.0.0.1")
    base = f"http://{host}:{port}"
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=errors, text=True
        )
        try:
            deadline = time.monotonic() + startup_seconds
            while not _answers(f"{base}/api/v1/"):
                if process.poll() is not None or time.monotonic() > deadline:
                    errors.seek(0)
                    raise RuntimeError(f"the server did not start: {errors.read()}")
                time.sleep(0.2)
            yield base
        finally:
            stop(process)


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a server process: SIGTERM (a running request finishes), then a kill."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answers(url: str) -> bool:
    """Whether a server answers at `url` (with any status)."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _without(args: list[str], valued: tuple[str, ...]) -> list[str]:
    """`args` without the flags `valued` and the value after each."""
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in valued:
            skip = True
        else:
            kept.append(arg)
    return kept


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--no-access-log", action="store_true")
    parser.add_argument("--log-level")
    args = parser.parse_args(argv)
    command = server_command(
        port=args.port, host=args.host, access_log=not args.no_access_log, log_level=args.log_level
    )
    print("\n".join(command))


if __name__ == "__main__":
    main()
