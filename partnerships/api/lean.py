"""Lean reads (api/lean.py) of the two reads analysts script most: the links of a
country (GET /api/v1/partnerships/?country=DE, or every link, a page at a time)
and a city's partners (GET /api/v1/cities/<slug>/partners/).

Each runs fewer statements than the view, prepared once per process from the same
rules (`Partnership.objects.in_country`, `selectors.partners_of`, the page's unique
order from api.pagination.with_unique_order): the links touching a country are found
once, then counted and paged in one statement (the view counts, then pages), then
the page's rows, then their sources and areas (one statement); a city's partners
are one statement with a window count, the city found by its slug inside it. The
records are the fast path's (partnerships/api/fast.py), the answer the view's, byte
for byte (tests/test_api_lean.py). On PostgreSQL the database writes each record's
JSON in the statement that reads it (partnerships/api/fast_sql.py): a page of links
is then two statements (its ids with the count, then its records with their areas,
and its sources' summaries, each once), a city's partners still one; Python joins
the texts (tests/test_api_sql_json.py holds them to the Python records' bytes), and
a country's page takes its count from the links counted per country by the
database (partnerships/country_counts.py). Anything else (a filter, ?fields=,
?lang=, a format, a signed-in client) is left to the view.
"""

from __future__ import annotations

import orjson
from django.conf import settings
from django.db import connection
from django.db.models import Count, Subquery, TextField, Value, Window
from django.utils import translation
from django_countries import countries

from api import lean, sqljson
from api.pagination import with_unique_order
from api.prepared import PreparedQuery
from cities.api.serializers import country_names
from cities.models import City
from partnerships import country_counts, selectors
from partnerships import models as m

from . import fast, fast_sql

_PAGE = frozenset({"page", "page_size"})
_LINK_PARAMS = _PAGE | {"country"}


def _city_ids(slot):
    return City.objects.filter(slug=slot("slug")).order_by().values("pk")


_CITY_ID = PreparedQuery(lambda slot: _city_ids(slot).values_list("pk"), text={"slug"})


def _city_by_slug(slot):
    return Subquery(_city_ids(slot)[:1])


# A page of a city's partners with the number of all of them (a window count: the
# partner order is the selector's, kept in the same statement), the city found by
# its slug in the same statement: one round trip for a city with partners; when none
# is found, _CITY_ID tells an unknown city from one without partners.
_PARTNERS_BY_SLUG = PreparedQuery(
    lambda slot: (
        selectors.partners_of(_city_by_slug(slot), joined_names=True)
        .annotate(all_rows=Window(Count("pk")), this_city=_city_by_slug(slot))
        .values(*fast.PARTNER_COLUMNS, "all_rows", "this_city")
    ),
    text={"slug"},
)
# The same page with each record's JSON written by PostgreSQL (api/sqljson.py), in
# pieces around the partner's country name.
_PARTNERS_JSON_BY_SLUG = PreparedQuery(
    lambda slot: (
        selectors.partners_of(_city_by_slug(slot), joined_names=True)
        .annotate(
            all_rows=Window(Count("pk")),
            this_city=_city_by_slug(slot),
            **{
                f"json_{name}": piece
                for name, piece in fast_sql.partner_pieces(slot, _city_by_slug(slot)).items()
            },
        )
        .values("json_head", "json_country", "json_tail", "all_rows", "this_city")
    ),
    text={"slug", *fast_sql.url_slot_names(fast_sql.PARTNER_URLS)},
)
# Every link: counted, and a page of ids read along the primary key's index.
_LINK_COUNT = PreparedQuery(lambda slot: m.Partnership.objects.order_by().values_list("pk"))
_LINK_IDS = PreparedQuery(
    lambda slot: with_unique_order(m.Partnership.objects.order_by("pk")).values_list("pk")
)
# The links touching a country, unordered: found once, then counted and a page taken
# in primary-key order, the list's order (keys_and_count).
_COUNTRY_LINKS = PreparedQuery(
    lambda slot: m.Partnership.objects.in_country([slot("country")]).order_by().values_list("pk"),
    text={"country"},
)
_LINK_ROWS = PreparedQuery(
    lambda slot: (
        m.Partnership.objects.filter(pk__in=slot("ids", many=True))
        .order_by()
        .values(*fast.PARTNERSHIP_COLUMNS)
    )
)


# A page's links, each record's JSON written by PostgreSQL in two pieces around its
# sources' summaries, then (UNION ALL) each summary, once per page.
def _link_json(slot):
    pieces = fast_sql.partnership_pieces(slot)
    links = (
        m.Partnership.objects.filter(pk__in=slot("ids", many=True))
        .order_by()
        .values_list("pk", pieces["head"], pieces["source_ids"], pieces["tail"])
    )
    nothing = Value(None, output_field=TextField())
    sources = (
        m.Source.objects.filter(pk__in=fast_sql.page_sources(slot("ids", many=True)))
        .order_by()
        .values_list("pk", fast_sql.source_summary(slot), nothing, nothing)
    )
    return links.union(sources, all=True)


