"""API for field apps: conservation actions (scoped CRUD, retries stored once, photos) and
the public layer of verified action sites."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response
from rest_framework.views import APIView

from villages import geojson
from villages.api import GEOJSON_RESPONSE, GeoJSONAPIView, parse_query
from villages.input_guard import GuardedFormParser, GuardedMultiPartParser
from villages.logs_api import LogViewSet, call_service
from villages.models import Village

from . import selectors_actions, services_actions
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
        species = selectors_actions.species_lookup(data)
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


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    image = serializers.ImageField(read_only=True, use_url=True)
    thumbnail = serializers.ImageField(read_only=True, use_url=True)
    caption = serializers.CharField(read_only=True)


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    client_uuid = serializers.UUIDField()
    village = serializers.SlugRelatedField(slug_field="slug", queryset=Village.objects.all())
    kind = serializers.ChoiceField(choices=ConservationAction.Kind.choices)
    date = serializers.DateField()
    geometry = GeoJSONGeometryField()
    species = serializers.ListField(child=SpeciesCountSerializer(), required=False, max_length=50)
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    unit = serializers.ChoiceField(
        choices=ConservationAction.Unit.choices, required=False, allow_blank=True
    )
    area_m2 = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Of a drawn polygon (UTM 52S); null otherwise."
    )
    participants_total = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)
    participants_women = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)
    participants_youth = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)
    participants_visitors = serializers.IntegerField(
        min_value=0, max_value=1_000_000, required=False
    )
    volunteer_hours = serializers.DecimalField(
        max_digits=9, decimal_places=1, min_value=0, required=False
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    status = serializers.CharField(read_only=True)
    rejection_reason = serializers.CharField(read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate_client_uuid(self, value):
        if self.instance is not None and value != self.instance.client_uuid:
            raise serializers.ValidationError(_("The client_uuid of a stored log cannot change."))
        return value

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


class ActionViewSet(LogViewSet):
    """Conservation actions of the villages you coordinate (AMO: all villages)."""

    serializer_class = ActionSerializer
    filterset_class = selectors_actions.ActionFilterSet

    def base_queryset(self):
        return selectors_actions.action_list(user=self.request.user)

    def service_create(self, *, user, data):
        return services_actions.action_create(author=user, data=dict(data))

    def service_update(self, *, user, log, data):
        data = {k: v for k, v in data.items() if k != "client_uuid"}
        return services_actions.action_update(user=user, action=log, data=data)

    def service_delete(self, *, user, log):
        return services_actions.action_delete(user=user, action=log)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "image": {"type": "string", "format": "binary"},
                    "caption": {"type": "string"},
                },
            }
        },
        responses={201: PhotoSerializer},
    )
    @drf_action(
        detail=True, methods=["post"], parser_classes=[GuardedMultiPartParser, GuardedFormParser],
    )
    def photos(self, request, pk=None):
        """Attach a photo (multipart field `image`, optional `caption`)."""
        log = self.get_object()
        upload = request.FILES.get("image")
        if upload is None:
            return Response(
                {"image": [_("Attach the photo as the multipart field 'image'.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        photo = call_service(
            services_actions.action_add_photo,
            user=request.user,
            action=log,
            fileobj=upload,
            caption=request.data.get("caption", ""),
        )
        return Response(
            PhotoSerializer(photo, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ActionSiteQuerySerializer(serializers.Serializer):
    village = serializers.SlugRelatedField(
        slug_field="slug", queryset=Village.objects.all(), required=False
    )
    kind = serializers.ChoiceField(choices=ConservationAction.Kind.choices, required=False)


class ActionSiteListView(GeoJSONAPIView):
    """Verified conservation actions as GeoJSON: kind, date, village, quantity, unit; no personal data."""

    @extend_schema(parameters=[ActionSiteQuerySerializer], responses={200: GEOJSON_RESPONSE})
    def get(self, request):
        params = parse_query(ActionSiteQuerySerializer, request)
        return geojson.paged_response(
            request, selectors_actions.action_sites(**params),
            selectors_actions.action_site_feature_texts,
        )


class ActionSiteDetailView(GeoJSONAPIView):
    """One verified conservation action as a GeoJSON Feature (the map's popup)."""

    @extend_schema(responses={200: GEOJSON_RESPONSE})
    def get(self, request, pk):
        texts = selectors_actions.action_site_feature_texts(
            selectors_actions.action_sites().filter(pk=pk)
        )
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
        rows = selectors_actions.species_rows()
        return Response(SpeciesSerializer(rows, many=True).data)
