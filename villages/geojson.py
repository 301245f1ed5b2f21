"""GeoJSON FeatureCollections assembled from database rows.

The database renders each geometry to GeoJSON text (AsGeoJSON) and returns
plain values; Python only joins strings. No model instance or serializer is
built per feature, so a layer of 100,000 features stays fast.
"""

from __future__ import annotations

import itertools
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


# --- Paginated, streamed FeatureCollections (the list endpoints) -----------------------------

PAGE_SIZE = 10_000  # features in a page when the client gives no `limit`, and the most it may ask
CHUNK = 1_000  # features built per database round trip while streaming


def page_params(request) -> tuple[int | None, int]:
    """`limit` (1..PAGE_SIZE, optional) and `offset` (>= 0); a bad one raises a 400."""
    from django.utils.translation import gettext as _
    from rest_framework.exceptions import ValidationError

    errors, values = {}, {}
    for name, low, high in (("limit", 1, PAGE_SIZE), ("offset", 0, None)):
        raw = request.GET.get(name)
        if raw is None or raw == "":
            continue
        try:
            number = int(raw)
        except ValueError:
            errors[name] = [_("%(value)r is not a whole number.") % {"value": raw}]
            continue
        if number < low or (high is not None and number > high):
            errors[name] = [
                _("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
                if high is not None
                else _("Give a whole number from %(low)d up.") % {"low": low}
            ]
            continue
        values[name] = number
    if errors:
        raise ValidationError(errors)
    return values.get("limit"), values.get("offset", 0)


def _stable(queryset):
    """The queryset in a total order (its own order, then pk), so pages neither skip nor repeat."""
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering or [])
    if "pk" not in order and "id" not in order:
        order.append("pk")
    return queryset.order_by(*order)


def paged_response(request, queryset, build, *, default_limit: int | None = None):
    """A streamed FeatureCollection of one page of `queryset`, built by `build(queryset)` in chunks.

    With `limit` the collection carries `numberMatched` (all that match) and `numberReturned`;
    when more follow, `next` is the URL of the next page (`offset` moved on). Without `limit`,
    at most `default_limit` features, and `next` when there are more. Memory stays flat: at
    most CHUNK features are built at a time, and each is sent as soon as it is joined.
    """
    from django.http import StreamingHttpResponse

    limit, offset = page_params(request)
    asked = limit is not None
    limit = limit or default_limit or PAGE_SIZE
    queryset = _stable(queryset)
    matched = queryset.count() if asked else None

    def pages():
        yield '{"type":"FeatureCollection","features":['
        # The page's ids in one ordered query (at most PAGE_SIZE + 1 integers), then the
        # features CHUNK at a time, each chunk joined and sent before the next is built.
        page = list(queryset.values_list("pk", flat=True)[offset : offset + limit + 1])
        more_after = len(page) > limit
        page = page[:limit]
        sent = 0
        for start in range(0, len(page), CHUNK):
            pks = page[start : start + CHUNK]
            texts = build(queryset.filter(pk__in=pks))
            yield ("," if sent else "") + ",".join(texts)
            sent += len(pks)
        more = offset + sent < matched if asked else more_after
        tail = {"numberReturned": sent}
        if asked:
            tail["numberMatched"] = matched
        if more:
            query = request.GET.copy()
            query["offset"] = str(offset + sent)
            query["limit"] = str(limit)
            tail["next"] = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        yield "]," + _encoder.encode(tail)[1:]

    # A page that fits in one chunk is answered whole; a longer one is streamed chunk by chunk.
    parts, stream = [], pages()
    for part in stream:
        parts.append(part)
        if len(parts) > 3:  # the head, two chunks, and more to come: not one chunk
            return StreamingHttpResponse(
                itertools.chain(parts, stream), content_type=GEOJSON_CONTENT_TYPE
            )
    return HttpResponse("".join(parts), content_type=GEOJSON_CONTENT_TYPE)
