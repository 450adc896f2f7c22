"""Anonymous API reads served from the shared cache, and dropped by any edit.

Why: a page of 100 links with both cities nested costs tens of milliseconds of
serialisation (DRF fields, nested cities and sources); the same answer is asked for again and
again by analysts' scripts, and the data changes rarely (staff edits, imports).

What is cached: GET/HEAD under /api/v1/, by anonymous clients (no session cookie,
no Authorization header, no conditional header), answered 200 with JSON and not
streamed (exports are streamed and never cached). The key is the full URL with its
query string, the host and the Accept header, so content negotiation and absolute
URLs stay right; the answer is stored with the data version it was made under and
served only while that version is current. The middleware sits before the session
and auth middleware, so a hit skips them and the view; it replays the headers the
inner middleware set on the original answer, the outer middleware (security
headers, CSP) runs as usual, and the API's throttles run too, so a hit counts
against the client's rate. A hit costs two round trips to the cache.

Invalidation: each answer is stored with the data version it was made under
(`common.data_version`, replaced by every edit of the data apps from any process
that ran `django.setup()`, and by the import and `restore`), and served only while
that version is current. Entries also expire after API_RESPONSE_CACHE_SECONDS.

On by default only when the cache is shared between processes (Redis): with the
per-process local-memory cache, one gunicorn worker could not tell another that the
data changed. Settings: API_RESPONSE_CACHE (bool), API_RESPONSE_CACHE_SECONDS.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse

from common.data_version import VERSION_KEY, data_version, shared_cache, version_trustworthy

PREFIX = "/api/v1/"
NEVER = ("/api/v1/docs/", "/api/v1/schema/")
MAX_BYTES = 2 * 1024 * 1024
CONDITIONAL = ("if-none-match", "if-modified-since", "if-match", "if-unmodified-since")
NOT_REPLAYED = frozenset({"set-cookie", "content-length", "x-cache"})


def enabled() -> bool:
    configured = getattr(settings, "API_RESPONSE_CACHE", None)
    return shared_cache() if configured is None else bool(configured)


class _Prefetched:
    """A stand-in for the cache inside DRF's throttles: reads come from one batch
    fetched with the response, writes are collected and sent in one batch after."""

    def __init__(self, values: dict):
        self.values = values
        self.writes: dict[int, dict] = {}

    def get(self, key, default=None):
        return self.values.get(key, default)

    def set(self, key, value, timeout):
        self.writes.setdefault(timeout, {})[key] = value


class _AnonymousRequest:
    """What DRF's throttles read of a request: its address and an anonymous user."""

    def __init__(self, request):
        self.META = request.META
        self.headers = request.headers
        self.user = AnonymousUser()


def _throttles():
    from rest_framework.settings import api_settings

    return [throttle_class() for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES]


def _throttled_response(throttle) -> JsonResponse:
    wait = throttle.wait()
    seconds = int(wait) + 1 if wait is not None else None
    detail = "Request was throttled."
    if seconds:
        detail += f" Expected available in {seconds} seconds."
    response = JsonResponse({"detail": detail}, status=429)
    if seconds:
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
            # Conditional reads (ETag, 304) are the API's own business.
            and not any(name in request.headers for name in CONDITIONAL)
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
        # One round trip for the data version, the answer (stored with the version it
        # was made under) and the throttles' histories; one more to update those.
        key = self._key(request)
        throttles = _throttles()
        who = _AnonymousRequest(request)
        throttle_keys = [t.get_cache_key(who, None) for t in throttles if t.rate is not None]
        found = cache.get_many([VERSION_KEY, key, *filter(None, throttle_keys)])
        version = found.get(VERSION_KEY) or data_version()
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            prefetched = _Prefetched(found)
            try:
                for throttle in throttles:
                    throttle.cache = prefetched
                    if not throttle.allow_request(who, None):
                        return _throttled_response(throttle)
            finally:
                for timeout, values in prefetched.writes.items():
                    cache.set_many(values, timeout)
            _, status, content, headers = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
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
