"""Settings come from the environment; a bad value stops start-up and names the variable.

Each case starts a fresh Python process, as `manage.py` or the server would, because
settings are read once per process.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
# Every variable the settings read, so the developer's own environment cannot leak
# into a case; plus DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests set in this
# process and which `check --deploy` rightly reports as an error.
SETTINGS_VARIABLES = set(
    re.findall(
        r"""(?:env_\w+|database_from_url|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]*)""",
        (BASE_DIR / "config" / "settings.py").read_text(encoding="utf-8"),
    )
) | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "example.org",
}


def run(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=clean, capture_output=True, text=True
    )


def start(**env):
    return run(["-c", "import django; django.setup()"], **env)


def assert_fails_naming(result, variable):
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.strip().splitlines()[-1], result.stderr


def test_it_starts_with_no_environment_at_all():
    result = start()
    assert result.returncode == 0, result.stderr


def test_it_starts_with_production_settings():
    result = start(**PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "env, variable",
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DATABASE_URL": "mysql://user:pw@db:3306/twinning"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://postgres@db:5432/"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://postgres@db:notaport/twinning"}, "DATABASE_URL"),
        (
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/twinning", "CONN_MAX_AGE": "x"},
            "CONN_MAX_AGE",
        ),
        ({"DEBUG": "0"}, "SECRET_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64)}, "ALLOWED_HOSTS"),
        ({**PRODUCTION, "SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS"),
        ({**PRODUCTION, "SECURE_SSL_REDIRECT": "perhaps"}, "SECURE_SSL_REDIRECT"),
    ],
    ids=[
        "debug-not-a-boolean",
        "database-url-mysql",
        "database-url-no-name",
        "database-url-bad-port",
        "conn-max-age-not-a-number",
        "production-without-secret-key",
        "production-without-hosts",
        "hsts-not-a-number",
        "ssl-redirect-not-a-boolean",
    ],
)
def test_it_handles_a_bad_value_by_naming_the_variable(env, variable):
    assert_fails_naming(start(**env), variable)


def test_it_refuses_the_development_key_in_production():
    result = start(
        DEBUG="0",
        SECRET_KEY="dev-only-insecure-secret-key-change-me-0123456789abcdefghijklmnop",
        ALLOWED_HOSTS="example.org",
    )
    assert_fails_naming(result, "SECRET_KEY")


def test_it_defaults_to_a_sqlite_file_in_the_project_folder():
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "db = settings.DATABASES['default']; print(db['ENGINE'], db['NAME'])",
        ]
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", str(BASE_DIR / "db.sqlite3")]


def test_it_reads_a_postgres_url():
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "db = settings.DATABASES['default']; "
            "print(db['ENGINE'], db['NAME'], db['USER'], db['PASSWORD'], db['HOST'], db['PORT'])",
        ],
        DATABASE_URL="postgres://postgres:s%40cret@db:5433/twinning",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "common.db.postgresql",
        "twinning",
        "postgres",
        "s@cret",
        "db",
        "5433",
    ]


def test_production_settings_pass_the_deploy_check_with_no_warnings(tmp_path, collected_static):
    result = run(
        ["manage.py", "check", "--deploy"],
        DATABASE_URL=f"sqlite:///{tmp_path}/deploy.sqlite3",
        STATIC_ROOT=str(collected_static),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "WARNING" not in output, output
    assert "System check identified no issues (0 silenced)." in output


def test_the_cases_start_from_a_clean_environment():
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CONN_MAX_AGE"} <= (
        SETTINGS_VARIABLES
    )


def test_the_deploy_check_fails_naming_collectstatic_while_static_files_are_not_collected(
    tmp_path,
):
    result = run(
        ["manage.py", "check", "--deploy"],
        DATABASE_URL=f"sqlite:///{tmp_path}/deploy.sqlite3",
        STATIC_ROOT=str(tmp_path / "never-collected"),
        **PRODUCTION,
    )

    assert result.returncode != 0
    assert "ops.E001" in result.stderr
    assert "collectstatic" in result.stderr
