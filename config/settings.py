"""Settings for the city-partnerships service.

Everything that differs between a laptop and production comes from environment
variables, read by the small helpers below. A bad value stops the process at
start with a message naming the variable, rather than surfacing later as an
odd error deep inside a request.
"""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

import os  # noqa: E402

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}.") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number; got {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(name: str, default: str) -> dict:
    """Parse DATABASE_URL: sqlite:///path/to/file.sqlite3 or postgres://user:pw@host:port/db."""
    url = os.environ.get(name) or default
    parsed = urlparse(url)
    options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        # sqlite:///relative.db has path "/relative.db"; sqlite:////abs.db has "//abs.db".
        if path.startswith("//"):
            path = path[1:]
        elif path.startswith("/"):
            path = str(BASE_DIR / path[1:])
        if not path or path == str(BASE_DIR / ""):
            raise ImproperlyConfigured(f"{name} names no SQLite file: {url!r}.")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            # IMMEDIATE: a transaction takes the write lock when it begins, so two
            # read-modify-write transactions (two PATCHes) queue rather than both
            # reading the old row, and the second never fails with "database is
            # locked" on its upgrade from reader to writer.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            "TEST": {"NAME": None},
        }
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        db_name = unquote(parsed.path.lstrip("/"))
        if not db_name:
            raise ImproperlyConfigured(f"{name} names no database: {url!r}.")
        try:
            port = parsed.port
        except ValueError:
            raise ImproperlyConfigured(f"{name} has an invalid port: {url!r}.") from None
        db = {
            # Django's, with a health check that skips the round trip on a quiet socket.
            "ENGINE": "common.db.postgresql",
            "NAME": db_name,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(port or ""),
            # Persistent connections, checked before reuse so a restarted server
            # does not hand a dead socket to the next request.
            "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {"connect_timeout": int(options.pop("connect_timeout", 5)), **options},
        }
        return db
    raise ImproperlyConfigured(f"{name} must start with sqlite:/// or postgres://; got {url!r}.")


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-0123456789abcdefghijklmnop"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must not be the development key when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "config.admin.AdminConfig",  # django.contrib.admin, content models listed first
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_countries",
    "axes",
    "cities",
    "partnerships",
    "public",
    "ops",
    "changes",
    "suggestions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, its headers made once for responses that change nothing in them.
    "config.middleware.CSPMiddleware",
    # Before anything reads the body or the database: oversized bodies and search
    # terms are refused up front; a database that is down becomes a fast 503.
    "config.middleware.RequestLimitsMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous API reads answered from the shared cache, before the session and
    # auth middleware (a hit needs neither); any edit drops them.
    "api.response_cache.ApiResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language from its URL (/zh-hans/..., /he/...; English unprefixed).
    # Addresses outside i18n_patterns (admin, API) stay English.
    "django.middleware.locale.LocaleMiddleware",
    # A first visit to an English address from a reader whose browser prefers
    # Chinese or Hebrew is sent to that language's address, once.
    "public.middleware.FirstVisitLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, but not set up for /api/ requests, which never use messages.
    "api.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lock-out response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Default database engine is SQLite, so that a fresh checkout runs with no server.
