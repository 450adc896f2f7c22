"""ETags from the data version for every list-like API answer, and 304 before the query.

A list, an export (CSV, GeoJSON, NDJSON, streamed), facets, a city's partners and
the network's stats and paths are answered with

    ETag: W/"<hash of the data version and the request>"

where the request is what shapes the body: scheme and host (absolute URLs), the
full path with its query string (filters, page, ?format=, ?lang=), the Accept
header (content negotiation), and who asks (anonymous, or which signed-in user).
The data version (common.data_version) changes with every edit of the records
from any process, so a write changes every such ETag; an answer is the same for
the same request under the same version, so the ETag can be checked before the
query runs:

- `If-None-Match` naming it (weak comparison, RFC 9110 13.1.2: W/"x" matches "x";
  a list of tags matches if any does) -> 304 Not Modified, with the ETag and Vary,
  after authentication, permissions and throttles (a 304 counts against the rate)
  and the check of the query parameters, but before any query of the records;
- `If-None-Match: *` matches any current representation: the answer is worked
  out, and a 200 becomes a 304 (an error stays an error, RFC 9110 13.2.1);
- a malformed header matches nothing (the answer is a 200).

With the response cache on (api/response_cache.py) an anonymous conditional read is
answered there, before the session and the view, in the round trip that counts
the throttle and reads the data version.

The version read at the start of the request is the one in the ETag: a write that
lands while the query runs gives the next request a new ETag, never an old answer
under a new one. Details keep their own ETag, a hash of the record's JSON
(api/concurrency.py), which If-Match compares; the browsable API (HTML, with the
user's name and a CSRF token in it) gets no ETag.

Vary: Accept, Authorization and Cookie are named on these answers, so a cache
between the client and us never hands one user's (or an anonymous) answer to
another.

On by default only when the cache is shared by every process (Redis): with
per-process memory another worker would not see a write's new version and could
answer 304 for data that changed. Setting: API_ETAGS (bool).
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from common.data_version import data_version, shared_cache

VARY = ("Accept", "Authorization", "Cookie")
#: The data version read at the start of a request, left on the Django request.
VERSION_ATTR = "api_data_version"
ANONYMOUS = "anon"

_ENTITY_TAG = re.compile(r'\s*((?:W/)?"[^"]*")\s*(?:,|$)')


def enabled() -> bool:
    configured = getattr(settings, "API_ETAGS", None)
    return shared_cache() if configured is None else bool(configured)


def parse_if_none_match(header: str | None) -> list[str] | None:
    """The entity tags of an If-None-Match header, ["*"] for "*", None if absent or
    malformed (RFC 9110: 1#entity-tag, where a tag may itself hold a comma)."""
    if header is None:
        return None
    header = header.strip()
    if header == "*":
        return ["*"]
    tags, position = [], 0
    while position < len(header):
        match = _ENTITY_TAG.match(header, position)
        if match is None:
            return None
        tags.append(match.group(1))
        position = match.end()
    return tags or None


def weak_match(tags: list[str] | None, etag: str) -> bool:
    """Weak comparison of a parsed If-None-Match with one ETag ("*" not included)."""
    if not tags:
        return False
    opaque = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == opaque for tag in tags)


def request_version(request) -> str:
    """The data version this request is answered under: read once, at its start."""
    version = getattr(request, VERSION_ATTR, None)
    if version is None:
        version = data_version()
        setattr(request, VERSION_ATTR, version)
    return version


def variant_etag(request, version: str, audience: str) -> str:
    """The weak ETag of the answer to `request` (a Django HttpRequest) under `version`."""
    parts = "\n".join(
        [
            version,
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            request.headers.get("Accept", ""),
            audience,
        ]
    )
    return 'W/"' + hashlib.sha256(parts.encode()).hexdigest()[:32] + '"'


def not_modified(etag: str, vary: str | None = None) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    if vary:
        response["Vary"] = vary
    patch_vary_headers(response, VARY)
    return response


class _NotModified(Exception):
    def __init__(self, etag: str):
        self.etag = etag


class DataVersionETagMixin:
    """For an APIView or viewset: the data-version ETag and the early 304 above, on
    GET and HEAD of `data_version_etag_actions` (every GET of a view without actions).
    Place it before the view's other mixins, so its check runs after theirs."""

    data_version_etag_actions = frozenset({"list", "facets", "partners"})

    def _data_version_etag(self, request) -> str | None:
        if request.method not in ("GET", "HEAD") or not enabled():
            return None
        action = getattr(self, "action", None)
        if action is not None and action not in self.data_version_etag_actions:
            return None
        if getattr(getattr(request, "accepted_renderer", None), "format", None) == "api":
            return None  # the browsable API's HTML
        user = request.user
        audience = f"user:{user.pk}" if user.is_authenticated else ANONYMOUS
        django_request = request._request
        return variant_etag(django_request, request_version(django_request), audience)

    def initial(self, request, *args, **kwargs):
        self._etag = None
        super().initial(request, *args, **kwargs)
        self._etag = self._data_version_etag(request)
        if self._etag is not None:
            tags = parse_if_none_match(request.headers.get("If-None-Match"))
            if weak_match(tags, self._etag):
                raise _NotModified(self._etag)

    def handle_exception(self, exc):
        if isinstance(exc, _NotModified):
            return not_modified(exc.etag)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        etag = getattr(self, "_etag", None)
        if etag is None or response.status_code != 200:
            return response
        if parse_if_none_match(request.headers.get("If-None-Match")) == ["*"]:
            # An export's generator is dropped unstarted.
            return not_modified(etag, response.get("Vary"))
        response["ETag"] = etag
        patch_vary_headers(response, VARY)
        return response
