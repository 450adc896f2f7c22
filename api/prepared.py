"""Querysets compiled to SQL once per process and database, then run with new values.

Building a queryset (filter(), annotate(), alias(): clones of the query and its
expressions) and compiling it to SQL cost more than running it on most API reads:
a city's partners took about 5 ms of Python for four queries that PostgreSQL
answered in under 1 ms. A `PreparedQuery` builds its queryset once, from the one
definition of the rule (a selector, a QuerySet method), with stand-in values
(`Slot`s) where the request's values go; the SQL and its parameters are kept, and
each request runs that SQL with the slots' parameters replaced:

    links_of = PreparedQuery(lambda slot: selectors.partners_of(City(pk=slot("city")))
                             .values(*COLUMNS))
    rows = links_of.rows(city=42, limit=50, offset=0)

- A slot's stand-in is a value no request sends (a large negative integer, a
  string with a NUL); compiling checks that each slot shows up as a parameter, and
  never in the SQL text, so a rule that would inline a value is refused at once.
- `slot(name, many=True)`: a list of integers (`pk__in=[slot]`): its one placeholder
  becomes as many as the request's list has values; on PostgreSQL, `IN (%s)` is
  written `= ANY(%s)` with the list as one array parameter (psycopg2 quotes each
  parameter in Python: 100 ids cost about 0.3 ms of CPU as 100 parameters, 0.01 ms
  as one array, and the statement is the same whatever the list's length).
- `rows(..., limit=, offset=)` appends LIMIT/OFFSET as parameters (the queryset
  must not be sliced itself; its ORDER BY is the statement's last clause).
- `count(...)`: COUNT(*) of the prepared statement, as a subquery.
- Rows come back as values() gives them: dicts by the values() names, each value
  through the database backend's converters (SQLite's booleans and dates), or as
  tuples with `tuples=True`.

The SQL is kept per database alias and vendor, and forgotten when DATABASES
changes; the statement is the one the ORM would have run, so query counts and
plans stay what the tests pin.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.dispatch import receiver

_INT_BASE = -7_319_523_011_000
_TEXT_MARK = "\x00slot:"


@dataclass(frozen=True)
class _SlotValue:
    name: str
    stand_in: object
    many: bool


class _Slots:
    """Hands out the stand-in values while the queryset is built."""

    def __init__(self, text: frozenset):
        self.made: dict[str, _SlotValue] = {}
        self._text = text

    def __call__(self, name: str, *, many: bool = False):
        found = self.made.get(name)
        if found is None:
            index = len(self.made)
            stand_in = f"{_TEXT_MARK}{name}" if name in self._text else _INT_BASE - index
            found = self.made[name] = _SlotValue(name, stand_in, many)
        return [found.stand_in] if found.many else found.stand_in


@dataclass
class _Compiled:
    sql: str
    params: list
    #: Per parameter position: the slot name there, or None for a fixed parameter.
    slot_at: list
    names: tuple
    converters: list = field(default_factory=list)
    many: frozenset = frozenset()
    #: Parameter positions of list slots written as one array (`= ANY(%s)`).
    arrays: frozenset = frozenset()


class PreparedQuery:
    """See the module docstring. `build(slot)` returns the queryset; `text`: the
    names of slots that stand for strings (the others stand for integers)."""

    def __init__(self, build, *, text=(), using: str = DEFAULT_DB_ALIAS):
        self._build = build
        self._text = frozenset(text)
        self._using = using
        self._compiled: dict = {}
        self._lock = threading.Lock()
        _ALL.append(self)

    # -- compiling ------------------------------------------------------------------

    def _compile(self) -> _Compiled:
        connection = connections[self._using]
        key = (self._using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is not None:
            return compiled
        with self._lock:
            compiled = self._compiled.get(key)
            if compiled is None:
                compiled = self._compiled[key] = self._make(connection)
        return compiled

    def _make(self, connection) -> _Compiled:
        slots = _Slots(self._text)
        queryset = self._build(slots)
        query = queryset.query
        if query.low_mark or query.high_mark is not None:
            raise ValueError("A prepared queryset is not sliced: rows() takes limit/offset.")
        compiler = query.get_compiler(using=self._using, connection=connection)
        sql, params = compiler.as_sql()
        params = list(params)
        by_stand_in = {slot.stand_in: slot.name for slot in slots.made.values()}
        slot_at = [by_stand_in.get(value) if _hashable(value) else None for value in params]
        for slot in slots.made.values():
            if slot.name not in slot_at:
                raise ValueError(f"Slot {slot.name!r} is not a parameter of the SQL.")
            if str(slot.stand_in) in sql:
                raise ValueError(f"Slot {slot.name!r} was written into the SQL text.")
        if sql.count("%s") != len(params):
            raise ValueError("The SQL's placeholders do not match its parameters.")
        fields = [column for column, _, _ in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(fields).items())
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        many = frozenset(slot.name for slot in slots.made.values() if slot.many)
        arrays = frozenset()
        if many and connection.vendor == "postgresql":
            sql, arrays = _lists_as_arrays(sql, slot_at, many)
        return _Compiled(sql, params, slot_at, tuple(names), converters, many, arrays)

    # -- running --------------------------------------------------------------------

    def statement(self, values: dict, suffix: str = "", extra: tuple = ()) -> tuple[str, list]:
        """The SQL and parameters for these slot values (plus a suffix and its params)."""
        return self._statement(self._compile(), values, suffix, extra)

    @staticmethod
    def _statement(compiled, values, suffix="", extra=()) -> tuple[str, list]:
        missing = set(compiled.slot_at) - {None} - set(values)
        if missing:
            raise TypeError(f"No value for slot(s) {sorted(missing)}.")
        sql, params = compiled.sql, []
        if compiled.many:
            pieces = sql.split("%s")
            out = [pieces[0]]
            for index, name in enumerate(compiled.slot_at):
                if name in compiled.many:
                    given = list(values[name])
                    if not given:
                        raise ValueError(f"Slot {name!r} needs at least one value.")
                    if index in compiled.arrays:
                        out.append("%s")
                        params.append("{" + ",".join(str(int(value)) for value in given) + "}")
                    else:
                        out.append(", ".join(["%s"] * len(given)))
                        params.extend(given)
                else:
                    out.append("%s")
                    params.append(compiled.params[index] if name is None else values[name])
                out.append(pieces[index + 1])
            sql = "".join(out)
        else:
            params = [
                fixed if name is None else values[name]
                for fixed, name in zip(compiled.params, compiled.slot_at, strict=True)
            ]
        return sql + suffix, [*params, *extra]

    def rows(self, *, limit: int | None = None, offset: int = 0, tuples: bool = False, **values):
        suffix, extra = "", ()
        if limit is not None:
            suffix, extra = " LIMIT %s OFFSET %s", (int(limit), int(offset))
        compiled = self._compile()
        sql, params = self._statement(compiled, values, suffix, extra)
        connection = connections[self._using]
        found = _fetch(connection, sql, params)
        if compiled.converters:
            found = list(_converted(found, compiled.converters, connection))
        if tuples:
            return found
        names = compiled.names
        return [dict(zip(names, row, strict=True)) for row in found]

    def count(self, **values) -> int:
        sql, params = self.statement(values)
        connection = connections[self._using]
        return _fetch(connection, f"SELECT COUNT(*) FROM ({sql}) prepared_count", params)[0][0]

    def keys_and_count(self, *, limit: int, offset: int = 0, **values) -> tuple[list, int | None]:
        """One page of the statement's first column, in that column's order, and the
        number of all its rows, in one statement (the rows are found once, then
        counted and sorted: links touching a country cost one scan of the link
        indexes instead of two). For a statement whose first column is the primary
        key and whose page order is the primary key. The count is None when the page
        is empty (no row to carry it)."""
        sql, params = self.statement(values)
        connection = connections[self._using]
        found = _fetch(
            connection,
            f"WITH prepared_rows AS ({sql}) SELECT page.*, "
            "(SELECT COUNT(*) FROM prepared_rows) FROM prepared_rows page "
            "ORDER BY 1 LIMIT %s OFFSET %s",
            [*params, int(limit), int(offset)],
        )
        if not found:
            return [], None
        return [row[0] for row in found], found[0][-1]

    def forget(self) -> None:
        self._compiled.clear()


def server_side() -> bool:
    """PREPARE/EXECUTE on PostgreSQL (setting DB_PREPARED_STATEMENTS, on by default).
    Off behind a pooler that hands one client several server sessions (PgBouncer in
    transaction mode), where a statement prepared on one is unknown on the next."""
    return getattr(settings, "DB_PREPARED_STATEMENTS", True)


def run(connection, sql: str, params: list) -> list:
    """The rows of a statement written by hand (%s placeholders), run as a prepared
    query's are: prepared once per PostgreSQL session."""
    return _fetch(connection, sql, params)


