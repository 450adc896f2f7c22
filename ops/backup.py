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


# -- restoring -----------------------------------------------------------------------


def read_backup(path: Path) -> list[dict]:
    """The records of a file `write_backup` wrote (.json, or .json.gz)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as stream:
        return json.load(stream)


class _NaturalKeys:
    """Natural keys → ids, each looked up once (Django's deserializer queries once per
    value: a history row's user, a log entry's content type, a group's permissions)."""

    def __init__(self, using: str):
        self.using = using
        self.found: dict[tuple, object] = {}

    def value(self, field, key: list):
        target = field.remote_field.model
        attribute = "pk" if field.many_to_many else field.remote_field.field_name
        cache_key = (target, attribute, tuple(key))
        if cache_key not in self.found:
            manager = target._default_manager.db_manager(self.using)
            obj = manager.get_by_natural_key(*key)
            self.found[cache_key] = getattr(obj, attribute)
        return self.found[cache_key]

    def resolve(self, model: type[models.Model], record: dict) -> dict:
        fields = record["fields"]
        for name, value in fields.items():
            field = model._meta.get_field(name)
            if not field.is_relation or not value:
                continue
            if not hasattr(field.remote_field.model._default_manager, "get_by_natural_key"):
                continue
            if field.many_to_many:
                if isinstance(value[0], list):
                    fields[name] = [self.value(field, key) for key in value]
            elif isinstance(value, list):
                fields[name] = self.value(field, value)
        return record


def _insert_rows(model: type[models.Model], objects: list, using: str) -> None:
    """INSERT the instances as they are. Raw, as loaddata saves: bulk_create() would
    run each field's pre_save() and so replace a stored created_at/updated_at
    (auto_now) by the time of the restore.

    SQLite takes few values per statement (999): one INSERT run by executemany(),
    compiled once. Elsewhere (PostgreSQL): multi-row INSERTs of CHUNK rows each."""
    connection = connections[using]
    fields = list(model._meta.concrete_fields)
    if connection.vendor == "sqlite":
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        rows = [
            [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
            for obj in objects
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        return
    size = max(connection.ops.bulk_batch_size(fields, objects), 1)
    queryset = model._base_manager.using(using)
    for start in range(0, len(objects), size):
        queryset._insert(objects[start : start + size], fields=fields, using=using, raw=True)


def _insert_many_to_many(model: type[models.Model], deserialized: list, using: str) -> None:
    """Rows of the automatic many-to-many tables (a user's groups, a group's
    permissions), in bulk."""
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            continue  # an explicit through model is backed up as records of its own
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = [
            through(**{f"{source}_id": item.object.pk, f"{target}_id": value})
            for item in deserialized
            for value in item.m2m_data.get(field.name, ())
        ]
        through._base_manager.using(using).bulk_create(rows, batch_size=CHUNK)


def load_backup(path: Path, using: str = "default") -> dict[str, int]:
    """Insert every record of a backup into an empty database, in bulk: what
    `loaddata` does (raw rows, natural keys resolved, constraints checked at the
    end, id sequences reset) without its one INSERT (and its queries) per row.
    Call it in a transaction. Returns rows by model label."""
    from itertools import groupby

    from django.core.management.color import no_style

    connection = connections[using]
    keys = _NaturalKeys(using)
    counts: dict[str, int] = {}
    loaded: list[type[models.Model]] = []
    records = read_backup(path)
    with connection.constraint_checks_disabled():
        for label, group in groupby(records, key=lambda record: record["model"]):
            model = apps.get_model(label)
            group = list(group)
            for start in range(0, len(group), CHUNK):
                batch = [keys.resolve(model, record) for record in group[start : start + CHUNK]]
                deserialized = list(
                    serializers.deserialize("python", batch, using=using, ignorenonexistent=False)
                )
                if model in NATURAL_PRIMARY_KEY_MODELS or model._meta.parents:
                    # Found again by natural key (a group migrations made), or a
                    # child of multi-table inheritance: saved one by one, as loaddata.
                    for item in deserialized:
                        item.save(using=using)
                    continue
                _insert_rows(model, [item.object for item in deserialized], using)
                _insert_many_to_many(model, deserialized, using)
            counts[label] = counts.get(label, 0) + len(group)
            if model not in loaded:
                loaded.append(model)
    connection.check_constraints(table_names=[model._meta.db_table for model in loaded])
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    return counts
