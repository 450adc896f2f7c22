"""docker-compose.yml, the settings and the README tell the same story.

No Docker engine runs here, so these tests read the files: the services the README
names exist, and every variable the web service sets is one the settings read
(a typo there would be silently ignored at run time).
"""

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from config.server import dockerfile_command, running, server_command
from tests.reliability_support import free_port

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS_SOURCE = (BASE_DIR / "config" / "settings.py").read_text(encoding="utf-8")
README = (BASE_DIR / "README.md").read_text(encoding="utf-8")

# env_str("X", ...), env_bool("X", ...), database_from_url("X", ...), os.environ.get("X"),
# os.environ["X"], os.getenv("X").
_READ_BY_SETTINGS = re.compile(
    r"""(?:\benv_\w+|\bdatabase_from_url|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))


def settings_variables() -> set[str]:
    return {a or b for a, b in _READ_BY_SETTINGS.findall(SETTINGS_SOURCE)}


def environment_of(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):  # the "- NAME=value" form
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {name: str(value) for name, value in env.items()}


def test_the_settings_read_the_variables_the_readme_documents():
    # Guards the regex below as much as the settings: it must find these.
    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CONN_MAX_AGE"} <= (
        settings_variables()
    )


def test_it_has_a_database_and_a_web_service(compose):
    assert {"db", "web"} <= set(compose["services"])


def test_the_database_is_postgres_16_with_a_healthcheck_and_a_named_volume(compose):
    db = compose["services"]["db"]
    assert db["image"] == "postgres:16"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume_names = {v.split(":", 1)[0] for v in db["volumes"]}
    named = volume_names & set(compose.get("volumes") or {})
    assert named, f"db volumes {volume_names} are not named volumes"
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])


def test_the_web_service_waits_for_a_healthy_database(compose):
    web = compose["services"]["web"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_web_service_is_built_here_and_serves_port_8000(compose):
    web = compose["services"]["web"]
    assert web["build"] in (".", {"context": "."}) or web["build"].get("context") == "."
    assert any(str(port).endswith("8000") for port in web["ports"])
    assert (BASE_DIR / "Dockerfile").exists()


def test_the_web_service_migrates_loads_the_seed_and_runs_granian(compose):
    command = compose["services"]["web"]["command"]
    command = command if isinstance(command, str) else " ".join(command)
    migrate, seed, server = (
        command.index("migrate"),
        command.index("load_seed"),
        command.index("exec granian"),
    )
    assert migrate < seed < server
    assert "--interface wsgi config.wsgi:application" in command
    assert re.search(r"--workers[ =]2\b", command)
    assert re.search(r"--blocking-threads[ =]4\b", command)
    assert "--respawn-failed-workers" in command


def test_every_variable_the_web_service_sets_is_read_by_the_settings(compose):
    web_env = environment_of(compose["services"]["web"])
    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= set(web_env)
    unknown = set(web_env) - settings_variables()
    assert not unknown, f"config/settings.py never reads {sorted(unknown)}"


def test_the_web_service_runs_in_production_mode(compose):
    assert environment_of(compose["services"]["web"])["DEBUG"] in {"0", "false", "False"}


def test_database_url_points_at_the_db_service(compose):
    url = urlparse(environment_of(compose["services"]["web"])["DATABASE_URL"])
    assert url.scheme in {"postgres", "postgresql"}
    assert url.hostname == "db"
    assert url.port == 5432
    db_env = environment_of(compose["services"]["db"])
    assert url.path.lstrip("/") == db_env["POSTGRES_DB"]
    assert url.username == db_env.get("POSTGRES_USER", "postgres")
    assert url.password == db_env["POSTGRES_PASSWORD"]


@pytest.mark.parametrize(
    "text",
    ["make run", "make test", "docker compose up", "DATABASE_URL=postgres://", "createsuperuser"],
)
def test_the_readme_gives_the_commands(text):
    assert text in README


def test_the_readme_names_the_services_and_every_variable_the_web_service_sets(compose):
    for service in compose["services"]:
        assert f"`{service}`" in README, service
    for variable in environment_of(compose["services"]["web"]):
        assert f"`{variable}`" in README, variable


def test_the_readme_documents_the_main_settings_variables():
    for variable in (
        "DATABASE_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "REDIS_URL",
        "CONN_MAX_AGE",
        "MAP_TILE_URL",
        "THROTTLE_ANON",
        "THROTTLE_USER",
    ):
        assert f"| `{variable}` |" in README, variable
        assert variable in settings_variables(), variable


def test_the_ci_script_is_executable_and_runs_both_databases():
    script = BASE_DIR / ".ci" / "run"
    assert script.stat().st_mode & 0o111
    text = script.read_text(encoding="utf-8")
    assert "set -euo pipefail" in text
    assert "docker-compose config -q" in text
    assert "make test" in text
    assert "postgres://postgres@127.0.0.1:5432/" in text


def test_the_dockerfile_runs_granian_as_a_non_root_user():
    dockerfile = (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11-slim" in dockerfile
    assert "collectstatic" in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    command = dockerfile_command()
    assert command[:4] == ["granian", "--interface", "wsgi", "config.wsgi:application"]
    assert {"--respawn-failed-workers", "--access-log"} <= set(command)
    assert command[command.index("--workers") + 1] == "2"


def test_the_dockerfile_and_the_compose_file_run_the_same_server(compose):
    """The same flags in both: compose's command is what the image runs, after the
    migrations and the seed."""
    in_image = dockerfile_command()
    command = compose["services"]["web"]["command"]
    command = command if isinstance(command, str) else " ".join(command)
    in_compose = command.split("exec ", 1)[1].strip().rstrip('"').split()
    assert in_compose == in_image


def test_a_local_run_keeps_every_flag_of_the_dockerfile_but_where_it_listens(tmp_path):
    """config.server.server_command: what the reliability tests and the benchmarks run
    is the image's command on another address, with the changes a caller asks for."""
    in_image = dockerfile_command()
    local = server_command(port=8123, log_level="warning")
    assert Path(local[0]).name == in_image[0]

    def flags(command):
        pairs, rest, args = {}, [], iter(command[1:])
        for arg in args:
            if arg in (
                "--host",
                "--port",
                "--log-level",
                "--working-dir",
                "--interface",
                "--http",
                "--workers",
                "--blocking-threads",
            ):
                pairs[arg] = next(args)
            else:
                rest.append(arg)
        return pairs, rest

    image_pairs, image_rest = flags(in_image)
    local_pairs, local_rest = flags(local)
    assert local_rest == image_rest  # the app and every switch (--access-log, respawning)
    assert local_pairs == {
        **image_pairs,
        "--host": "127.0.0.1",
        "--port": "8123",
        "--log-level": "warning",
    }

    quiet = server_command(
        port=9, app="floor_wsgi:application", working_dir=tmp_path, access_log=False
    )
    assert "--access-log" not in quiet and "config.wsgi:application" not in quiet
    assert quiet[quiet.index("--working-dir") + 1] == str(tmp_path)
    assert "floor_wsgi:application" in quiet

    other = tmp_path / "Dockerfile"
    other.write_text("FROM x\nCMD granian app:application\n", encoding="utf-8")
    with pytest.raises(ValueError, match="exec form"):
        dockerfile_command(other)


def test_the_docker_build_context_leaves_out_backups_and_scratch_files():
    """`COPY . .` in the Dockerfile must never copy a backup (password hashes, API
    tokens) or a local database into the image."""
    ignored = {
        line.strip().rstrip("/")
        for line in (BASE_DIR / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {"backups", "tmp", ".env", "db.sqlite3", ".git"} <= ignored
    assert not any(line.startswith("!") for line in ignored)


def test_a_server_that_does_not_start_is_a_clear_error(tmp_path):
    """config.server.running: a server that never answers is stopped and reported with
    what it wrote, not waited on for ever."""
    (tmp_path / "broken_app.py").write_text("raise ImportError('broken on purpose')\n")
    with pytest.raises(RuntimeError, match="did not start(.|\n)*broken on purpose"):
        with running(
            {"PATH": "/usr/bin:/bin"},
            port=free_port(),
            app="broken_app:application",
            working_dir=tmp_path,
            startup_seconds=5,
        ):
            pass
