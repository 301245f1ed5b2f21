"""The HTTP side of vector tiles: one view per layer, 204 for an empty tile, 400 for a bad one.

Tiles are public data, the same for every visitor and language:
- an ETag made from the data version (villages/http_cache.py), the layer and the full path
  (no language: a tile holds no translated text), and a Cache-Control max-age, so a browser or
  proxy revalidates with a 304;
- the built bytes kept in the `tiles` cache under that ETag, so a tile asked again (by anyone)
  costs no query until the data version changes (every save of the data apps bumps it);
- `TileMiddleware` answers /tiles/ straight after the input guard and the language: the session,
  CSRF, authentication, messages and django-axes middleware and the per-request transaction
  (ATOMIC_REQUESTS) do nothing for a public read-only tile and cost more than a small tile's
  query. The security headers (SecurityMiddleware, CSP, X-Frame-Options) and compression
  still wrap it.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.urls import Resolver404, re_path, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers

from . import http_cache, tiles

TILE_MAX_AGE = 300  # seconds; the ETag makes a stale tile cheap to re-check
CACHE_MAX_BYTES = 512_000  # larger tiles are built each time (none should be: goal < 500 KB)
EMPTY = b"\x00"  # marks a cached empty tile (204); a real tile is never one byte


def tile_cache():
    return caches["tiles"] if "tiles" in settings.CACHES else caches["default"]


def _problem(field: str, message: str) -> JsonResponse:
    return JsonResponse({field: [message]}, status=400)


def tile_view(layer: tiles.TileLayer):
    scope = f"tiles:{layer.name}"

    @transaction.non_atomic_requests
    def view(request, z, x, y):
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        try:
            z, x, y = int(z), int(x), int(y)
            tiles.check_tile(z, x, y)
        except tiles.TileOutOfRange as problem:
            return _problem("tile", str(problem))
        bucket = layer.time_bucket or None
        etag = http_cache.etag_for(request, scope, language=False, time_bucket=bucket)
        if etag in http_cache._if_none_match(request):
            response = HttpResponseNotModified()
        else:
            cache = tile_cache()
            key = f"sog:tile:{etag}"
            body = cache.get(key)
            if body is None:
                query = request.META.get("QUERY_STRING", "")
                params = _params_for(layer, query, request.GET)
                if isinstance(params, HttpResponse):
                    return params
                # The SQL made for this layer, zoom and query is kept (villages/tiles.py).
                sql_key = (query, http_cache.data_version(), _clock(bucket))
                body = tiles.build_tile(layer, params, z, x, y, key=sql_key) or EMPTY
                if len(body) <= CACHE_MAX_BYTES:
                    cache.set(key, body, timeout=None)
            if body == EMPTY:
                response = HttpResponse(status=204)
            else:
                response = HttpResponse(body, content_type=tiles.MVT_CONTENT_TYPE)
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=TILE_MAX_AGE)
        patch_vary_headers(response, ["Accept-Language"])  # a 400's message is translated
        return response

    view.__name__ = "tile_" + re.sub(r"\W", "_", layer.name)
    view.sog_tile = True
    return view


def _clock(bucket: int | None) -> int:
    return int(time.time() // bucket) if bucket else 0


def _params_for(layer, query: str, get):
    """Validated filters, from a small per-process memo of query strings already validated."""
    if layer.serializer is None:
        return {}
    from django.utils.translation import get_language

    # The data version is in the key: a filter naming a village is checked against the data.
    key = (layer.serializer, query, get_language() or "", http_cache.data_version())
    params, errors = _validate(key, get)
    if errors is not None:
        return JsonResponse(errors, status=400)
    return dict(params)


_memo: dict[tuple, tuple] = {}
MEMO_SIZE = 512


def _validate(key: tuple, get):
    found = _memo.get(key)
    if found is None:
        serializer = key[0](data=get.dict())
        if serializer.is_valid():
            found = (dict(serializer.validated_data), None)
        else:
            found = (None, {k: [str(m) for m in v] for k, v in serializer.errors.items()})
        if len(_memo) >= MEMO_SIZE:
            _memo.clear()
        _memo[key] = found
    return found


class TileMiddleware:
    """Answers /tiles/<layer>/... itself, skipping the middleware and transaction a public
    tile does not need (see the module's docstring); any other path goes on as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/tiles/"):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "sog_tile", False):
                response = match.func(request, *match.args, **match.kwargs)
                response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
                return response
        return self.get_response(request)


def tile_urls(layers) -> list:
    """URL patterns /tiles/<layer>/<z>/<x>/<y>.pbf (a negative number reaches the view: a 400)."""
    return [
        re_path(
            rf"^tiles/{re.escape(layer.name)}/(?P<z>-?\d+)/(?P<x>-?\d+)/(?P<y>-?\d+)\.pbf$",
            tile_view(layer),
            name=f"tiles-{layer.name}",
        )
        for layer in layers
    ]
