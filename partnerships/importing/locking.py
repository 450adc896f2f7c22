"""One import at a time.

Two imports planned against the same database would both insert the same new
cities and links; the second then died on a raw IntegrityError. The import takes
a lock for its whole transaction and a second one is refused at once with a clear
message (it can simply be run again afterwards):

- PostgreSQL: a transaction-level advisory lock (released on commit or rollback,
  also if the process dies);
- SQLite: the database's own write lock, taken at the start of the transaction by
  a write that changes nothing; a second import that cannot take it within a few
  seconds is refused the same way.
"""

from contextlib import contextmanager

from django.db import OperationalError, connection, transaction

# An arbitrary constant: the advisory lock key of "the twin-city import".
ADVISORY_KEY = 7_041_913_218


class ImportBusy(Exception):
    """Another import holds the lock."""

    def __init__(self):
        super().__init__(
            "Another import_twin_cities is running on this database; nothing was read or "
            "written. Run it again when that one has finished."
        )


def take_import_lock() -> None:
    """Call inside the import's transaction.atomic()."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_KEY])
            if not cursor.fetchone()[0]:
                raise ImportBusy()
        elif connection.vendor == "sqlite":
            table = connection.ops.quote_name("partnerships_source")
            try:
                cursor.execute(f"UPDATE {table} SET id = id WHERE id < 0")
            except OperationalError as exc:
                if "locked" in str(exc):
                    raise ImportBusy() from None
                raise


@contextmanager
def import_transaction():
    """The import's one transaction, holding the import lock from its start.

    SQLite with IMMEDIATE transactions refuses at BEGIN when another writer holds the
    database: that is the lock taken by another import (or write), so it is told as
    ImportBusy too. An error once the lock is held is the import's own and is raised.
    """
    locked = False
    try:
        with transaction.atomic():
            take_import_lock()
            locked = True
            yield
    except OperationalError as exc:
        if not locked and "locked" in str(exc):
            raise ImportBusy() from None
        raise
