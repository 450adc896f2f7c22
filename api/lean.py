"""Lean reads: the hottest anonymous JSON reads answered without DRF's request cycle.

Every middleware still runs (sessions, locale, CSRF, auth, axes, history, CSP,
security headers); what a lean read skips is DRF's per-request work that such a
request does not need: the Request wrapper, content negotiation over five
renderers, the authenticators and permission classes (nobody is signed in), the
filter form, the paginator and the renderer context. It keeps what the answer
depends on:
- the throttles: the request is counted in the same windows (api/throttling.py),
  in the one round trip that also reads the data version; over a limit, the
  request is handed to the view with its count left on it (COUNTED_ATTR), which
  answers the 429 without counting it again;
- the ETag: the same weak ETag from the data version and the request (api/etags.py);
- the body: the same bytes, built by the same record makers as the fast read path
  (api.fastread) from rows read by prepared statements (api/prepared.py);
- the headers: Content-Type, Allow and Vary as DRF sets them.

A lean handler takes only the requests it answers exactly as the view would and
returns None for anything else, which the view then answers as usual: a session
cookie or an Authorization header (someone may be signed in), an Accept other than
JSON or anything, If-None-Match (the view answers 304 and `*`), a query parameter
it does not know, given twice or not in its plain form, a page past the end (the
view's 404). tests/test_api_lean.py holds each lean answer to the view's, byte for
byte and header by header, over the seed and a generated data set.

A viewset names its handlers in `lean_actions` ({action: function}); the handler is
called as handler(request, route, **url_kwargs) (`Route`: the view's Allow header and
throttles, to admit the request and to answer it); a viewset with
`fast_reads = False` (the serializers' reference answers) has none. Setting:
API_LEAN_READS (bool, on by default; benchmarks/read_path.py --levers turns it off
to measure what it gives).
"""

from __future__ import annotations

import functools
import re
import time

import orjson
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from common.data_version import VERSION_KEY

from . import etags, throttling
from .fastread import OrjsonRenderer
from .pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ApiPageNumberPagination
from .throttling import COUNTED_ATTR, WindowRateThrottle

_RENDERER = OrjsonRenderer()
JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})
_DIGITS = re.compile(r"[1-9][0-9]{0,5}\Z")


def enabled() -> bool:
    return getattr(settings, "API_LEAN_READS", True)


def plain_params(request, allowed: frozenset) -> dict | None:
    """The query parameters of an anonymous JSON GET that a lean handler may answer,
    as {name: value}; None if the view must answer it (see the module docstring)."""
    meta = request.META
    if (
        request.method != "GET"
        or "HTTP_AUTHORIZATION" in meta
        or "HTTP_IF_NONE_MATCH" in meta
        or meta.get("HTTP_ACCEPT", "").strip() not in JSON_ACCEPTS
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        # DRF's test client signs a user in without a header or a cookie.
        or getattr(request, "_force_auth_user", None) is not None
        or getattr(request, "_force_auth_token", None) is not None
    ):
        return None
    params = {}
    for name, values in request.GET.lists():
        if name not in allowed or len(values) != 1 or not values[0]:
            return None
        params[name] = values[0]
    return params


def page_of(params: dict) -> tuple[int, int] | None:
    """(page number, page size) from ?page= and ?page_size= in their plain form
    (digits, within the paginator's limits); None for anything the paginator must judge."""
    page, size = params.get("page", "1"), params.get("page_size", str(DEFAULT_PAGE_SIZE))
    if not (_DIGITS.match(page) and _DIGITS.match(size)):
        return None
    size_number = int(size)
    if size_number > MAX_PAGE_SIZE:
        return None
    return int(page), size_number


