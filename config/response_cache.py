"""Anonymous API reads served from the shared cache, and dropped by any edit.

Why: a page of 100 links with both cities nested costs ~100 ms of serialisation
(DRF fields, ~8 URL reversals per row); the same answer is asked for again and
again by analysts' scripts, and the data changes rarely (staff edits, imports).

What is cached: GET/HEAD under /api/v1/, by anonymous clients (no session user,
no Authorization header), answered 200 with JSON and not streamed (exports are
streamed and never cached). The key holds the data version, the full URL with its
query string, the host and the Accept header, so content negotiation and absolute
URLs stay right. Outer middleware (security headers, CSP) still runs on a hit, and
so do the API's throttles, so a hit counts against the client's rate like a miss.

Invalidation: the data version is a token in the shared cache, replaced on every
post_save / post_delete / m2m_changed of a model of the `cities` or `partnerships`
apps (admin, API, shell) — once at once, for writes later in the same transaction,
and once more when the transaction commits, so a reader that raced the edit cannot
keep the old answer under the new token. Bulk writes send no signals: the importer
calls `bump_data_version()` itself; anything else that writes with
QuerySet.update()/bulk_create() must do the same. Entries also expire after
API_RESPONSE_CACHE_SECONDS.

On by default only when the cache is shared between processes (Redis): with the
per-process local-memory cache, one gunicorn worker could not tell another that the
data changed. Settings: API_RESPONSE_CACHE (bool), API_RESPONSE_CACHE_SECONDS.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, JsonResponse

VERSION_KEY = "api:data-version"
DATA_APPS = frozenset({"cities", "partnerships"})
PREFIX = "/api/v1/"
NEVER = ("/api/v1/docs/", "/api/v1/schema/")
MAX_BYTES = 2 * 1024 * 1024
KEPT_HEADERS = ("Content-Type", "Vary", "Allow", "Content-Language")


def shared_cache() -> bool:
    backend = settings.CACHES["default"]["BACKEND"]
    return "redis" in backend.lower() or "memcache" in backend.lower()


def enabled() -> bool:
    configured = getattr(settings, "API_RESPONSE_CACHE", None)
    return shared_cache() if configured is None else bool(configured)


def bump_data_version(**_kwargs) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:  # evicted or never set: start a new generation
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY) or version
    return version


def _data_changed(sender, **kwargs) -> None:
    if sender._meta.app_label not in DATA_APPS:
        return
    bump_data_version()
    transaction.on_commit(bump_data_version, using=kwargs.get("using"))


post_save.connect(_data_changed, dispatch_uid="api-response-cache-save")
post_delete.connect(_data_changed, dispatch_uid="api-response-cache-delete")
m2m_changed.connect(_data_changed, dispatch_uid="api-response-cache-m2m")


def _throttled(request):
    """Run the API's default throttles for a request answered from the cache."""
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    drf_request = Request(request)
    for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES:
        throttle = throttle_class()
        if not throttle.allow_request(drf_request, None):
            wait = throttle.wait()
            seconds = int(wait) + 1 if wait is not None else None
            response = JsonResponse(
                {
                    "detail": "Request was throttled."
                    + (f" Expected available in {seconds} seconds." if seconds else "")
                },
                status=429,
            )
            if seconds:
                response["Retry-After"] = str(seconds)
            return response
    return None


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
            and not request.user.is_authenticated
            and enabled()
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
                data_version(),
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
        key = self._key(request)
        hit = cache.get(key)
        if hit is not None:
            throttled = _throttled(request)
            if throttled is not None:
                return throttled
            status, content, headers = hit
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(response):
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            timeout = getattr(settings, "API_RESPONSE_CACHE_SECONDS", 300)
            cache.set(key, (response.status_code, response.content, headers), timeout)
            response["X-Cache"] = "miss"
        return response
