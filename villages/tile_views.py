"""The HTTP side of vector tiles: one view per layer, 204 for an empty tile, 400 for a bad one.

Tiles are public data, cached by browsers and proxies: an ETag that changes when the layer's
data changes (villages.cache_versions) and a Cache-Control max-age.
"""

from __future__ import annotations

import re

from django.http import HttpResponse, JsonResponse
from django.urls import re_path

from . import tiles
from .http_cache import conditional_public

TILE_MAX_AGE = 300  # seconds; the ETag makes a stale tile cheap to re-check


def _problem(field: str, message: str) -> JsonResponse:
    return JsonResponse({field: [message]}, status=400)


def tile_view(layer: tiles.TileLayer):
    @conditional_public(layer.name, max_age=TILE_MAX_AGE)
    def view(request, z, x, y):
        try:
            z, x, y = int(z), int(x), int(y)
            tiles.check_tile(z, x, y)
        except tiles.TileOutOfRange as problem:
            return _problem("tile", str(problem))
        params = {}
        if layer.serializer is not None:
            serializer = layer.serializer(data=request.GET.dict())
            if not serializer.is_valid():
                return JsonResponse(
                    {k: [str(m) for m in v] for k, v in serializer.errors.items()}, status=400
                )
            params = dict(serializer.validated_data)
        body = tiles.build_tile(layer, params, z, x, y)
        if not body:
            return HttpResponse(status=204)
        return HttpResponse(body, content_type=tiles.MVT_CONTENT_TYPE)

    view.__name__ = "tile_" + re.sub(r"\W", "_", layer.name)
    return view


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
