"""Settings for the Sound of Green platform, read from the environment.

Every setting that differs between a laptop and production comes from an
environment variable; see README.md ("Configuration") and .env.example.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SOG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable; anything unrecognised is an error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

# --- Secret key ---------------------------------------------------------------
# DJANGO_SECRET_KEY from the environment (production); otherwise the key file that
# scripts/run generated (var/secret_key, or under SOG_VAR_DIR), so that manage.py
# works after scripts/run without exporting anything.
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if DEBUG:
        # A throw-away key: sessions do not survive a restart, which is fine for debugging.
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is not set and there is no key file {SECRET_KEY_FILE}. "
            "scripts/run generates that file; in production set DJANGO_SECRET_KEY in the "
            "environment."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "axes",
    "villages",
    "tourism",
    "greenscore",
    "django_tasks",
    "django_tasks_db",
    "recordings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages, GeoJSON and tiles compressed for the client (zstd, Brotli or gzip, whichever it
    # takes); static files are not: whitenoise serves their precompressed copies itself.
    "compression_middleware.middleware.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The offline app's service worker asks for coordinator pages in each language.
    "greenscore.offline.views.ShellLanguageMiddleware",
    # Before anything reads the request: NUL or control characters are a 400 (villages/input_guard.py).
    "villages.input_guard.InputGuardMiddleware",
    # /tiles/ answered here: public, read-only tiles skip the rest (villages/tile_views.py).
    "villages.tile_views.TileMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"

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
                "backend.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# DATABASE_URL: postgis://user:pass@host:5432/name or spatialite:///path/file.sqlite3.
# Without it, an embedded SpatiaLite file under var/.
DEFAULT_DATABASE_URL = f"spatialite:///{VAR_DIR / 'sog.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
}
_ENGINE = DATABASES["default"]["ENGINE"]
if _ENGINE not in {
    "django.contrib.gis.db.backends.postgis",
    "django.contrib.gis.db.backends.spatialite",
}:
    raise ImproperlyConfigured(
        f"DATABASE_URL must use postgis:// or spatialite://, not the engine {_ENGINE}"
    )
IS_POSTGIS = _ENGINE.endswith("postgis")
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if IS_POSTGIS:
    # PostgreSQL's JIT compiles a query whose estimated cost is high; PostGIS functions carry
    # high costs, so even a 5 ms tile or layer query paid 100-600 ms of compiling
    # (bench/README.md, "PostgreSQL settings"). Off for this application's connections.
    # SOG_PG_JIT=on puts it back.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _jit = os.environ.get("SOG_PG_JIT", "off")
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit={_jit}".strip()
    # Keep a worker's connection for a minute instead of opening one per request (connecting
    # and PostGIS's type lookup cost more than a whole tile query); checked before reuse.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("SOG_DB_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if not IS_POSTGIS:
    # The embedded database under concurrent requests (gunicorn workers, live-server threads);
    # docs/architecture.md, "The embedded database and concurrent writes":
    # - WAL journal: readers never wait for the writer, nor the writer for readers.
    # - IMMEDIATE transactions: a transaction (every request is one, ATOMIC_REQUESTS) takes
    #   the write lock when it begins, so writers queue; a deferred one that read first could
    #   not upgrade to write after another writer committed, and failed "database is locked".
    # - timeout: seconds a transaction waits in that queue before giving up.
    _sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    _sqlite_options.setdefault("timeout", 20)
    _sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
    _sqlite_options.setdefault("init_command", "PRAGMA journal_mode=WAL")
    # GeoDjango's SpatiaLite backend, except that the timeout above survives loading
    # mod_spatialite (which resets it to 5 s): backend/spatialite/base.py.
    DATABASES["default"]["ENGINE"] = "backend.spatialite"
    # ...and GET/HEAD/OPTIONS requests read without taking the write lock (WAL lets them read
    # the last committed state while a writer works): backend/spatialite/middleware.py.
    MIDDLEWARE.insert(0, "backend.spatialite.middleware.ReadOnlyRequests")
SPATIALITE_LIBRARY_PATH = os.environ.get("SPATIALITE_LIBRARY_PATH", "mod_spatialite")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Accounts (roles: villages/roles.py) --------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"  # villages.views.landing asks villages/roles.py
LOGOUT_REDIRECT_URL = "home"
# Lock a username on one address out for an hour after 5 failed sign-ins (pages
# and the API token endpoint alike). Keyed by username and address together so
# one person's typos do not lock out a whole village sharing a phone network.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "villages.lockout.lockout_response"
# Behind N reverse proxies, the client's address is read from X-Forwarded-For
# (otherwise every sign-in would seem to come from the proxy).
_raw_proxy_count = os.environ.get("DJANGO_PROXY_COUNT", "0") or "0"
if not _raw_proxy_count.isdigit():
    raise ImproperlyConfigured(
        f"DJANGO_PROXY_COUNT must be a whole number, not {_raw_proxy_count!r}"
    )
_PROXY_COUNT = int(_raw_proxy_count)
if _PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = _PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# Password-reset mail: printed to the console unless configured.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Sound of Green <noreply@localhost>"
)

# --- Languages and time -----------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jayapura"  # WIT, UTC+9: Maluku's time zone
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --- Static and media files -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Serve uploaded media from Django itself (local runs). Behind a web server or
# object storage in production, switch it off.
SOG_SERVE_MEDIA = env_bool("SOG_SERVE_MEDIA", True)
WHITENOISE_USE_FINDERS = True
# Hashed names (a changed file gets a new URL), so whitenoise lets browsers keep them a year;
# each file also stored gzip- and Brotli-compressed. A name missing from the manifest (a file
# added without collectstatic) falls back to the plain name instead of an error.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "backend.static_storage.StaticStorage"},
}
# Source maps are for developers' tools: not worth compressing (and the slowest to).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "tbz",
    "xz",
    "br",
    "swf",
    "flv",
    "woff",
    "woff2",
    "3gp",
    "3gpp",
    "asf",
    "avi",
    "m4v",
    "mov",
    "mp4",
    "mpeg",
    "mpg",
    "webm",
    "wmv",
    "map",
)
# Files that must never have a public URL (recordings' originals): outside MEDIA_ROOT.
SOG_PRIVATE_MEDIA_ROOT = Path(os.environ.get("SOG_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Every upload is counted while it streams in; past this size it stops being read and the
# request is refused (recordings/uploads.py). Recordings allow up to 200 MB; photos check
# their own, smaller limit (SOG_MAX_UPLOAD_BYTES) after that.
SOG_MAX_REQUEST_UPLOAD_BYTES = 200 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "recordings.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Background jobs (Django's tasks API: django-tasks, django-tasks-db) ------------
# Jobs (processing recordings) are rows in the database; `manage.py db_worker` runs them
# (scripts/run starts one next to the web server; README "Background worker").
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Backup and restore (manage.py backup / restore, villages/backup.py) -----
# Where `manage.py backup` writes archives when no path is given.
SOG_BACKUP_DIR = Path(os.environ.get("SOG_BACKUP_DIR", VAR_DIR / "backups"))
# Folder of pg_dump / pg_restore / psql; empty: /usr/lib/postgresql/<server major>/bin, else PATH.
SOG_PG_BIN_DIR = os.environ.get("SOG_PG_BIN_DIR", "")

# --- Security (production-safe by default) ----------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- HTTPS in production: HSTS and the redirect to https:// -----------------------
# Off by default (a laptop serves plain http); README "Running on PostGIS (production)"
# turns them on. HSTS makes browsers refuse plain http for that many seconds.
_raw_hsts = (os.environ.get("DJANGO_HSTS_SECONDS", "0") or "0").strip()
if not _raw_hsts.isdigit():
    raise ImproperlyConfigured(f"DJANGO_HSTS_SECONDS must be a whole number, not {_raw_hsts!r}")
SECURE_HSTS_SECONDS = int(_raw_hsts)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", False)
# A load balancer's health probe may speak plain http to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Token first: an anonymous request to a protected endpoint gets 401 with
    # WWW-Authenticate: Token. Every API view accepts both (scorecards included).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sound of Green API",
    "DESCRIPTION": "Villages, music attractions, homestays, events, trails and impact of "
    "the Ambon Music Office's Sound of Green programme.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc assets from drf-spectacular-sidecar: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Recordings' kinds are not the other logs' kinds: each enum gets its own name.
    "ENUM_NAME_OVERRIDES": {"RecordingKindEnum": "recordings.models.Recording.Kind"},
}

# --- API throttles and the cache they count in (villages/throttles.py) --------
# Anonymous reads (per address) and every write (per user, or per address when
# anonymous) are throttled: 429 JSON with Retry-After. Rates like 600/min,
# 10/s, 5000/hour or 100000/day; an empty value switches that throttle off.
_THROTTLE_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def env_rate(name: str, default: str) -> str | None:
    raw = os.environ.get(name, default)
    value = raw.strip().replace(" ", "")
    if not value:
        return None
    if not _THROTTLE_RATE.match(value):
        raise ImproperlyConfigured(
            f"{name} must look like 600/min (a number, then /s, /min, /hour or /day), not {raw!r}"
        )
    return value


def cache_from_url(url: str) -> dict:
    """CACHES["default"] from SOG_CACHE_URL: empty or locmem:// (one process), redis://..."""
    url = (url or "").strip()
    if not url or url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sog"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        f"SOG_CACHE_URL must be empty, locmem:// or redis://host:port/db, not {url!r}"
    )


