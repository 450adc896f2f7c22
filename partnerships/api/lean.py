"""Lean reads (api/lean.py) of the two reads analysts script most: the links of a
country (GET /api/v1/partnerships/?country=DE, or every link, a page at a time)
and a city's partners (GET /api/v1/cities/<slug>/partners/).

Each runs the statements the view runs (a count, the page's ids, its rows, their
areas and sources; or a count and the page of partners), prepared once per process
from the same rules: `Partnership.objects.in_country`, `selectors.partners_of` and
the page's unique order (api.pagination.with_unique_order). The records are the fast
path's (partnerships/api/fast.py), the answer the view's, byte for byte
(tests/test_api_lean.py). Anything else (a filter, ?fields=, ?lang=, a format, a
signed-in client) is left to the view.
"""

from __future__ import annotations

from django_countries import countries

from api import lean
from api.pagination import with_unique_order
from api.prepared import PreparedQuery
from cities.models import City
from partnerships import models as m
from partnerships import selectors

from . import fast

_PAGE = frozenset({"page", "page_size"})
_LINK_PARAMS = _PAGE | {"country"}

_CITY_ID = PreparedQuery(
    lambda slot: City.objects.filter(slug=slot("slug")).values_list("pk"), text={"slug"}
)
_PARTNERS = PreparedQuery(
    lambda slot: selectors.partners_of(City(pk=slot("city"))).values(*fast.PARTNER_COLUMNS)
)
_PARTNER_COUNT = PreparedQuery(
    lambda slot: selectors.partners_of(City(pk=slot("city"))).order_by().values_list("pk")
)
_LINK_IDS = PreparedQuery(
    lambda slot: with_unique_order(m.Partnership.objects.order_by("pk")).values_list("pk")
)
_COUNTRY_LINK_IDS = PreparedQuery(
    lambda slot: with_unique_order(
        m.Partnership.objects.in_country([slot("country")]).order_by("pk")
    ).values_list("pk"),
    text={"country"},
)
_LINK_COUNT = PreparedQuery(lambda slot: m.Partnership.objects.order_by().values_list("pk"))
_COUNTRY_LINK_COUNT = PreparedQuery(
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


def partnerships(request, *, allow):
    """GET /api/v1/partnerships/[?country=XX][&page=][&page_size=]."""
    params = lean.plain_params(request, _LINK_PARAMS)
    if params is None:
        return None
    paging = lean.page_of(params)
    code = params.get("country")
    if paging is None or (code is not None and not (len(code) == 2 and code in countries)):
        return None  # CountryListField judges the rest (lower case, lists, unknown codes)
    if not lean.admitted(request):
        return None
    number, size = paging
    if code is None:
        ids_query, count_query, values = _LINK_IDS, _LINK_COUNT, {}
    else:
        ids_query, count_query = _COUNTRY_LINK_IDS, _COUNTRY_LINK_COUNT
        values = {"country": code}
    count = count_query.count(**values)
    if not lean.page_in_range(number, size, count):
        return None
    page = ids_query.rows(limit=size, offset=(number - 1) * size, tuples=True, **values)
    ids = [pk for (pk,) in page]
    made = dict(fast.partnership_records_of(request, _LINK_ROWS.rows(ids=ids))) if ids else {}
    results = [made[pk] for pk in ids if pk in made]
    body = lean.paginated(request, number, size, count, results)
    return lean.json_response(request, body, allow=allow)


def partners(request, *, allow, slug):
    """GET /api/v1/cities/<slug>/partners/[?page=][&page_size=]."""
    params = lean.plain_params(request, _PAGE)
    if params is None:
        return None
    paging = lean.page_of(params)
    if paging is None or not lean.admitted(request):
        return None
    found = _CITY_ID.rows(slug=slug, tuples=True)
    if not found:
        return None  # the view's 404
    city_pk = found[0][0]
    number, size = paging
    count = _PARTNER_COUNT.count(city=city_pk)
    if not lean.page_in_range(number, size, count):
        return None
    rows = _PARTNERS.rows(city=city_pk, limit=size, offset=(number - 1) * size)
    results = [record for _, record in fast.partner_records_of(request, rows, city_pk)]
    body = lean.paginated(request, number, size, count, results)
    return lean.json_response(request, body, allow=allow)