class Route:
    """What a lean handler needs of its view: the Allow header DRF sends, and the
    view's own throttle_classes (the anonymous ones count the request)."""

    def __init__(self, allow: str, throttles: tuple):
        self.allow = allow
        self.throttles = throttles

    def admitted(self, request) -> bool:
        """Count the request against the view's anonymous throttles and read the data
        version, in one round trip. False if a limit is passed: the view then answers
        the 429 (the count is left on the request, so it is not counted twice)."""
        counted = hasattr(request, COUNTED_ATTR)  # by the response cache, let through
        want_version = etags.enabled() and not hasattr(request, etags.VERSION_ATTR)
        if counted and not want_version:
            return True
        windows, counts, found = throttling.count_anonymous(
            request,
            () if counted else self.throttles,
            [VERSION_KEY] if want_version else [],
            now=time.time(),
        )
        if found.get(VERSION_KEY):
            setattr(request, etags.VERSION_ATTR, found[VERSION_KEY])
        # The cache out of reach (counts None): throttles fail open, as in the view.
        return throttling.passed_window(windows, counts) is None

    def respond(self, request, data) -> HttpResponse:
        """The view's 200: its JSON bytes, Allow and Vary, and the data-version ETag."""
        return self.respond_body(request, _RENDERER.render(data))

    def respond_body(self, request, body: bytes) -> HttpResponse:
        """respond() of a body written already (JSON made by the database)."""
        response = HttpResponse(body, content_type="application/json")
        response["Vary"] = "Accept"
        response["Allow"] = self.allow
        if etags.enabled():
            version = etags.request_version(request)
            response["ETag"] = etags.variant_etag(request, version, etags.ANONYMOUS)
            patch_vary_headers(response, etags.VARY)
        response.lean_read = True  # for the tests: which path answered
        return response


def paginated(request, number: int, size: int, count: int, results: list) -> dict:
    """The paginator's body (count, next, previous, results) for page `number` of
    `size` rows out of `count`, its links made by ApiPageNumberPagination itself."""
    paginator = ApiPageNumberPagination()
    paginator.request = request
    # Page() rather than .page(number): the number is the one asked for, not judged
    # again against a count another statement read.
    paginator.page = Page(results, number, Paginator(range(count), size))
    return {
        "count": count,
        "next": paginator.get_next_link(),
        "previous": paginator.get_previous_link(),
        "results": results,
    }


def paginated_json(request, number: int, size: int, count: int, results: list[str]) -> bytes:
    """paginated()'s body written with the results given as JSON texts (api.sqljson),
    as OrjsonRenderer writes it (U+2028 and U+2029 escaped)."""
    envelope = paginated(request, number, size, count, [])
    del envelope["results"]
    body = b"".join(
        (orjson.dumps(envelope)[:-1], b',"results":[', ",".join(results).encode(), b"]}")
    )
    if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
        body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
    return body


def with_lean_reads(view, viewset_class, actions: dict, initkwargs: dict):
    """The router's view function for these actions, trying the lean handler of the
    GET action first (if the viewset names one)."""
    handlers = getattr(viewset_class, "lean_actions", {})
    handler = handlers.get(actions.get("get"))
    throttles = viewset_class.throttle_classes
    # A lean read counts the anonymous windows only: any other throttle on the view
    # (a scoped rate, say) leaves every request to the view.
    if handler is None or not all(issubclass(t, WindowRateThrottle) for t in throttles):
        return view
    route = Route(_allowed_methods(viewset_class, actions, initkwargs), tuple(throttles))

    @functools.wraps(view)
    def lean_or_view(request, *args, **kwargs):
        if viewset_class.fast_reads and enabled():
            response = handler(request, route, **kwargs)
            if response is not None:
                return response
        return view(request, *args, **kwargs)

    return lean_or_view


def _allowed_methods(viewset_class, actions: dict, initkwargs: dict) -> str:
    """The Allow header DRF's view sends for this route."""
    view = viewset_class(**initkwargs)
    view.action_map = actions
    for method, action in actions.items():
        setattr(view, method, getattr(view, action))
    if "get" in actions and "head" not in actions:
        view.head = view.get
    return ", ".join(view.allowed_methods)
