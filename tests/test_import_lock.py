"""Two imports at once: the second is refused with a clear message, nothing written."""

import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from cities.models import City
from partnerships.importing.locking import ADVISORY_KEY

DATA = Path(__file__).parent / "data" / "twin-cities"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the advisory lock is PostgreSQL's")
def test_a_second_import_while_one_holds_the_lock_is_refused(tmp_path):
    holding, release = threading.Event(), threading.Event()

    def other_import():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_KEY])
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_import)
    thread.start()
    try:
        assert holding.wait(10)
        with pytest.raises(CommandError, match="Another import_twin_cities is running"):
            call_command(
                "import_twin_cities",
                "--data-dir",
                str(DATA),
                "--report",
                str(tmp_path / "r.txt"),
                "--no-progress",
            )
        assert City.objects.count() == 0
    finally:
        release.set()
        thread.join()
    # once the other has finished, the import runs
    call_command(
        "import_twin_cities",
        "--data-dir",
        str(DATA),
        "--report",
        str(tmp_path / "r.txt"),
        "--no-progress",
    )
    assert City.objects.count() > 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")
def test_on_sqlite_a_second_import_while_another_writes_is_refused(tmp_path):
    holding, release = threading.Event(), threading.Event()

    def other_import():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("UPDATE partnerships_source SET id = id WHERE id < 0")
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_import)
    thread.start()
    try:
        assert holding.wait(10)
        with pytest.raises(CommandError, match="Another import_twin_cities is running"):
            call_command(
                "import_twin_cities",
                "--data-dir",
                str(DATA),
                "--report",
                str(tmp_path / "r.txt"),
                "--no-progress",
            )
    finally:
        release.set()
        thread.join()
    assert City.objects.count() == 0