# The default local-memory cache counts per worker process (gunicorn with 4 workers
# lets through up to 4x the rate); SOG_CACHE_URL=redis://127.0.0.1:6379/0 shares the
# counts between workers.
CACHES = {"default": cache_from_url(os.environ.get("SOG_CACHE_URL", ""))}
# Built vector tiles, keyed by their ETag (villages/tile_views.py): the same backend, apart so
# tiles never push the data version or the throttle counts out of a local-memory cache.
CACHES["tiles"] = {**CACHES["default"], "KEY_PREFIX": "tiles"}
if CACHES["tiles"]["BACKEND"].endswith("LocMemCache"):
    CACHES["tiles"].update(LOCATION="sog-tiles", OPTIONS={"MAX_ENTRIES": 2000})
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "villages.throttles.AnonReadThrottle",
    "villages.throttles.WriteThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": env_rate("SOG_THROTTLE_ANON", "600/min"),
    "writes": env_rate("SOG_THROTTLE_WRITES", "120/min"),
}
# The client's address as django-axes reads it: REMOTE_ADDR, or X-Forwarded-For
# behind DJANGO_PROXY_COUNT proxies (0, not None: a client-sent X-Forwarded-For
# must not choose its own throttle bucket).
REST_FRAMEWORK["NUM_PROXIES"] = _PROXY_COUNT

