"""Settings for the test suite: the real settings with a throw-away secret key.

The database still comes from DATABASE_URL (scripts/test runs the suite on
PostGIS and on SpatiaLite).
"""
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-a-secret")

from .settings import *  # noqa: E402,F403

MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users in tests

# Throttles stay on but out of the way: the suite makes many requests from one
# address within a minute. tests/villages/test_throttles.py sets low rates itself.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min", "writes": "1000000/min"},
}
