"""How many links touch each country, kept by PostgreSQL as links change.

A page of a country's links says how many there are (`count`), and counting them
was most of the page's database time: 5,261 links touch Germany, and finding and
counting them took about 5 ms on every request, whichever page was asked; the page
itself is found from the two (country_a, id) and (country_b, id) indexes in well
under a millisecond. So PostgreSQL keeps the number in a table of its own,
`partnerships_country_link_count` (country, links), written by triggers on the
links and nothing else:

- a link inserted or deleted adds or takes one from each of its countries (one,
  for a link between two cities of the same country), and from the row `*`, the
  number of all links (the count of a page of every link);
- a link whose country copy changes (link_countries: a city moved to another
  country, a link moved to another city) moves its one from the old countries to
  the new; a TRUNCATE of the links empties the table.

Each change touches the countries in their order, so two transactions never wait
on each other's rows the other way round; a transaction that adds or deletes links
holds the rows it changed until it commits, so two such transactions touching the
same country (or both adding links) take turns (the importer writes in one
transaction; editors save one link at a time). Like the country copy, the triggers live
outside the migrations (`before_migrate` drops them, `after_migrate` puts them back
and counts every country again, repairing whatever was written while they were
away), and the table is made there too: it holds nothing that cannot be counted
again. Other databases keep counting the links (the portable fallback); both are
held to `Partnership.objects.in_country(...).count()` by tests/test_country_counts.py.
"""

from __future__ import annotations

from .link_countries import LINK_TABLE

COUNT_TABLE = "partnerships_country_link_count"
#: The row holding the number of all links (no country code has this form).
ALL = "*"
FUNCTIONS = ("partnership_count_countries", "partnership_count_truncate")
TRIGGERS = (
    "partnership_count_countries_insert_delete",
    "partnership_count_countries_update",
    "partnership_count_truncate",
)


def supported(connection) -> bool:
    return connection.vendor == "postgresql"


