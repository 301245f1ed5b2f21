"""GET /healthz: can this instance serve? Database(s), cache and media folder, as JSON.

200 when every part answers, 503 naming the part that does not. Public (it says
nothing secret: the reason for a failure goes to the log, not to the answer),
never cached, outside the API and so outside its throttles, and outside
ATOMIC_REQUESTS: opening the request's transaction would itself fail when the
database is down.
"""

from __future__ import annotations

import logging
import os
import uuid
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("sog.health")

OK = "ok"


def _version() -> str:
    try:
        return metadata.version("sound-of-green")
    except metadata.PackageNotFoundError:
        return "unknown"


def _database() -> str:
    failed = []
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:  # any failure to connect or query means "not available"
            logger.warning("health: database %r is unavailable", alias, exc_info=True)
            failed.append(alias)
    return OK if not failed else "unavailable"


def _cache() -> str:
    key, value = f"sog:healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception:
        logger.warning("health: the cache is unavailable", exc_info=True)
        return "unavailable"
    return OK if ok else "unavailable"


def _media() -> str:
    """Uploads can be written: MEDIA_ROOT is a writable folder, or can be created as one."""
    if not isinstance(default_storage, FileSystemStorage):
        return "not checked"  # object storage: its own monitoring
    path = Path(settings.MEDIA_ROOT)
    while not path.exists() and path.parent != path:
        path = path.parent
    if path.is_dir() and os.access(path, os.W_OK | os.X_OK):
        return OK
    logger.warning("health: media folder %s is not writable", settings.MEDIA_ROOT)
    return "not writable"


@transaction.non_atomic_requests
@never_cache
@require_safe
def healthz(request):
    parts = {"database": _database(), "cache": _cache(), "media": _media()}
    healthy = all(value in (OK, "not checked") for value in parts.values())
    body = {"status": OK if healthy else "unavailable", **parts, "version": _version()}
    return JsonResponse(body, status=200 if healthy else 503)
