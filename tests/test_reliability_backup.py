"""`backup` and `restore` round-trip every record, history included, into an empty
database: the restored service answers the API exactly as the original did."""

import gzip
import json
import subprocess
import sys

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token

from cities.models import City
from partnerships.models import Partnership
from tests.factories import EventFactory, PartnershipFactory, UserFactory
from tests.reliability_support import BASE_DIR, PG_ADMIN_URL, production_env

API_LISTS_SCRIPT = """
import json, django
django.setup()
from django.test import Client
client = Client()
root = client.get("/api/v1/").json()
print(json.dumps({name: client.get(url, {"page_size": 500}).json() for name, url in root.items()}))
"""


def api_lists(client) -> dict:
    root = client.get("/api/v1/").json()
    return {name: client.get(url, {"page_size": 500}).json() for name, url in root.items()}


@pytest.fixture
def fresh_database_url(tmp_path, settings):
    """An empty database of the same engine as the test run's."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path}/restored.sqlite3"
        return
    import psycopg2

    name = "tw_rel_restore"
    admin = psycopg2.connect(PG_ADMIN_URL)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def manage(database_url: str, *args: str, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=production_env(DATABASE_URL=database_url),
        capture_output=True,
        text=True,
        check=check,
    )


@pytest.fixture
def records(seed):
    """The seed, more links, an edit made by a named editor (history), a token."""
    editor = UserFactory(username="archivist", groups=["editors"], is_staff=True)
    Token.objects.create(user=editor)
    for _ in range(3):
        EventFactory(partnership=PartnershipFactory())
    city = City.objects.get(slug="beijing")
    city.name = f"{city.name} (renamed)"
    city._history_user = editor
    city.save()
    LogEntry.objects.log_actions(editor.pk, [city], CHANGE, change_message="renamed")
    return editor


def test_backup_and_restore_into_a_fresh_database_give_identical_api_output(
    client, records, tmp_path, fresh_database_url
):
    backup = tmp_path / "backup.json.gz"
    call_command("backup", output=str(backup), verbosity=0)

    restored = manage(fresh_database_url, "restore", str(backup))
    assert "Restored" in restored.stdout

    output = subprocess.run(
        [sys.executable, "-c", API_LISTS_SCRIPT],
        cwd=BASE_DIR,
        env=production_env(
            DATABASE_URL=fresh_database_url,
            ALLOWED_HOSTS="testserver",
            THROTTLE_ANON="10000/minute",
        ),
        capture_output=True,
        text=True,
        check=True,
    )
    original = api_lists(client)
    assert original, "the API lists no resources"
    for name, listing in original.items():
        assert listing["results"], name  # pages of records, not errors
    assert json.loads(output.stdout) == original


def test_a_backup_of_the_restored_database_equals_the_original_backup(
    records, tmp_path, fresh_database_url
):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("backup", output=str(first), verbosity=0)

    manage(fresh_database_url, "restore", str(first))
    manage(fresh_database_url, "backup", "--output", str(second))

    original, again = json.loads(first.read_text()), json.loads(second.read_text())
    assert again == original
    labels = {row["model"] for row in original}
    # History, users and groups, tokens and the admin's log are all in it.
    assert {
        "cities.historicalcity",
        "partnerships.historicalpartnership",
        "auth.user",
        "auth.group",
        "authtoken.token",
        "admin.logentry",
    } <= labels
    renamed = [
        row
        for row in original
        if row["model"] == "cities.historicalcity" and row["fields"]["history_user"]
    ]
    assert renamed and renamed[0]["fields"]["history_user"] == ["archivist"]


def test_backup_writes_gzip_when_asked(records, tmp_path):
    path = tmp_path / "plain-name.json"
    call_command("backup", output=str(path), gzip=True, verbosity=0)

    with gzip.open(tmp_path / "plain-name.json.gz", "rt") as stream:
        rows = json.load(stream)
    assert sum(row["model"] == "partnerships.partnership" for row in rows) == (
        Partnership.objects.count()
    )


def test_restore_refuses_a_database_that_holds_records_unless_forced(
    records, tmp_path, fresh_database_url
):
    backup = tmp_path / "backup.json"
    call_command("backup", output=str(backup), verbosity=0)
    manage(fresh_database_url, "restore", str(backup))

    again = manage(fresh_database_url, "restore", str(backup), check=False)
    assert again.returncode != 0
    assert "The database is not empty" in again.stderr

    forced = manage(fresh_database_url, "restore", str(backup), "--force")
    assert "Restored" in forced.stdout


def test_staff_groups_keep_their_permissions_after_a_restore(records, tmp_path, fresh_database_url):
    editors_permissions = Group.objects.get(name="editors").permissions.count()
    backup = tmp_path / "backup.json"
    call_command("backup", output=str(backup), verbosity=0)
    manage(fresh_database_url, "restore", str(backup))
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.contrib.auth.models import Group; "
            "print(Group.objects.get(name='editors').permissions.count(), "
            "Group.objects.get(name='editors').user_set.get().username)",
        ],
        cwd=BASE_DIR,
        env=production_env(DATABASE_URL=fresh_database_url),
        capture_output=True,
        text=True,
        check=True,
    )

    assert check.stdout.split() == [str(editors_permissions), "archivist"]


def test_a_backup_file_is_readable_by_its_owner_only(records, tmp_path):
    for name in ("plain.json", "packed.json.gz"):
        path = tmp_path / name
        path.write_text("an older file of that name, world-readable")
        path.chmod(0o644)

        call_command("backup", output=str(path), verbosity=0)

        assert path.stat().st_mode & 0o777 == 0o600, name


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a concurrent writer in another connection needs PostgreSQL",
)
def test_a_write_during_a_backup_leaves_no_dangling_reference(tmp_path, monkeypatch):
    """The cities are read, then another connection commits a new city and a link to
    it, then the links are read: the backup holds both or neither."""
    import threading

    from django.db import connections

    from ops import backup as backup_module

    PartnershipFactory()
    original_records = backup_module.records
    written = threading.Event()

    def concurrent_write():
        try:
            PartnershipFactory()  # a new city pair and a link between them
            written.set()
        finally:
            connections.close_all()

    def records(model):
        if model is Partnership and not written.is_set():
            thread = threading.Thread(target=concurrent_write)
            thread.start()
            thread.join(30)
            assert written.is_set()
        return original_records(model)

    monkeypatch.setattr(backup_module, "records", records)
    path = tmp_path / "during.json"
    call_command("backup", output=str(path), verbosity=0)

    rows = json.loads(path.read_text())
    cities = {row["pk"] for row in rows if row["model"] == "cities.city"}
    links = [row["fields"] for row in rows if row["model"] == "partnerships.partnership"]
    assert links
    for link in links:
        assert {link["city_a"], link["city_b"]} <= cities
    assert Partnership.objects.count() == len(links) + 1  # the write committed after
