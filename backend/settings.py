"""Settings for the Sound of Green platform, read from the environment.

Every setting that differs between a laptop and production comes from an
environment variable; see README.md ("Configuration") and .env.example.
"""
from __future__ import annotations

import os
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

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        # A throw-away key: sessions do not survive a restart, which is fine for debugging.
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. scripts/run generates one under var/; "
            "in production set it in the environment."
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
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "axes",
    "villages",
    "tourism",
    "greenscore",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
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
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)}
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
if not IS_POSTGIS:
    # Wait for a writer instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
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
LOGIN_REDIRECT_URL = "coordinator:home"
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
    raise ImproperlyConfigured(f"DJANGO_PROXY_COUNT must be a whole number, not {_raw_proxy_count!r}")
_PROXY_COUNT = int(_raw_proxy_count)
if _PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = _PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# Password-reset mail: printed to the console unless configured.
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Sound of Green <noreply@localhost>")

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

# --- API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
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
}

# --- Map ---------------------------------------------------------------------
# The only network resource a page may use: the tile server. Empty disables tiles;
# shapes and markers are drawn without them.
SOG_TILE_URL = os.environ.get("SOG_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
SOG_TILE_ATTRIBUTION = os.environ.get(
    "SOG_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors"
)
LEAFLET_CONFIG = {
    # Leaflet takes (lat, lon); GEOS takes (lon, lat). Kota Ambon:
    "DEFAULT_CENTER": (-3.69, 128.19),
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    "TILES": [("OpenStreetMap", SOG_TILE_URL, {"attribution": SOG_TILE_ATTRIBUTION, "maxZoom": 19})]
    if SOG_TILE_URL
    else [],
    "RESET_VIEW": False,
    "NO_GLOBALS": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# gis.W001 warns that GDAL < 3.9 cannot block file and network access from a
# spatial reference string. The platform never hands user-supplied spatial
# reference text to GDAL: the API takes EPSG codes from an allow-list
# (villages.geo) and GeoJSON is always WGS84. Only the operator's
# import_boundaries command reads a file's own CRS.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
