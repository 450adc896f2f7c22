"""Request-wide guards that every route shares.

- `DatabaseUnavailableMiddleware`: when PostgreSQL is down or restarting, a request
  gets a fast 503 with Retry-After (JSON for API clients, a small page for people)
  instead of a 500 or a hang. Connecting gives up after `connect_timeout` (5 s, set
  in settings), and CONN_HEALTH_CHECKS drops the dead connection afterwards, so the
  next request after the database returns simply works again.
- `CSPMiddleware`: django-csp's, the headers of a response without a nonce or a
  view's own policy made once per process.
- `RequestLimitsMiddleware`: refuses oversized bodies (413), bodies without a
  Content-Length (411) and overlong search terms (400) before any view, parser or
  query sees them.
"""

import io
import logging
import sys

import csp.middleware
from csp import constants as csp_constants
from django.conf import settings
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.html import escape
from django.views import defaults

logger = logging.getLogger(__name__)

# What a database that is down, restarting or unreachable raises. IntegrityError and
# DataError are the request's own fault and keep their usual handling.
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)

SEARCH_PARAMETERS = ("search", "q")

_FALLBACK_503 = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Temporarily unavailable</title>"
    "<h1>Temporarily unavailable</h1><p>The database cannot be reached. "
    "Please try again in a few seconds.</p></html>"
)


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def _error(request, status: int, message: str, field: str | None = None) -> HttpResponse:
    """A JSON or HTML error in the API's shape ({"detail": ...} or {field: [...]})."""
    if wants_json(request):
        body = {field: [message]} if field else {"detail": message}
        return JsonResponse(body, status=status)
    return HttpResponse(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Request refused</title>"
        f"<h1>Request refused</h1><p>{escape(message)}</p></html>",
        status=status,
        content_type="text/html; charset=utf-8",
    )


def service_unavailable(request) -> HttpResponse:
    """The 503 response. Renders without the request so nothing touches the database
    (no context processors, no session, no user)."""
    retry_after = settings.DATABASE_RETRY_AFTER
    if wants_json(request):
        response = JsonResponse(
            {"detail": "The database is temporarily unavailable. Please retry shortly."},
            status=503,
        )
    else:
        try:
            body = loader.get_template("503.html").render({"retry_after": retry_after})
        except Exception:  # a missing or broken template must not turn a 503 into a 500
            body = _FALLBACK_503
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database-down error raised by a view into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN_ERRORS):
            logger.warning(
                "Database unavailable for %s %s: %s", request.method, request.path, exception
            )
            return service_unavailable(request)
        return None


def server_error(request, *args, **kwargs):
    """handler500: errors raised outside views (a middleware saving the session, say)
    arrive here; if the database is the cause, answer 503 like the middleware does."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_DOWN_ERRORS):
        return service_unavailable(request)
    if wants_json(request):
        return JsonResponse({"detail": "Internal server error."}, status=500)
    return defaults.server_error(request, *args, **kwargs)


def page_not_found(request, exception, *args, **kwargs):
    """handler404: JSON for API clients, the site's 404 page for people."""
    if wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception, *args, **kwargs)


class RequestLimitsMiddleware:
    """Caps request bodies at DATA_UPLOAD_MAX_MEMORY_SIZE and search terms at
    SEARCH_MAX_LENGTH characters.

    Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only when something reads
    `request.body` or `request.POST`; DRF's JSON parser reads the stream and
    bypasses it. Checking Content-Length here covers every parser. A body
    without Content-Length (chunked) would be read by Django as empty: it is a 411.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = (
            self.refuse_body(request) or self.refuse_nul(request) or self.refuse_search(request)
        )
        return refusal or self.get_response(request)

    def refuse_body(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.META.get("HTTP_TRANSFER_ENCODING") and not request.META.get("CONTENT_LENGTH"):
            # Django reads a body without Content-Length as empty: a chunked PATCH
            # would be answered as if nothing had been sent. A server that decodes
            # the chunks and ends the stream (granian, gunicorn: wsgi.input_terminated) lets
            # us read it whole; under any other, ask for the length.
            if request.META.get("wsgi.input_terminated"):
                return self.read_terminated_body(request, limit)
            return _error(
                request,
                411,
                "A request body must be sent with Content-Length (chunked transfer "
                "encoding is not accepted).",
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _error(request, 400, "Content-Length is not a number.")
        if limit is not None and length > limit:
            return _error(
                request, 413, f"Request body too large: {length} bytes; the limit is {limit}."
            )
        return None

    @staticmethod
    def read_terminated_body(request, limit):
        """Read a chunked body the server has decoded, up to `limit` bytes (413 past
        it), and hand it on as a body of that Content-Length."""
        stream = request.META["wsgi.input"]
        cap = limit if limit is not None else 2**31
        body = stream.read(cap + 1)
        if len(body) > cap:
            return _error(request, 413, f"Request body too large: the limit is {limit} bytes.")
        request._stream = io.BytesIO(body)
        request._read_started = False
        request.META["CONTENT_LENGTH"] = str(len(body))
        return None

    def refuse_nul(self, request):
        # No name, code or term holds a NUL character, and PostgreSQL cannot compare
        # a text with one (it raised ValueError: admin ?kind=%00 was a 500).
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return _error(
                    request, 400, "Query parameters must not contain NUL characters.", field=name
                )
        return None

    def refuse_search(self, request):
        limit = settings.SEARCH_MAX_LENGTH
        for name in SEARCH_PARAMETERS:
            for term in request.GET.getlist(name):
                if len(term) > limit:
                    return _error(
                        request,
                        400,
                        f"Ensure this value has at most {limit} characters (it has {len(term)}).",
                        field=name,
                    )
        return None


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the headers of a plain response made once.

    django-csp builds the policy again for every response (a deep copy of the
    settings' directives, then the header text), though a response that asks for no
    nonce and that no view decorated with its own policy always gets the same
    headers. Those are made by django-csp itself, for the first such response, and
    kept per process by whether the path is excluded from either policy; any other
    response (a nonce asked for, a view's own policy, a header set already, a debug
    page) is left to django-csp as it is. Forgotten when the settings change.
    """

    _OWN_POLICY = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt",
        "_csp_exempt_ro",
    )
    _made: dict = {}

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self._OWN_POLICY)
            or csp_constants.HEADER in response
            or csp_constants.HEADER_REPORT_ONLY in response
            or settings.DEBUG
        ):
            return super().process_response(request, response)
        path = request.path_info
        key = tuple(
            path.startswith(
                tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
            )
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        )
        made = self._made.get(key)
        if made is None:
            response = super().process_response(request, response)
            made = self._made[key] = tuple(
                (header, response[header])
                for header in (csp_constants.HEADER, csp_constants.HEADER_REPORT_ONLY)
                if header in response
            )
            return response
        for header, value in made:
            response[header] = value
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


@receiver(setting_changed)
def _forget_csp_headers(setting, **kwargs):
    CSPMiddleware._made.clear()
