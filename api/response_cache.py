"""Anonymous API reads served from the shared cache, and dropped by any edit.

Why: a page of 100 links with both cities nested costs tens of milliseconds of
serialisation (DRF fields, nested cities and sources); the same answer is asked for again and
again by analysts' scripts, and the data changes rarely (staff edits, imports).

What is cached: GET/HEAD under /api/v1/, by anonymous clients (no session cookie,
no Authorization header), answered 200 with JSON and not streamed (exports are
streamed and never cached). The key is the full URL with its query string, the
host and the Accept header, so content negotiation and absolute URLs stay right;
the answer is stored with the data version it was made under and served only while
that version is current. The middleware sits before the session and auth
middleware, so a hit skips them and the view; it replays the headers the inner
middleware set on the original answer, the outer middleware (security headers,
CSP) runs as usual.

Throttles and conditional reads: every anonymous request that comes here is counted
against the client's `anon` rate (api/throttling.py) in the same round trip that
reads the data version and the answer, so a hit costs one round trip to the cache
and still counts; over the rate it is a 429 with Retry-After, and a request passed
on to the view is not counted again. An `If-None-Match` naming the answer's ETag
(api/etags.py: derived from the data version and the request, so it is known
before any query; or the ETag stored with a cached detail) is a 304 from here.

Invalidation: each answer is stored with the data version it was made under
(`common.data_version`, replaced by every edit of the data apps from any process
that ran `django.setup()`, and by the import and `restore`), and served only while
that version is current. Entries also expire after API_RESPONSE_CACHE_SECONDS.

On by default only when the cache is shared between processes (Redis): with the
per-process local-memory cache, one server worker could not tell another that the
data changed. Settings: API_RESPONSE_CACHE (bool), API_RESPONSE_CACHE_SECONDS.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from rest_framework.settings import api_settings

from common.data_version import VERSION_KEY, data_version, shared_cache, version_trustworthy

from . import etags, throttling
from .throttling import throttled_detail

PREFIX = "/api/v1/"
NEVER = ("/api/v1/docs/", "/api/v1/schema/")
MAX_BYTES = 2 * 1024 * 1024
NOT_REPLAYED = frozenset({"set-cookie", "content-length", "x-cache"})


def enabled() -> bool:
    configured = getattr(settings, "API_RESPONSE_CACHE", None)
    return shared_cache() if configured is None else bool(configured)


def _throttled_response(seconds: int) -> JsonResponse:
    response = JsonResponse({"detail": throttled_detail(seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


class ApiResponseCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _cacheable_request(request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and request.path.startswith(PREFIX)
            and not request.path.startswith(NEVER)
            and "authorization" not in request.headers
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and enabled()
            # After an outage in which this process changed data, until the cache
            # has taken the new data version: nothing read from it can be trusted.
            and version_trustworthy()
        )

    @staticmethod
    def _cacheable_response(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("application/json")
            and not response.cookies
            and "no-store" not in response.get("Cache-Control", "")
            and len(response.content) <= MAX_BYTES
        )

    @staticmethod
    def _key(request) -> str:
        parts = "|".join(
            [
                request.scheme,
                request.get_host(),
                request.get_full_path(),
                request.headers.get("Accept", ""),
            ]
        )
        return "api:response:" + hashlib.sha256(parts.encode()).hexdigest()

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        # One round trip: the throttle counters, the data version and the answer
        # (stored with the version it was made under).
        key = self._key(request)
        now = time.time()
        windows, counts, found = throttling.count_anonymous(
            request, api_settings.DEFAULT_THROTTLE_CLASSES, [VERSION_KEY, key], now=now
        )
        over = throttling.passed_window(windows, counts)
        if over is not None:
            return _throttled_response(over.retry_after(now))
        version = found.get(VERSION_KEY) or data_version()
        setattr(request, etags.VERSION_ATTR, version)
        entry = found.get(key)
        if entry is not None and entry[0] != version:
            entry = None
        tags = etags.parse_if_none_match(request.headers.get("If-None-Match"))
        if tags:
            if etags.enabled():
                etag = etags.variant_etag(request, version, etags.ANONYMOUS)
                if etags.weak_match(tags, etag):
                    return self._replayed(etags.not_modified(etag), entry, only=("vary",))
            stored = dict((n.lower(), v) for n, v in entry[3]).get("etag") if entry else None
            if stored and (tags == ["*"] or etags.weak_match(tags, stored)):
                return self._replayed(etags.not_modified(stored), entry, only=("vary",))
        if entry is not None:
            _, status, content, _headers = entry
            response = self._replayed(HttpResponse(content, status=status), entry)
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(response):
            headers = [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in NOT_REPLAYED
            ]
            timeout = getattr(settings, "API_RESPONSE_CACHE_SECONDS", 300)
            cache.set(key, (version, response.status_code, response.content, headers), timeout)
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _replayed(response, entry, *, only=None):
        """The response with the headers stored with the answer (all, or `only` those)."""
        if entry is not None:
            for name, value in entry[3]:
                if only is None or name.lower() in only:
                    response[name] = value
        return response
