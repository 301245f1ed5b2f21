"""API of conservation actions beyond the log API (/api/v1/actions/ is derived from the
kind, greenscore/logkinds.py, by villages.logs.api): the action serializer's own fields
(a GeoJSON place, species counts), the public layer of verified action sites and the
species list. Included from backend/urls.py under /api/v1/ (`urlpatterns`)."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from villages import geojson
from villages.api import (
    GEOJSON_RESPONSE,
    PAGE_PARAMETERS,
    GeoJSONAPIView,
    parse_query,
    public_layer,
)
from villages.logs.api import LogSerializer
from villages.models import Village

from . import selectors
from .geometry_input import parse_geometry
from .models import ConservationAction


@extend_schema_field(
    {
        "type": "object",
        "description": "GeoJSON geometry (Point, LineString, Polygon or Multi*), "
        "[longitude, latitude] in WGS84",
        "example": {"type": "Point", "coordinates": [128.138, -3.727]},
    }
)
class GeoJSONGeometryField(serializers.Field):
    """A GeoJSON geometry object in, checked by greenscore.geometry_input; GeoJSON out."""

    def to_internal_value(self, data):
        try:
            return parse_geometry(data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def to_representation(self, value):
        return json.loads(value.json)


@extend_schema_field(OpenApiTypes.STR)
class SpeciesRefField(serializers.Field):
    def to_internal_value(self, data):
        species = selectors.species_lookup(data)
        if species is None:
            raise serializers.ValidationError(
                _(
                    "Unknown species %(value)s: give a scientific name from the species list, or its id."
                )
                % {"value": json.dumps(data)[:60]}
            )
        return species

    def to_representation(self, value):
        return value.scientific_name


class SpeciesCountSerializer(serializers.Serializer):
    species = SpeciesRefField()
    count = serializers.IntegerField(min_value=1, max_value=100_000)


class ActionSerializerBase(LogSerializer):
    """What the action's serializer adds to its model fields: the place as GeoJSON and the
    species counts (out: with local names)."""

    geometry = GeoJSONGeometryField()
    species = serializers.ListField(child=SpeciesCountSerializer(), required=False, max_length=50)
    area_m2 = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Of a drawn polygon (UTM 52S); null otherwise."
    )

    PLACE_AFTER = {"species": "geometry"}

    def validate_species(self, value):
        return [(item["species"], item["count"]) for item in value]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["species"] = [
            {
                "species": sc.species.scientific_name,
                "local_name": sc.species.local_name,
                "count": sc.count,
            }
            for sc in instance.species_counts.all()
        ]
        return data


class ActionSiteQuerySerializer(serializers.Serializer):
    village = serializers.SlugRelatedField(
        slug_field="slug", queryset=Village.objects.all(), required=False
    )
    kind = serializers.ChoiceField(choices=ConservationAction.Kind.choices, required=False)


class ActionSiteListView(GeoJSONAPIView):
    """Verified conservation actions as GeoJSON: kind, date, village, quantity, unit; no personal data."""

    @public_layer("action-sites")
    @extend_schema(
        operation_id="v1_action_sites_list",
        parameters=[ActionSiteQuerySerializer, *PAGE_PARAMETERS],
        responses={200: GEOJSON_RESPONSE},
    )
    def get(self, request):
        params = parse_query(ActionSiteQuerySerializer, request)
        return geojson.paged_response(
            request, selectors.action_sites(**params), selectors.action_site_feature_texts
        )


class ActionSiteDetailView(GeoJSONAPIView):
    """One verified conservation action as a GeoJSON Feature (the map's popup)."""

    @extend_schema(responses={200: GEOJSON_RESPONSE})
    def get(self, request, pk):
        texts = selectors.action_site_feature_texts(selectors.action_sites().filter(pk=pk))
        if not texts:
            raise Http404(_("No verified action with this id."))
        return geojson.geojson_response(texts[0])


class SpeciesSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    local_name = serializers.CharField()
    scientific_name = serializers.CharField()
    instrument_use = serializers.CharField()


class SpeciesListView(APIView):
    """The species a log may name (field apps offer these in a picker)."""

    @extend_schema(responses={200: SpeciesSerializer(many=True)})
    def get(self, request):
        rows = selectors.species_rows()
        return Response(SpeciesSerializer(rows, many=True).data)


urlpatterns = [
    path("action-sites/", ActionSiteListView.as_view(), name="api-action-sites"),
    path("action-sites/<int:pk>/", ActionSiteDetailView.as_view(), name="api-action-site"),
    path("species/", SpeciesListView.as_view(), name="api-species"),
]
