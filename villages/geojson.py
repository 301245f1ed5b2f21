"""GeoJSON FeatureCollections assembled from database rows.

The database renders each geometry to GeoJSON text (AsGeoJSON) and returns
plain values; Python only joins strings. No model instance or serializer is
built per feature, so a layer of 100,000 features stays fast.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

GEOJSON_CONTENT_TYPE = "application/geo+json"
PRECISION = 6  # about 0.1 m at the equator

_encoder = DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":"))


def with_geojson(queryset, geometry_field: str, alias: str = "_geojson"):
    """Annotate a queryset with its geometry as GeoJSON text rendered by the database."""
    return queryset.annotate(**{alias: AsGeoJSON(geometry_field, precision=PRECISION)})


def feature_text(geometry: str | None, properties: Mapping, feature_id=None) -> str:
    """One Feature as JSON text, from pre-rendered geometry text."""
    head = '{"type":"Feature",'
    if feature_id is not None:
        head += f'"id":{_encoder.encode(feature_id)},'
    return f'{head}"geometry":{geometry or "null"},"properties":{_encoder.encode(properties)}}}'


def collection_text(features: Iterable[str], extra: Mapping | None = None) -> str:
    """A FeatureCollection as JSON text from Feature texts."""
    head = '{"type":"FeatureCollection",'
    if extra:
        head += _encoder.encode(dict(extra))[1:-1] + ","
    return head + '"features":[' + ",".join(features) + "]}"


def geojson_response(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text, content_type=GEOJSON_CONTENT_TYPE, status=status)


def loads(text: str):
    """Parse GeoJSON text (used by tests and exports)."""
    return json.loads(text)