def _statements() -> list[str]:
    link, table = LINK_TABLE, COUNT_TABLE
    return [
        f"CREATE TABLE IF NOT EXISTS {table} ("
        "country varchar(2) PRIMARY KEY, links bigint NOT NULL CHECK (links >= 0))",
        f"""
CREATE OR REPLACE FUNCTION partnership_count_countries() RETURNS trigger AS $$
DECLARE
    change record;
BEGIN
    -- OLD is NULL on INSERT, NEW on DELETE. DISTINCT: a link within one country
    -- counts once for it.
    FOR change IN
        SELECT country, sum(delta) AS delta
        FROM (SELECT DISTINCT country, delta FROM (VALUES
            (OLD.country_a, -1), (OLD.country_b, -1),
            (NEW.country_a, 1), (NEW.country_b, 1),
            (CASE WHEN TG_OP = 'DELETE' THEN '{ALL}' END, -1),
            (CASE WHEN TG_OP = 'INSERT' THEN '{ALL}' END, 1)) AS found (country, delta)
            WHERE country IS NOT NULL) AS distinct_change
        GROUP BY country HAVING sum(delta) <> 0 ORDER BY country
    LOOP
        IF change.delta > 0 THEN
            INSERT INTO {table} AS counted (country, links) VALUES (change.country, change.delta)
            ON CONFLICT (country) DO UPDATE SET links = counted.links + EXCLUDED.links;
        ELSE
            UPDATE {table} SET links = links + change.delta WHERE country = change.country;
        END IF;
    END LOOP;
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
        f"""
CREATE OR REPLACE FUNCTION partnership_count_truncate() RETURNS trigger AS $$
BEGIN
    DELETE FROM {table};
    RETURN NULL;
END $$ LANGUAGE plpgsql""",
        f"DROP TRIGGER IF EXISTS partnership_count_countries_insert_delete ON {link}",
        f"""
CREATE TRIGGER partnership_count_countries_insert_delete
AFTER INSERT OR DELETE ON {link}
FOR EACH ROW EXECUTE FUNCTION partnership_count_countries()""",
        f"DROP TRIGGER IF EXISTS partnership_count_countries_update ON {link}",
        f"""
CREATE TRIGGER partnership_count_countries_update
AFTER UPDATE OF country_a, country_b ON {link}
FOR EACH ROW WHEN (OLD.country_a IS DISTINCT FROM NEW.country_a
                   OR OLD.country_b IS DISTINCT FROM NEW.country_b)
EXECUTE FUNCTION partnership_count_countries()""",
        f"DROP TRIGGER IF EXISTS partnership_count_truncate ON {link}",
        f"""
CREATE TRIGGER partnership_count_truncate
AFTER TRUNCATE ON {link}
FOR EACH STATEMENT EXECUTE FUNCTION partnership_count_truncate()""",
    ]


def present(connection) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname = ANY(%s)",
            [list(TRIGGERS)],
        )
        return {name for (name,) in cursor.fetchall()}


def install(connection) -> None:
    """Create the table and (or replace) the triggers, then count every country."""
    with connection.cursor() as cursor:
        for statement in _statements():
            cursor.execute(statement)
        recount(cursor)


def recount(cursor) -> None:
    """Count the links of every country again (under a lock on the links, so no
    write lands between the count and the triggers' next change)."""
    cursor.execute(f"LOCK TABLE {LINK_TABLE} IN SHARE MODE")
    cursor.execute(f"DELETE FROM {COUNT_TABLE}")
    cursor.execute(
        f"INSERT INTO {COUNT_TABLE} (country, links) "
        f"SELECT country, count(*) FROM (SELECT id, country_a AS country FROM {LINK_TABLE} "
        f"UNION SELECT id, country_b FROM {LINK_TABLE}) AS touching GROUP BY country "
        f"UNION ALL SELECT %s, count(*) FROM {LINK_TABLE}",
        [ALL],
    )


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {LINK_TABLE}")
        for function in FUNCTIONS:
            cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")


def before_migrate(connection) -> None:
    """Drop the triggers before migrations run (see link_countries.before_migrate)."""
    if supported(connection) and _has_copy(connection) is not None:
        uninstall(connection)


def after_migrate(connection) -> None:
    """Put the table and triggers back and count again, once the copy exists."""
    if supported(connection) and _has_copy(connection):
        from django.db import transaction

        with transaction.atomic(using=connection.alias):
            install(connection)


def _has_copy(connection):
    from .link_countries import _has_copy

    return _has_copy(connection)


#: A page of the ids of the links touching a country, in id order, with the number of
#: them: each index read in id order as far as the page goes (a merge of the two),
#: the number from the table. Parameters: country (four times), the rows the page
#: reaches (offset + limit, twice), the limit, the offset.
PAGE_SQL = f"""
SELECT touching.id, (SELECT links FROM {COUNT_TABLE} WHERE country = %s)
FROM ((SELECT id FROM {LINK_TABLE} WHERE country_a = %s ORDER BY id LIMIT %s)
      UNION
      (SELECT id FROM {LINK_TABLE} WHERE country_b = %s ORDER BY id LIMIT %s)) AS touching
ORDER BY touching.id LIMIT %s OFFSET %s
"""


def page_and_count(connection, code: str, *, limit: int, offset: int) -> tuple[list, int | None]:
    """(ids of a page of the links touching `code`, the number of all of them), as
    PreparedQuery.keys_and_count gives them (None for an empty page)."""
    from api.prepared import run

    reach = offset + limit
    rows = run(connection, PAGE_SQL, [code, code, reach, code, reach, limit, offset])
    if not rows:
        return [], None
    return [pk for pk, _ in rows], rows[0][1] or 0


#: A page of every link's id in id order, with the number of all links.
ALL_PAGE_SQL = f"""
SELECT id, (SELECT links FROM {COUNT_TABLE} WHERE country = %s)
FROM {LINK_TABLE} ORDER BY id LIMIT %s OFFSET %s
"""


def all_page_and_count(connection, *, limit: int, offset: int) -> tuple[list, int | None]:
    """(ids of a page of every link, the number of all links); None for an empty page."""
    from api.prepared import run

    rows = run(connection, ALL_PAGE_SQL, [ALL, limit, offset])
    if not rows:
        return [], None
    return [pk for pk, _ in rows], rows[0][1] or 0