def _fetch(connection, sql: str, params: list) -> list:
    """The rows of `sql`: on PostgreSQL through a statement prepared once per database
    session (its plan is made once, not on every request: about 0.3-0.5 ms a
    statement); elsewhere, or with server_side() off, by executing it (Python's
    sqlite3 keeps its own cache of compiled statements)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or not server_side():
            cursor.execute(sql, params)
            return cursor.fetchall()
        name = "tw_" + hashlib.sha1(sql.encode()).hexdigest()[:20]
        known = _prepared_in_session(connection)
        execute = f"EXECUTE {name}"
        if params:
            execute += f" ({', '.join(['%s'] * len(params))})"
        if name in known:
            cursor.execute(execute, params)
        else:
            # PREPARE and the first EXECUTE in one round trip (one statement to count).
            numbered = iter(range(1, len(params) + 1))
            text = _PLACEHOLDER.sub(
                lambda m: m.group() if m.group() == "%%" else f"${next(numbered)}", sql
            )
            cursor.execute(f"PREPARE {name} AS {text}; {execute}", params)
            known.add(name)
        return cursor.fetchall()


_PLACEHOLDER = re.compile(r"%%|%s")


def _lists_as_arrays(sql: str, slot_at: list, many: frozenset) -> tuple[str, frozenset]:
    """`IN (%s)` of each list slot written `= ANY(%s)` (PostgreSQL); the positions
    of those parameters. A placeholder written otherwise keeps its expansion."""
    out, arrays, index, last = [], set(), 0, 0
    for found in _PLACEHOLDER.finditer(sql):
        if found.group() == "%%":
            continue
        start, end = found.span()
        if slot_at[index] in many and sql.endswith("IN (", 0, start) and sql.startswith(")", end):
            out.append(sql[last : start - len("IN (")])
            out.append("= ANY(%s)")
            last = end + 1
            arrays.add(index)
        index += 1
    out.append(sql[last:])
    return "".join(out), frozenset(arrays)


def _prepared_in_session(connection) -> set:
    """The names prepared in the database session `connection` holds now (a new
    session, after a reconnect, starts with none)."""
    raw = connection.connection
    held = getattr(connection, "_prepared_statements", None)
    if held is None or held[0] is not raw:
        held = connection._prepared_statements = (raw, set())
    return held[1]


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _converted(rows, converters, connection):
    for row in rows:
        row = list(row)
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        yield tuple(row)


_ALL: list[PreparedQuery] = []


@receiver(setting_changed)
def _forget_all(setting, **kwargs):
    if setting == "DATABASES":
        for prepared in _ALL:
            prepared.forget()
