"""JSON text written by PostgreSQL, byte for byte as the API's renderer writes it.

The lean reads (api/lean.py) spend most of a page's time building nested dicts in
Python, one per record and per city, and then writing them. On PostgreSQL the
database can write each record's JSON text itself, in C, in the statement that
reads its rows: Python then only joins the records' texts. These expressions make
that text, each the same bytes as api.fastread's record makers and OrjsonRenderer
(DRF's JSONRenderer: compact, UTF-8, a float as Python's repr writes it):

- `json_value(expr)`: a string, integer, boolean or date as JSON (`to_json`: the
  same escapes as Python's json and orjson, non-ASCII left as it is), `null` for
  NULL;
- `json_float(expr)`: a decimal column as the float Python writes (`48.0`, `-7.62`,
  `1e-05`: PostgreSQL's shortest exact float8 text equals Python's repr on every
  coordinate of the world record; a whole number is written with Python's `.0`);
- `json_datetime(expr)`: DRF's DateTimeField in UTC (`2026-12-05T13:51:20.221674Z`,
  no fraction when there are no microseconds);
- `json_partial_date(date, precision)`: common.dates.PartialDate's reduced ISO 8601;
- `json_url(prefix, key, suffix)`: an address made from a request's prefix and
  suffix (api.fastread.UrlTemplates) around an integer key or a slug, which
  `plain_slug()` checks needs no percent-encoding;
- `json_object(("name", expr), ...)`: an object of those values, keys in that order;
- `json_array_agg(expr, order_by)`: an aggregate, the JSON array of those values.

U+2028 and U+2029 (which DRF escapes) are left to the caller, on the whole body, as
OrjsonRenderer does. PostgreSQL only (`supported()`); other databases keep the
Python record makers, and tests/test_api_lean.py holds both to the view's bytes.
Setting: API_SQL_JSON (bool, on by default).
"""

from __future__ import annotations

import re

import orjson
from django.conf import settings
from django.db import connection as default_connection
from django.db.models import Func, TextField, Value
from django.utils import timezone

_TEXT = TextField()
_KEY = re.compile(r"[a-z_]+\Z")


def supported(connection=None) -> bool:
    """Whether the database writes the JSON: PostgreSQL, API_SQL_JSON on, and the
    current time zone UTC (json_datetime writes UTC, as DRF does under it)."""
    connection = connection or default_connection
    return (
        connection.vendor == "postgresql"
        and getattr(settings, "API_SQL_JSON", True)
        and timezone.get_current_timezone_name() == "UTC"
    )


def literal(text: str) -> Value:
    return Value(text, output_field=_TEXT)


class _Sql(Func):
    """A text expression: `template` with {0}, {1}... standing for its arguments (an
    argument may stand in several places: its parameters are then repeated)."""

    output_field = _TEXT

    def __init__(self, template: str, *expressions):
        super().__init__(*expressions, output_field=_TEXT)
        self.sql_template = template

    def as_sql(self, compiler, connection, **extra):
        compiled = [compiler.compile(argument) for argument in self.source_expressions]
        params = []

        def argument(match):
            sql, found = compiled[int(match.group(1))]
            params.extend(found)
            return f"({sql})"

        return _ARGUMENT.sub(argument, self.sql_template), params


_ARGUMENT = re.compile(r"\{(\d+)\}")


def json_value(expression) -> _Sql:
    return _Sql("COALESCE(to_json({0})::text, 'null')", expression)


def json_float(expression) -> _Sql:
    return _Sql(
        "CASE WHEN {0} IS NULL THEN 'null' WHEN {0} = trunc({0}) "
        "THEN concat(({0})::bigint, '.0') ELSE (({0})::float8)::text END",
        expression,
    )


def json_datetime(expression) -> _Sql:
    return _Sql(
        """CASE WHEN {0} IS NULL THEN 'null' ELSE concat('"', replace(to_char("""
        """{0} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '.000000', ''), 'Z"') END""",
        expression,
    )


def json_partial_date(date, precision) -> _Sql:
    return _Sql(
        "CASE WHEN {0} IS NULL THEN 'null' "
        """WHEN {1} = 'year' THEN concat('"', to_char({0}, 'YYYY'), '"') """
        """WHEN {1} = 'month' THEN concat('"', to_char({0}, 'YYYY-MM'), '"') """
        """ELSE concat('"', to_char({0}, 'YYYY-MM-DD'), '"') END""",
        date,
        precision,
    )


def json_url(prefix, key, suffix) -> _Sql:
    """`"<prefix><key><suffix>"` for an integer key or a plain slug (plain_slug())."""
    return _Sql("""concat('"', ({0})::text, {1}, ({2})::text, '"')""", prefix, key, suffix)


def json_slug(slug) -> _Sql:
    """A slug plain_slug() has checked: no character to escape."""
    return _Sql("""'"' || {0} || '"'""", slug)


def plain_slug(slugs: list, then) -> _Sql:
    """`then` if each of `slugs` is a text that goes into an address as it is; else
    NULL (the record is then left to Python, which percent-encodes it)."""
    tests = " AND ".join(f"{{{n}}} ~ '^[A-Za-z0-9_.~-]*$'" for n in range(len(slugs)))
    return _Sql(f"CASE WHEN {tests} THEN {{{len(slugs)}}} END", *slugs, then)


def json_object(*pairs, close: bool = True) -> _Sql:
    """`{"name":value,...}` (without the closing brace if not `close`: the caller
    adds members), written by one concat() (a chain of || copies the growing text
    at every step). concat() writes a NULL as nothing: every value here is one of
    the json_ expressions, never NULL, and plain_slug() refuses a whole record."""
    pieces = []
    for position, (name, _) in enumerate(pairs):
        if not _KEY.match(name):
            raise ValueError(f"A plain key, not {name!r}.")
        opening = "{" if position == 0 else ","
        pieces.append(f"""'{opening}"{name}":', {{{position}}}""")
    if close:
        pieces.append("'}'")
    return _Sql(f"concat({', '.join(pieces)})", *(expression for _, expression in pairs))


def json_text(template: str, *expressions) -> _Sql:
    """Text around JSON values: json_text("'{\"city\":' || {0} || '}'", value)."""
    return _Sql(template, *expressions)


class _SqlAggregate(_Sql):
    contains_aggregate = True

    def get_group_by_cols(self):
        return []


def json_array_agg(expression, *order_by) -> _Sql:
    """An aggregate: '[' the values, in `order_by`, ']' (NULL over no rows)."""
    order = ", ".join(f"{{{n}}}" for n in range(1, len(order_by) + 1))
    return _SqlAggregate(
        f"('[' || string_agg({{0}}, ',' ORDER BY {order}) || ']')", expression, *order_by
    )


def json_list_agg(expression, *order_by) -> _Sql:
    """An aggregate: the values as text, comma-separated, in `order_by`."""
    order = ", ".join(f"{{{n}}}" for n in range(1, len(order_by) + 1))
    return _SqlAggregate(f"string_agg(({{0}})::text, ',' ORDER BY {order})", expression, *order_by)


def escaped(text: str) -> str:
    """`text` as it goes inside a JSON string (a URL prefix from the request)."""
    return orjson.dumps(text).decode()[1:-1]
