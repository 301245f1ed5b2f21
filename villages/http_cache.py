"""HTTP caching of public data: an ETag that changes when the data does, and Cache-Control.

Every save or delete of a model in the data apps (villages, tourism, greenscore, recordings) replaces a
data version kept in the cache (`bump`). A public layer's ETag is made from that version, the
full request path and the language, so a browser or a proxy revalidates cheaply (304) and
never keeps a layer past a change. Writes that send no signals (QuerySet.update, bulk_create)
must call `bump()` themselves. With several worker processes the cache must be shared
(SOG_CACHE_URL=redis://...), or each process keeps its own version.
"""

from __future__ import annotations

import functools
import hashlib
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import get_language

VERSION_KEY = "sog:data-version"
DATA_APPS = frozenset({"villages", "tourism", "greenscore", "recordings"})
# Rows that change what no public layer shows (sign-in records, audit): no bump.
IGNORED_MODELS = frozenset({"villages.auditentry", "villages.datasetload"})


def data_version() -> str:
    """The current data version (a fresh random one after the cache was emptied)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex[:12]
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump(**_kwargs) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex[:12], timeout=None)


def on_model_change(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in DATA_APPS or meta.label_lower in IGNORED_MODELS:
        return
    # At once, and again when the transaction commits: a reader that built something from the
    # old rows inside the window caches it under a version that is already gone.
    bump()
    transaction.on_commit(bump, robust=True)


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(on_model_change, dispatch_uid=f"sog-data-version-{id(signal)}")


def etag_for(request, scope: str, *, time_bucket: int | None = None, language: bool = True) -> str:
    parts = [data_version(), scope, request.get_full_path()]
    if language:  # a response holding translated text
        parts.append(get_language() or "")
    if time_bucket:
        # Layers that depend on the clock (events not over yet) change without a write.
        parts.append(str(int(time.time() // time_bucket)))
    return quote_etag(hashlib.blake2b("\n".join(parts).encode(), digest_size=12).hexdigest())


def conditional_public(scope: str, *, max_age: int, time_bucket: int | None = None):
    """Decorate a view of public data: ETag + Cache-Control, 304 when the client's copy is current.

    Only for data every visitor sees alike (anonymous reads): the response is `public`.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            etag = etag_for(request, scope, time_bucket=time_bucket)
            if etag in _if_none_match(request):
                from django.http import HttpResponseNotModified

                response = HttpResponseNotModified()
            else:
                response = view(request, *args, **kwargs)
                if response.status_code not in (200, 204):
                    return response
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=max_age)
            patch_vary_headers(response, ["Accept-Language", "Cookie"])
            return response

        return wrapped

    return decorator


def _if_none_match(request) -> set[str]:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}