_LINK_JSON = PreparedQuery(_link_json, text=fast_sql.url_slot_names(fast_sql.LINK_URLS))


def partnerships(request, route):
    """GET /api/v1/partnerships/[?country=XX][&page=][&page_size=]."""
    params = lean.plain_params(request, _LINK_PARAMS)
    if params is None:
        return None
    paging = lean.page_of(params)
    code = params.get("country")
    if paging is None or (code is not None and not (len(code) == 2 and code in countries)):
        return None  # CountryListField judges the rest (lower case, lists, unknown codes)
    if not route.admitted(request):
        return None
    number, size = paging
    offset = (number - 1) * size
    if code is None and country_counts.supported(connection):
        ids, count = country_counts.all_page_and_count(connection, limit=size, offset=offset)
    elif code is None:
        count = _LINK_COUNT.count()
        ids = [pk for (pk,) in _LINK_IDS.rows(limit=size, offset=offset, tuples=True)]
        count = count if ids or number == 1 else None
    elif country_counts.supported(connection):
        ids, count = country_counts.page_and_count(connection, code, limit=size, offset=offset)
    else:
        ids, count = _COUNTRY_LINKS.keys_and_count(limit=size, offset=offset, country=code)
    if count is None:  # an empty page: the first of no links, or past the end (the view's 404)
        if number != 1:
            return None
        count = 0
    if ids and sqljson.supported():
        results = _links_json(request, ids)
        if results is not None:
            body = lean.paginated_json(request, number, size, count, results)
            return _written_by_database(route.respond_body(request, body))
    made = dict(fast.partnership_records_of(request, _LINK_ROWS.rows(ids=ids))) if ids else {}
    results = [made[pk] for pk in ids if pk in made]
    body = lean.paginated(request, number, size, count, results)
    return route.respond(request, body)


def partners(request, route, slug):
    """GET /api/v1/cities/<slug>/partners/[?page=][&page_size=]."""
    params = lean.plain_params(request, _PAGE)
    if params is None:
        return None
    paging = lean.page_of(params)
    if paging is None or not route.admitted(request):
        return None
    number, size = paging
    offset = (number - 1) * size
    body = _partners_json(request, slug, number, size, offset) if sqljson.supported() else None
    if body:
        return _written_by_database(route.respond_body(request, body))
    # No page read yet, or one left to Python (a slug to percent-encode); an empty
    # page (b"") is not read again: only the city is looked up.
    rows = [] if body == b"" else _PARTNERS_BY_SLUG.rows(slug=slug, limit=size, offset=offset)
    if rows:
        city_pk = rows[0]["this_city"]
    else:
        found = _CITY_ID.rows(slug=slug, tuples=True)
        if not found or number != 1:
            return None  # an unknown city, or past the end: the view's 404
        city_pk = found[0][0]
    count = rows[0]["all_rows"] if rows else 0
    results = [record for _, record in fast.partner_records_of(request, rows, city_pk)]
    body = lean.paginated(request, number, size, count, results)
    return route.respond(request, body)


def _partners_json(request, slug, number, size, offset) -> bytes | None:
    """partners()'s body from records written by PostgreSQL; b"" for a page with no
    partner (partners() then tells an unknown city from one without partners), None
    when Python must write the records (a slug to percent-encode)."""
    urls = fast_sql.url_values(request, fast_sql.PARTNER_URLS)
    rows = _PARTNERS_JSON_BY_SLUG.rows(slug=slug, limit=size, offset=offset, tuples=True, **urls)
    if not rows:
        return b""
    if any(head is None or tail is None for head, _, tail, _, _ in rows):
        return None
    names = country_names(translation.get_language() or settings.LANGUAGE_CODE)
    written: dict = {}
    results = []
    for head, code, tail, _, _ in rows:
        name = written.get(code)
        if name is None:
            name = written[code] = orjson.dumps(fast.country_name(names, code)).decode()
        results.append(head + name + tail)
    return lean.paginated_json(request, number, size, rows[0][3], results)


def _links_json(request, ids) -> list[str] | None:
    """The records of the links `ids`, in that order, written by PostgreSQL; None when
    Python must write them (a slug to percent-encode)."""
    urls = fast_sql.url_values(request, fast_sql.LINK_URLS)
    links, sources = {}, {}
    for pk, text, source_ids, tail in _LINK_JSON.rows(ids=ids, tuples=True, **urls):
        if text is None:
            return None
        if tail is None:
            sources[str(pk)] = text
        else:
            links[pk] = (text, source_ids, tail)
    results = []
    for pk in ids:
        found = links.get(pk)
        if found is not None:
            head, source_ids, tail = found
            cited = ",".join(sources[n] for n in source_ids.split(",")) if source_ids else ""
            results.append(f"{head}{cited}{tail}")
    return results


def _written_by_database(response):
    response.written_by_database = True  # for the tests: which records answered
    return response