# --- Hostile input (villages/input_guard.py) ----------------------------------
# Every body the API parses goes through the same guard as the middleware: a NUL,
# a control character or an unpaired surrogate in any JSON string or form field
# is a 400 naming the field.
# The schema also lists each operation's error answers (villages/openapi.py).
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "villages.openapi.AutoSchema"
# An unknown ?format= is a 400 naming it, like any other bad parameter.
REST_FRAMEWORK["DEFAULT_CONTENT_NEGOTIATION_CLASS"] = "villages.input_guard.FormatNegotiation"
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "villages.input_guard.GuardedJSONParser",
    "villages.input_guard.GuardedFormParser",
    "villages.input_guard.GuardedMultiPartParser",
]

# --- Map ---------------------------------------------------------------------
# The only network resource a page may use: the tile server. Empty disables tiles;
# shapes and markers are drawn without them.
SOG_TILE_URL = os.environ.get("SOG_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
SOG_TILE_ATTRIBUTION = os.environ.get("SOG_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")
# The offline app (greenscore/offline/views.py): how many map tiles a device keeps, and
# whether it may prefetch a village's tiles at zooms 13-17 (only from a tile server whose
# policy allows bulk downloads; never tile.openstreetmap.org, whatever this says).
SOG_TILE_CACHE_MAX = int(os.environ.get("SOG_TILE_CACHE_MAX", "600"))
SOG_TILE_PREFETCH = env_bool("SOG_TILE_PREFETCH", False)
LEAFLET_CONFIG = {
    # Leaflet takes (lat, lon); GEOS takes (lon, lat). Kota Ambon:
    "DEFAULT_CENTER": (-3.69, 128.19),
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    # crossOrigin: tiles fetched with CORS, so the offline app's service worker can keep the
    # ones a coordinator has seen (an opaque response would weigh megabytes in the quota).
    "TILES": [
        (
            "OpenStreetMap",
            SOG_TILE_URL,
            {"attribution": SOG_TILE_ATTRIBUTION, "maxZoom": 19, "crossOrigin": "anonymous"},
        )
    ]
    if SOG_TILE_URL
    else [],
    "RESET_VIEW": False,
    "NO_GLOBALS": True,
}

# --- Content-Security-Policy (django-csp; backend/content_policy.py) ---------------
# Only the site's own scripts and styles (no inline code but django-leaflet's start-up
# script, which carries the response's nonce); images also from the tile server.
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
from backend.content_policy import policy as _csp_policy  # noqa: E402

CONTENT_SECURITY_POLICY = _csp_policy(tile_url=SOG_TILE_URL)

# --- Operations: request log, Sentry (backend/observability.py), /healthz -------------
# One line per request ("GET /path 200 12.3ms") on stdout, first in the middleware so
# the duration covers everything; warnings and errors on stderr as before.
MIDDLEWARE.insert(0, "backend.observability.RequestLogMiddleware")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "sog.requests": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
# Unhandled errors go to Sentry only when SENTRY_DSN is set; without it, nowhere but the log.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    from backend.observability import init_sentry  # noqa: E402

    init_sentry(dsn=SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT") or None)

# gis.W001 warns that GDAL < 3.9 cannot block file and network access from a
# spatial reference string. The platform never hands user-supplied spatial
# reference text to GDAL: the API takes EPSG codes from an allow-list
# (villages.geo) and GeoJSON is always WGS84. Only the operator's
# import_boundaries command reads a file's own CRS.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
