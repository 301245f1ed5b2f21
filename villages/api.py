"""Public API for villages: GeoJSON built in the database."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from . import geojson, selectors
from .geo import BBoxField
from .models import Village


class VillageQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Village.Kind.choices, required=False)
    district = serializers.CharField(required=False, max_length=120)
    is_sog_site = serializers.BooleanField(required=False, allow_null=True, default=None)
    tourism_stage = serializers.ChoiceField(choices=Village.TourismStage.choices, required=False)
    bbox = BBoxField(required=False)
    geometry = serializers.ChoiceField(
        choices=[("boundary", "boundary"), ("centre", "centre")],
        required=False,
        default="boundary",
    )

    def validate_district(self, value):
        district = selectors.district_lookup(value)
        if district is None:
            raise serializers.ValidationError(
                _("No district with code or name %(value)r.") % {"value": value}
            )
        return district


# Dates in query filters lie within these: beyond them a filter means nothing, and the
# arithmetic near the calendar's ends (year 1, year 9999) would overflow.
EARLIEST_QUERY_DATE = datetime.date(1900, 1, 1)
LATEST_QUERY_DATE = datetime.date(2100, 12, 31)


def query_date_problem(day: datetime.date) -> str | None:
    """Why this date cannot be a query filter, or None when it can."""
    if EARLIEST_QUERY_DATE <= day <= LATEST_QUERY_DATE:
        return None
    return _("Give a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_QUERY_DATE.isoformat(),
        "latest": LATEST_QUERY_DATE.isoformat(),
    }


class QueryDateField(serializers.DateField):
    """A date (YYYY-MM-DD) within EARLIEST_QUERY_DATE..LATEST_QUERY_DATE."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["iso-8601"])
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        problem = query_date_problem(day)
        if problem:
            raise serializers.ValidationError(problem)
        return day


def parse_query(serializer_class, request):
    """Validate query parameters; a bad one raises a 400 with per-field messages."""
    # QueryDict.dict() keeps the last value of a repeated parameter.
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class GeoJSONRenderer(JSONRenderer):
    media_type = geojson.GEOJSON_CONTENT_TYPE
    format = "geojson"


class GeoJSONAPIView(APIView):
    """Base for views answering GeoJSON built in the database (see villages.geojson)."""

    renderer_classes = [JSONRenderer, GeoJSONRenderer]


LAYER_MAX_AGE = 0  # seconds: a browser revalidates every time, cheaply (304 while the ETag holds)


def public_layer(scope: str, *, time_bucket: int | None = None):
    """ETag + Cache-Control for a public GeoJSON list view's `get` (villages.http_cache)."""
    from django.utils.decorators import method_decorator

    from .http_cache import conditional_public

    return method_decorator(
        conditional_public(f"geojson:{scope}", max_age=LAYER_MAX_AGE, time_bucket=time_bucket)
    )


GEOJSON_RESPONSE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="GeoJSON FeatureCollection; with `limit`: numberMatched, and `next` when more follow",
)
PAGE_PARAMETERS = [
    OpenApiParameter("limit", int, description=f"features per page, 1..{geojson.PAGE_SIZE}"),
    OpenApiParameter("offset", int, description="features to skip (see `next`)"),
]


class VillageListView(GeoJSONAPIView):
    """All villages as a GeoJSON FeatureCollection."""

    @public_layer("villages")
    @extend_schema(
        operation_id="v1_villages_list",
        parameters=[VillageQuerySerializer, *PAGE_PARAMETERS],
        responses={200: GEOJSON_RESPONSE},
    )
    def get(self, request):
        params = parse_query(VillageQuerySerializer, request)
        geometry = params.pop("geometry")
        queryset = selectors.village_list(**params)
        return geojson.paged_response(
            request,
            queryset,
            lambda qs: selectors.village_features(qs, geometry=geometry),
            rows=lambda qs: selectors.village_rows(qs, geometry=geometry),
        )


class VillageDetailView(GeoJSONAPIView):
    """One village as a GeoJSON Feature."""

    @extend_schema(
        parameters=[OpenApiParameter("geometry", str, enum=["boundary", "centre"])],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="GeoJSON Feature")},
    )
    def get(self, request, slug):
        params = parse_query(VillageQuerySerializer, request)
        queryset = selectors.village_list().filter(slug=slug)
        features = selectors.village_features(queryset, geometry=params["geometry"])
        if not features:
            raise Http404(_("No village with this slug."))
        return geojson.geojson_response(features[0])
