"""The floor for benchmarks/vs_datasette.py: a plain WSGI app, sqlite3 and json, nothing
else, running the benchmark's SQL on the same SQLite file as Datasette.

    FLOOR_DB=/path/twin.db granian --interface wsgi --working-dir benchmarks floor_wsgi:application

GET /links?country=DE   the first 100 links touching a country (COUNTRY_SQL)
GET /partners?qid=Q956  the partners of a city (PARTNERS_SQL)

Answers are JSON arrays of objects, as Datasette's ?_shape=array. No framework, no
middleware, no validation beyond the route: what answering these queries costs at
the least, in Python, on this machine.
"""

import json
import os
import sqlite3
import threading
from urllib.parse import parse_qs

COUNTRY_SQL = """
select a.name as city_a, b.name as city_b, a.country as country_a, b.country as country_b,
       l.one_sided
from links l join cities a on a.id = l.city_a join cities b on b.id = l.city_b
where l.city_a in (select id from cities where country = :country)
   or l.city_b in (select id from cities where country = :country)
order by l.id
limit 100
""".strip()
PARTNERS_SQL = """
select p.id, p.name, p.country, l.id as link, l.one_sided
from links l join cities p on p.id = case when l.city_a = :qid then l.city_b else l.city_a end
where l.city_a = :qid or l.city_b = :qid
order by p.name, l.id
""".strip()

ROUTES = {"/links": (COUNTRY_SQL, "country"), "/partners": (PARTNERS_SQL, "qid")}

_local = threading.local()


def _connection() -> sqlite3.Connection:
    connection = getattr(_local, "connection", None)
    if connection is None:
        path = os.environ["FLOOR_DB"]
        # Read-only and immutable, as Datasette serves it with -i.
        connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        _local.connection = connection
    return connection


def application(environ, start_response):
    route = ROUTES.get(environ.get("PATH_INFO", ""))
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if route is None or route[1] not in query:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    sql, name = route
    cursor = _connection().execute(sql, {name: query[name][0]})
    columns = [d[0] for d in cursor.description]
    body = json.dumps([dict(zip(columns, row, strict=True)) for row in cursor]).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
