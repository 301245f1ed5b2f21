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

# Static files under test: plain names, found by the finders (the live server's static handler
# serves from them), so a test never depends on when collectstatic last ran. Production's
# hashed, precompressed storage (settings.STORAGES) is checked in tests/backend/test_static.py.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Recordings: originals in their own throw-away folder; jobs run in the request that
# enqueues them (tests/recordings/test_worker.py runs the database backend and its worker).
SOG_PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# A log kind declared by a test app (tests/logkind_app): gets API, pages and review for free.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.logkind_app"]  # noqa: F405
