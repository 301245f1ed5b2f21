"""Public API for the tourism layers: GeoJSON FeatureCollections built in the database.

Query parameters are validated by serializers (villages.api.parse_query): a bad
value answers 400 with a message per parameter, never a 500 or a silent guess.
"""

from __future__ import annotations

import math

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers

from villages import geojson
from villages import selectors as village_selectors
from villages.api import (
    GEOJSON_RESPONSE,
    PAGE_PARAMETERS,
    GeoJSONAPIView,
    QueryDateField,
    parse_query,
    public_layer,
)
from villages.geo import BBoxField, LonLatField

from . import features, selectors
from .models import Attraction

MAX_RADIUS_M = 100_000


class PlaceQuerySerializer(serializers.Serializer):
    """Parameters every layer takes."""

    bbox = BBoxField(required=False)
    village = serializers.SlugField(required=False, max_length=140, help_text="village slug")
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="words in the name or description (both languages)",
    )
    near = LonLatField(required=False, help_text="lon,lat (WGS84); needs radius_m")
    radius_m = serializers.FloatField(
        required=False,
        min_value=1,
        max_value=MAX_RADIUS_M,
        help_text="metres on the ellipsoid, 1..100000; needs near",
    )

    def validate_village(self, value):
        village = village_selectors.village_by_slug(value)
        if village is None:
            raise serializers.ValidationError(_("No village with slug %(slug)r.") % {"slug": value})
        return village

    def validate_radius_m(self, value):
        if not math.isfinite(value) or not 1 <= value <= MAX_RADIUS_M:
            raise serializers.ValidationError(
                _("The radius must be between 1 and %(max)d metres.") % {"max": MAX_RADIUS_M}
            )
        return value

    def validate(self, attrs):
        if ("near" in attrs) != ("radius_m" in attrs):
            missing = "radius_m" if "near" in attrs else "near"
            raise serializers.ValidationError(
                {missing: _("near=lon,lat and radius_m= go together: give both or neither.")}
            )
        if not attrs.get("q"):
            attrs.pop("q", None)
        return attrs


class AttractionQuerySerializer(PlaceQuerySerializer):
    category = serializers.ChoiceField(choices=Attraction.Category.choices, required=False)
    instrument = serializers.SlugField(required=False, max_length=50, help_text="instrument slug")

    def validate_instrument(self, value):
        instrument = selectors.instrument_by_slug(value)
        if instrument is None:
            raise serializers.ValidationError(
                _("No instrument with slug %(slug)r.") % {"slug": value}
            )
        return instrument


class HomestayQuerySerializer(PlaceQuerySerializer):
    min_beds = serializers.IntegerField(required=False, min_value=1, max_value=500)
    max_price = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000_000)


class EventQuerySerializer(PlaceQuerySerializer):
    def get_fields(self):
        # "from" is a Python keyword, so these two are added here rather than as attributes.
        fields = super().get_fields()
        fields["from"] = QueryDateField(required=False)
        fields["to"] = QueryDateField(required=False)
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "from" in attrs and "to" in attrs and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": _("to= must be on or after from=.")})
        attrs["date_from"] = attrs.pop("from", None)
        attrs["date_to"] = attrs.pop("to", None)
        return attrs


FEATURE_RESPONSE = OpenApiResponse(OpenApiTypes.OBJECT, description="GeoJSON Feature")


def _single(feature_texts, message):
    if not feature_texts:
        raise Http404(message)
    return geojson.geojson_response(feature_texts[0])


class AttractionListView(GeoJSONAPIView):
    """Published music attractions, nearest first when `near` is given."""

    @public_layer("attractions")
    @extend_schema(
        operation_id="v1_attractions_list",
        parameters=[AttractionQuerySerializer, *PAGE_PARAMETERS],
        responses={200: GEOJSON_RESPONSE},
    )
    def get(self, request):
        params = parse_query(AttractionQuerySerializer, request)
        return geojson.paged_response(
            request,
            selectors.attraction_list(**params),
            features.attraction_features,
            rows=features.attraction_rows,
        )


class AttractionDetailView(GeoJSONAPIView):
    @extend_schema(responses={200: FEATURE_RESPONSE})
    def get(self, request, slug):
        qs = selectors.attraction_list().filter(slug=slug)
        return _single(features.attraction_features(qs), _("No attraction with this slug."))


class HomestayListView(GeoJSONAPIView):
    """Published homestays; max_price compares with the lowest price per night."""

    @public_layer("homestays")
    @extend_schema(
        operation_id="v1_homestays_list",
        parameters=[HomestayQuerySerializer, *PAGE_PARAMETERS],
        responses={200: GEOJSON_RESPONSE},
    )
    def get(self, request):
        params = parse_query(HomestayQuerySerializer, request)
        return geojson.paged_response(
            request,
            selectors.homestay_list(**params),
            features.homestay_features,
            rows=features.homestay_rows,
        )


class HomestayDetailView(GeoJSONAPIView):
    @extend_schema(responses={200: FEATURE_RESPONSE})
    def get(self, request, slug):
        qs = selectors.homestay_list().filter(slug=slug)
        return _single(features.homestay_features(qs), _("No homestay with this slug."))


class EventListView(GeoJSONAPIView):
    """Published events overlapping from..to (WIT dates); without dates, those not over yet."""

    @public_layer("events", time_bucket=300)
    @extend_schema(
        operation_id="v1_events_list",
        parameters=[EventQuerySerializer, *PAGE_PARAMETERS],
        responses={200: GEOJSON_RESPONSE},
    )
    def get(self, request):
        params = parse_query(EventQuerySerializer, request)
        return geojson.paged_response(
            request, selectors.event_list(**params), features.event_features
        )


class EventDetailView(GeoJSONAPIView):
    @extend_schema(responses={200: FEATURE_RESPONSE})
    def get(self, request, slug):
        qs = selectors.events_with_place().filter(slug=slug)
        return _single(features.event_features(qs), _("No event with this slug."))


class TrailListView(GeoJSONAPIView):
    """Published trails; `near` measures to the closest point of the path."""

    @public_layer("trails")
    @extend_schema(
        operation_id="v1_trails_list",
        parameters=[PlaceQuerySerializer, *PAGE_PARAMETERS],
        responses={200: GEOJSON_RESPONSE},
    )
    def get(self, request):
        params = parse_query(PlaceQuerySerializer, request)
        return geojson.paged_response(
            request,
            selectors.trail_list(**params),
            features.trail_features,
            rows=features.trail_rows,
        )


class TrailDetailView(GeoJSONAPIView):
    @extend_schema(responses={200: FEATURE_RESPONSE})
    def get(self, request, slug):
        qs = selectors.trail_list().filter(slug=slug)
        return _single(features.trail_features(qs), _("No trail with this slug."))
