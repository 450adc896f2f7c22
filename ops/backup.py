"""Which rows a backup holds, and how they are written.

Everything a person or an import created is kept: every record, its full
history (simple-history's Historical* models), staff users and groups with their
permissions, API tokens and the admin's change log. Left out are rows that
`migrate` recreates (content types, permissions) and transient state (sessions,
django-axes login attempts). References to content types, permissions, users and
groups are written by natural key ("app.model", codename, username, group name),
so they resolve in a database whose ids differ.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction

# Recreated by migrate, or not worth restoring.
EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {"auth.Permission"}
# Rows that migrations create, so a fresh database is "empty" while holding them.
CREATED_BY_MIGRATIONS = {"auth.Group"}
# Loaded by natural key, not id: migrations already made groups of the same name.
NATURAL_PRIMARY_KEY_MODELS = {Group}

CHUNK = 2000


class FullPrecisionEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds (as ECMAScript does), which
    `dumpdata` inherits: a restored record would differ from the original in its
    microseconds. Keep them."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """Concrete models in an order where natural-key targets come first."""
    chosen = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in EXCLUDED_APPS:
            continue
        if meta.label in EXCLUDED_MODELS:
            continue
        chosen.setdefault(meta.app_config, []).append(model)
    return serializers.sort_dependencies(chosen.items(), allow_cycles=True)


def records(model: type[models.Model]) -> Iterator[dict]:
    queryset = model._default_manager.order_by("pk")
    natural_primary = model in NATURAL_PRIMARY_KEY_MODELS
    yield from serializers.serialize(
        "python",
        queryset.iterator(chunk_size=CHUNK),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=natural_primary,
    )


@contextmanager
def open_for_writing(path: Path, compress: bool):
    """The file, readable by its owner only (0600): it holds password hashes and API
    tokens. An existing file of that name is truncated and made 0600 too."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with open(descriptor, "wb") as raw:
        if compress:
            with gzip.open(raw, "wt", encoding="utf-8") as stream:
                yield stream
        else:
            with open(raw.fileno(), "w", encoding="utf-8", closefd=False) as stream:
                yield stream


@contextmanager
def one_snapshot(using: str = "default"):
    """Every table read as of one moment, so a write during the backup cannot leave
    a reference to a row the backup lacks (or the reverse). PostgreSQL: one
    REPEATABLE READ, READ ONLY transaction (no writer waits for it). SQLite: one
    transaction, which holds off writers until the backup is written."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        # Inside an outer transaction (a test's) the snapshot is already that one's.
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def write_backup(path: Path, *, compress: bool) -> dict[str, int]:
    """Write every backed-up row to `path` as a loaddata-compatible JSON array,
    read in one snapshot (one_snapshot)."""
    counts: dict[str, int] = {}
    with one_snapshot(), open_for_writing(path, compress) as stream:
        stream.write("[")
        first = True
        for model in backed_up_models():
            count = 0
            for record in records(model):
                stream.write("\n" if first else ",\n")
                stream.write(json.dumps(record, cls=FullPrecisionEncoder, ensure_ascii=False))
                first = False
                count += 1
            counts[model._meta.label] = count
        stream.write("\n]\n")
    return counts


def rows_present(database: str = "default") -> dict[str, int]:
    """Backed-up models that hold rows beyond what migrations create."""
    present = {}
    for model in backed_up_models():
        if model._meta.label in CREATED_BY_MIGRATIONS:
            continue
        count = model._default_manager.using(database).count()
        if count:
            present[model._meta.label] = count
    return present
