"""Settings for the test suite: the real settings with a throw-away secret key.

The database still comes from DATABASE_URL (scripts/test runs the suite on
PostGIS and on SpatiaLite).
"""
import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-a-secret")

from .settings import *  # noqa: F403

MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users in tests

# Throttles stay on but out of the way: the suite makes many requests from one
# address within a minute. tests/villages/test_throttles.py sets low rates itself.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min", "writes": "1000000/min"},
}

# --- Embedded database under test ----------------------------------------------
# SpatiaLite's test database is a file, not Django's shared in-memory database, so each
# thread of a live server opens its own connection and concurrent requests meet the same
# locking (WAL, IMMEDIATE transactions, busy timeout) as under gunicorn. One file per
# pytest process: two runs side by side do not share it.
if not IS_POSTGIS:  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"sog-test-{os.getpid()}.sqlite3"),
    }

# A log kind declared by a test app (tests/logkind_app): gets API, pages and review for free.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.logkind_app"]  # noqa: F405
