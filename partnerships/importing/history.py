"""History rows for a bulk import, written without building a model instance per row.

simple_history's bulk helper builds one historical model instance per record and lets
bulk_create prepare every field of it: for the 100,000 history rows of a full import
that was most of its time. This writes the same rows (same columns, same values, the
same adapters Django's backends use) as plain multi-row INSERTs.
tests/test_import_history_rows.py checks that both ways store identical rows.
"""

from django.db import connection, models
from django.utils import timezone

SQLITE_MAX_PARAMS = 999  # Django's own limit for SQLite statements


def _adapter(field):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    if field.get_internal_type() == "CharField" and hasattr(field, "countries"):
        return lambda value: getattr(value, "code", value) or ""
    return None


def insert_history(model, objects, *, reason: str, history_type: str = "+", user_id=None):
    """One history row per object (already saved, pk set), as simple_history writes it."""
    if not objects:
        return
    historical = model.history.model
    columns = [f for f in historical._meta.concrete_fields if f.attname != "history_id"]
    when = timezone.now()
    fixed = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": user_id,
    }
    prepared = []
    for field in columns:
        adapt = _adapter(field)
        if field.attname in fixed:
            value = fixed[field.attname]
            prepared.append((None, adapt(value) if adapt and value is not None else value))
        else:
            prepared.append((field.attname, adapt))
    rows = []
    for obj in objects:
        row = []
        for attname, how in prepared:
            if attname is None:
                row.append(how)
                continue
            value = getattr(obj, attname)
            row.append(how(value) if how is not None and value is not None else value)
        rows.append(row)
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(historical._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in columns)}) VALUES "
    )
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = 500 if connection.vendor == "postgresql" else SQLITE_MAX_PARAMS // len(columns)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(head + ", ".join([one] * len(batch)), [v for row in batch for v in row])
