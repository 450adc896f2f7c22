"""The countries of a link's two cities, kept on the link by the database.

`Partnership.country_a` / `country_b` repeat `city_a.country` / `city_b.country` so
that the links touching a country are read from two small indexes (country_a, id)
and (country_b, id) instead of testing both city columns against the ids of the
country's cities (5,261 links touching Germany among 31,239: 13 ms on PostgreSQL
through the city ids, about 1 ms from the link's own columns).

A copy is only as good as what keeps it equal, so no Python code writes it: triggers
do, on both databases, whatever writes the row (the ORM, bulk_create, the importer,
loaddata, a raw UPDATE):

- a link inserted or updated takes its cities' countries (a value written by hand
  is overwritten; a city not yet inserted, as the deferred foreign keys allow
  inside a transaction, gives '' until it is);
- a city inserted, or its country changed, passes the country to its links.

The triggers live outside the migrations: a schema change can trip over a trigger
(Django's SQLite backend rebuilds a table by dropping it and renaming a copy, which
fails while a trigger names the dropped table; PostgreSQL refuses to change the type
of a column a trigger names). So `before_migrate()` drops them before every migrate
(pre_migrate, partnerships.apps) and `after_migrate()` runs `ensure()` after it
(post_migrate): it creates whichever trigger is missing and, if one was, copies the
countries again, repairing whatever was written while they were away.
tests/test_link_countries.py holds the rule on both databases.
"""

from __future__ import annotations

LINK_TABLE = "partnerships_partnership"
CITY_TABLE = "cities_city"
FUNCTIONS = ("partnership_take_countries", "city_give_country")
TRIGGERS = {
    "postgresql": ("partnership_take_countries", "city_give_country"),
    "sqlite": (
        "partnership_take_countries_insert",
        "partnership_take_countries_update",
        "city_give_country_insert",
        "city_give_country_update",
    ),
}

_COUNTRY_OF = "COALESCE((SELECT country FROM {city} WHERE id = {ref}), '')"


def _country_of(ref: str) -> str:
    return _COUNTRY_OF.format(city=CITY_TABLE, ref=ref)


def _postgresql() -> list[str]:
    link, city = LINK_TABLE, CITY_TABLE
    return [
        f"""
CREATE OR REPLACE FUNCTION partnership_take_countries() RETURNS trigger AS $$
BEGIN
    NEW.country_a := {_country_of("NEW.city_a_id")};
    NEW.country_b := {_country_of("NEW.city_b_id")};
    RETURN NEW;
END $$ LANGUAGE plpgsql""",
        f"DROP TRIGGER IF EXISTS partnership_take_countries ON {link}",
        f"""
CREATE TRIGGER partnership_take_countries
BEFORE INSERT OR UPDATE OF city_a_id, city_b_id, country_a, country_b ON {link}
FOR EACH ROW EXECUTE FUNCTION partnership_take_countries()""",
        f"""
CREATE OR REPLACE FUNCTION city_give_country() RETURNS trigger AS $$
BEGIN
    UPDATE {link} SET country_a = NEW.country
        WHERE city_a_id = NEW.id AND country_a IS DISTINCT FROM NEW.country;
    UPDATE {link} SET country_b = NEW.country
        WHERE city_b_id = NEW.id AND country_b IS DISTINCT FROM NEW.country;
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
        f"DROP TRIGGER IF EXISTS city_give_country ON {city}",
        f"""
CREATE TRIGGER city_give_country
AFTER INSERT OR UPDATE OF country ON {city}
FOR EACH ROW EXECUTE FUNCTION city_give_country()""",
    ]


def _sqlite() -> list[str]:
    link, city = LINK_TABLE, CITY_TABLE
    take = (
        f"UPDATE {link} SET country_a = {_country_of('NEW.city_a_id')}, "
        f"country_b = {_country_of('NEW.city_b_id')} WHERE id = NEW.id;"
    )
    give = (
        f"UPDATE {link} SET country_a = NEW.country "
        f"WHERE city_a_id = NEW.id AND country_a IS NOT NEW.country; "
        f"UPDATE {link} SET country_b = NEW.country "
        f"WHERE city_b_id = NEW.id AND country_b IS NOT NEW.country;"
    )
    # SQLite's recursive_triggers is off: the UPDATE inside a trigger on the same
    # table does not fire it again.
    return [
        f"CREATE TRIGGER IF NOT EXISTS partnership_take_countries_insert "
        f"AFTER INSERT ON {link} BEGIN {take} END",
        f"CREATE TRIGGER IF NOT EXISTS partnership_take_countries_update "
        f"AFTER UPDATE OF city_a_id, city_b_id, country_a, country_b ON {link} "
        f"BEGIN {take} END",
        f"CREATE TRIGGER IF NOT EXISTS city_give_country_insert "
        f"AFTER INSERT ON {city} BEGIN {give} END",
        f"CREATE TRIGGER IF NOT EXISTS city_give_country_update "
        f"AFTER UPDATE OF country ON {city} BEGIN {give} END",
    ]


def _statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return _postgresql()
    if vendor == "sqlite":
        return _sqlite()
    raise NotImplementedError(f"link countries: no triggers for {vendor}")


def present(connection) -> set[str]:
    """The names of this module's triggers the database holds."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname = ANY(%s)",
                [list(TRIGGERS["postgresql"])],
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()} & set(TRIGGERS[connection.vendor])


def install(connection) -> None:
    """Create (or replace) the triggers, then copy every link's countries once."""
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor):
            cursor.execute(statement)
        resync(cursor)


def resync(cursor) -> None:
    """Give every link whose copy differs its cities' countries (the triggers do the
    writing: the link trigger overwrites what this sets)."""
    cursor.execute(
        f"UPDATE {LINK_TABLE} SET country_a = {_country_of('city_a_id')}, "
        f"country_b = {_country_of('city_b_id')} "
        f"WHERE country_a <> {_country_of('city_a_id')} "
        f"OR country_b <> {_country_of('city_b_id')}"
    )


def uninstall(connection) -> None:
    """Drop the triggers (the migration's reverse)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS partnership_take_countries ON {LINK_TABLE}")
            cursor.execute(f"DROP TRIGGER IF EXISTS city_give_country ON {CITY_TABLE}")
            for function in FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
        else:
            for name in TRIGGERS["sqlite"]:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def ensure(connection) -> bool:
    """Install the triggers if any is missing (after a table rebuild); True if it did."""
    if connection.vendor not in TRIGGERS:
        return False
    if present(connection) == set(TRIGGERS[connection.vendor]):
        return False
    install(connection)
    return True


def _has_copy(connection) -> bool | None:
    """Whether the links table has its country copy (None: the tables are not there)."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if LINK_TABLE not in tables or CITY_TABLE not in tables:
            return None
        description = connection.introspection.get_table_description(cursor, LINK_TABLE)
    return any(column.name == "country_a" for column in description)


def before_migrate(connection) -> None:
    """Drop the triggers before migrations run: a schema change could otherwise trip
    over them (SQLite rebuilds a table by dropping it and renaming a copy, which fails
    while a trigger names the dropped table; PostgreSQL refuses to change the type of
    a column a trigger names)."""
    if connection.vendor in TRIGGERS and _has_copy(connection) is not None:
        uninstall(connection)


def after_migrate(connection) -> None:
    """After migrations (and flush): install whichever trigger is missing and copy the
    countries again, once the columns they fill exist."""
    if connection.vendor in TRIGGERS and _has_copy(connection):
        ensure(connection)
