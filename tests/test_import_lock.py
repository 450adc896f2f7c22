"""Two imports at once: the second is refused with a clear message, nothing written."""

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from cities.models import City
from partnerships.importing.locking import ADVISORY_KEY

DATA = Path(__file__).parent / "data" / "twin-cities"

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def another_writer_holding(sql: str, params=()):
    """Another connection, in a thread, runs `sql` in a transaction and holds it open
    (with the lock it took) until the block ends."""
    holding, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(10)
        yield
    finally:
        release.set()
        thread.join()


def run_import(tmp_path):
    call_command(
        "import_twin_cities",
        "--data-dir",
        str(DATA),
        "--report",
        str(tmp_path / "r.txt"),
        "--no-progress",
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the advisory lock is PostgreSQL's")
def test_a_second_import_while_one_holds_the_lock_is_refused(tmp_path):
    with another_writer_holding("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_KEY]):
        with pytest.raises(CommandError, match="Another import_twin_cities is running"):
            run_import(tmp_path)
        assert City.objects.count() == 0
    # once the other has finished, the import runs
    run_import(tmp_path)
    assert City.objects.count() > 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")
def test_on_sqlite_a_second_import_while_another_writes_is_refused(tmp_path):
    with another_writer_holding("UPDATE partnerships_source SET id = id WHERE id < 0"):
        with pytest.raises(CommandError, match="Another import_twin_cities is running"):
            run_import(tmp_path)
    assert City.objects.count() == 0
    # once the other has finished, the import runs
    run_import(tmp_path)
    assert City.objects.count() > 0