DATABASES = {"default": database_from_url("DATABASE_URL", "sqlite:///db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Seed data (`loaddata seed`) lives in the project's fixtures/, not inside an app.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lock-out (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused for AXES_COOLOFF_TIME hours, even
# with the right password. Counted in the database, so it holds across workers.
AUTHENTICATION_BACKENDS = [
    "config.auth_backends.RequestAwareAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# NUM_PROXIES: how many reverse proxies of our own stand in front of the app (0 by
# default: clients connect directly). Only then are X-Forwarded-For (the client's
# address, for the throttles and the login lock-out) and X-Forwarded-Proto (https)
# believed; with 0 a client could send any address or scheme it likes.
NUM_PROXIES = env_int("NUM_PROXIES", 0)
if NUM_PROXIES < 0:
    raise ImproperlyConfigured("NUM_PROXIES must be 0 or more.")
# The lock-out's client address, by the same rule as the throttles.
AXES_CLIENT_IP_CALLABLE = "config.proxies.client_address"
AXES_LOCKOUT_TEMPLATE = None
AXES_VERBOSE = False

# Staff sessions end after a working day rather than Django's two weeks.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60)

# Request bodies: a record is a few kilobytes; anything near a megabyte is not one.
# config.middleware.RequestLimitsMiddleware enforces it for JSON bodies as well,
# which Django's own check does not see when DRF streams the body to its parser.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Search terms (?search= / ?q=) longer than this are a 400, on the API and the pages.
SEARCH_MAX_LENGTH = env_int("SEARCH_MAX_LENGTH", 200)
# Seconds a client is told to wait (Retry-After) when the database is unreachable.
DATABASE_RETRY_AFTER = env_int("DATABASE_RETRY_AFTER", 5)

# The public pages' languages (README: "Languages" says how to add one). English is
# the default and is served unprefixed (/cities/...); the others under their code
# (/zh-hans/cities/..., /he/cities/...). The admin and the API stay English.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("he", "עברית"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The reader's choice (or the first visit's Accept-Language) lives a year.
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
# config/formats/en: English dates read "13 April 2018", as the site always wrote them.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where `collectstatic` writes (and, with DEBUG off, whence pages read the manifest
# of) the static files; `check --deploy` fails while it has not run (ops/checks.py).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # common.cache: short timeouts, and Redis errors answered as cache misses (the
    # site keeps working without its cache; throttles then fail open, see there).
    CACHES = {
        "default": {
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "twinning"),
            "OPTIONS": {
                "socket_connect_timeout": env_float("REDIS_CONNECT_TIMEOUT", 0.25),
                "socket_timeout": env_float("REDIS_TIMEOUT", 0.5),
                "RETRY_AFTER": env_float("REDIS_RETRY_AFTER", 1.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Cache anonymous API answers (api/response_cache.py). On by default only with a
# shared cache: per-process memory could not tell other workers the data changed.
API_RESPONSE_CACHE = env_bool("API_RESPONSE_CACHE", bool(REDIS_URL))
API_RESPONSE_CACHE_SECONDS = env_int("API_RESPONSE_CACHE_SECONDS", 300)
# ETags from the data version on API lists, exports, facets and stats (api/etags.py);
# on by default only with a shared cache, for the same reason.
API_ETAGS = env_bool("API_ETAGS", bool(REDIS_URL))
# Plain anonymous JSON reads of a country's links and a city's partners answered
# before DRF's request cycle, same bytes and headers (api/lean.py).
API_LEAN_READS = env_bool("API_LEAN_READS", True)
# Those reads' statements prepared once per PostgreSQL session (api/prepared.py);
# off behind a pooler in transaction mode (PgBouncer), which changes sessions.
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)
# On PostgreSQL those reads' records written as JSON text by the database itself
# (api/sqljson.py), the same bytes as the Python record makers.
API_SQL_JSON = env_bool("API_SQL_JSON", True)
# /api/v1/changes/ lists a change this long after it was made, so a transaction
# slower than this cannot commit a change behind a cursor a client already holds.
CHANGES_API_SETTLE_SECONDS = env_int("CHANGES_API_SETTLE_SECONDS", 60)
# Reader suggestions accepted from one address (REMOTE_ADDR) per hour.
SUGGESTIONS_PER_HOUR = env_int("SUGGESTIONS_PER_HOUR", 10)

REST_FRAMEWORK = {
    # Token first: DRF answers an anonymous write with the first class's
    # WWW-Authenticate header, so this order gives 401 (not 403) to anonymous writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"
    ],
    # JSON nested deeper than a record ever is is a 400 (api/parsers.py), not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
    ],
    # drf-spectacular's AutoSchema, plus ETag / If-Match / 304 / 412 on detail routes,
    # the error responses every operation can give, and anonymous reads.
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    # One counter per client and window in the shared cache (api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonWindowThrottle",
        "api.throttling.UserWindowThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("THROTTLE_ANON", "600/minute"),
        "user": env_str("THROTTLE_USER", "3000/minute"),
    },
    # The throttles' client address: X-Forwarded-For is read only behind NUM_PROXIES
    # proxies (its last NUM_PROXIES entries, the ones our proxies added); without a
    # proxy the connection's own address (REMOTE_ADDR), whatever the header says.
    "NUM_PROXIES": NUM_PROXIES,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "City partnerships API",
    "DESCRIPTION": "Twin-city links, liaison offices, officials, events and their sources.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Request bodies are documented as JSON, the API's format. The parsers for HTML
    # forms stay on for the browsable API's own forms, where an empty field is no value
    # (a null date): form semantics the JSON schema of a body cannot say.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Request bodies refuse unknown fields (api.schema.refuse_unknown_body_fields).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.refuse_unknown_body_fields",
    ],
    # Several models have a "kind" and a "status"; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "PartnershipKindEnum": "partnerships.choices.PartnershipKind",
        "PartnershipStatusEnum": "partnerships.choices.PartnershipStatus",
        "LiaisonOfficeStatusEnum": "partnerships.choices.LiaisonOfficeStatus",
        "EventKindEnum": "partnerships.choices.EventKind",
        "OrganizationKindEnum": "partnerships.choices.OrganizationKind",
    },
}

# The public map's tile server; markers and lines draw even when it is unreachable.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")

LOGIN_URL = "admin:login"
# Where signing in lands when ?next= is missing or refused (an address on another
# site): the admin's index, not Django's default /accounts/profile/ (a 404 here).
LOGIN_REDIRECT_URL = "admin:index"

# Kosovo has no ISO 3166-1 code; XK is the user-assigned code the EU, the IMF and
# Wikidata-derived data use for it. The twin-city import keeps Kosovo's cities
# under XK rather than filing them under another country (see import_twin_cities).
COUNTRIES_OVERRIDE = {"XK": "Kosovo"}


def _origin_of(url: str) -> str:
    """The scheme://host[:port] of a tile URL; a {s} subdomain becomes a wildcard."""
    parsed = urlparse(url)
    host = parsed.netloc.replace("{s}.", "*.")
    return f"{parsed.scheme}://{host}" if parsed.scheme and host else ""


# Content Security Policy (django-csp 4). Scripts only from this site: the public
# pages pass data to their scripts with json_script (inert JSON, not script), the
# admin has no inline script, and the API docs load Swagger UI from
# drf-spectacular-sidecar's static files. A view that truly needs an inline script
# gives it the request's nonce ({{ request.csp_nonce }}). Inline *styles* stay
# allowed: the admin's widgets and Swagger UI set style attributes, and a style
# cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *filter(None, [_origin_of(MAP_TILE_URL)])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Believed only from a proxy of our own (NUM_PROXIES > 0), which must set (not
    # pass on) the header: a client talking to the app directly cannot claim https.
    if NUM_PROXIES:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
