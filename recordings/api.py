"""API for recordings, under /api/v1/recordings/.

- GET  recordings/             public GeoJSON of verified, processed recordings (filters:
                               bbox, village, kind, attraction, event)
- POST recordings/             a coordinator's upload (multipart: `audio` and the fields);
                               202 with the record, processed in the background; a retry
                               with the same client_uuid: 200 with the stored record
- GET  recordings/<id>/        the record as its village's coordinators and AMO see it
- DELETE recordings/<id>/      the author, until AMO has verified it
- POST recordings/<id>/review/ AMO: {"decision": "verify"|"reject", "reason": "..."}
- POST recordings/<id>/process/ run the processing again (after a failure)
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response

from greenscore.actions.geometry_input import parse_geometry
from tourism.models import Attraction, Event
from villages import geojson, roles
from villages.api import GEOJSON_RESPONSE, GeoJSONAPIView, parse_query
from villages.geo import BBoxField
from villages.input_guard import PARSERS
from villages.logs.api import IsSignedIn, ReviewSerializer, call_service
from villages.models import Village

from . import selectors, services, uploads
from .models import Recording


class RecordingQuerySerializer(serializers.Serializer):
    bbox = BBoxField(required=False)
    village = serializers.SlugRelatedField(
        slug_field="slug", queryset=Village.objects.all(), required=False
    )
    kind = serializers.ChoiceField(choices=Recording.Kind.choices, required=False)
    attraction = serializers.SlugRelatedField(
        slug_field="slug", queryset=Attraction.objects.all(), required=False
    )
    event = serializers.SlugRelatedField(
        slug_field="slug", queryset=Event.objects.all(), required=False
    )
    slug = serializers.SlugField(required=False, help_text="One recording (the map's popup).")


@extend_schema_field(
    {
        "type": "object",
        "description": "GeoJSON Point, WGS84 [longitude, latitude]",
        "properties": {
            "type": {"type": "string", "enum": ["Point"]},
            "coordinates": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 2,
            },
        },
        "required": ["type", "coordinates"],
        "example": {"type": "Point", "coordinates": [128.1392, -3.7258]},
    }
)
class PointField(serializers.Field):
    """A GeoJSON Point (an object, or its JSON text in a multipart form), WGS84 lon/lat."""

    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        try:
            geom = parse_geometry(data)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        if geom.geom_type != "Point":
            raise serializers.ValidationError(
                _("Give the place as a GeoJSON Point, not a %(type)s.") % {"type": geom.geom_type}
            )
        return geom

    def to_representation(self, value):
        return geojson.loads(value.json) if value is not None else None


class UploadSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    village = serializers.SlugRelatedField(slug_field="slug", queryset=Village.objects.all())
    kind = serializers.ChoiceField(choices=Recording.Kind.choices)
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="the title in the request's language",
    )
    title_id = serializers.CharField(required=False, allow_blank=True, max_length=200)
    title_en = serializers.CharField(required=False, allow_blank=True, max_length=200)
    recorded_at = serializers.DateTimeField()
    geometry = PointField()
    licence = serializers.ChoiceField(choices=Recording.Licence.choices, required=False)
    credit = serializers.CharField(required=False, allow_blank=True, max_length=200)
    consent = serializers.BooleanField(required=False, default=False)
    attraction = serializers.SlugRelatedField(
        slug_field="slug", queryset=Attraction.objects.all(), required=False, allow_null=True
    )
    event = serializers.SlugRelatedField(
        slug_field="slug", queryset=Event.objects.all(), required=False, allow_null=True
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    audio = serializers.FileField(allow_empty_file=True)

    def validate(self, attrs):
        title = attrs.pop("title", "")
        if title:
            key = "title_en" if (get_language() or "id").startswith("en") else "title_id"
            attrs.setdefault(key, title)
            if not attrs[key]:
                attrs[key] = title
        attrs["place"] = attrs.pop("geometry")
        return attrs


class RecordingSerializer(serializers.ModelSerializer):
    village = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    attraction = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    geometry = PointField(source="place", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    audio_url = serializers.SerializerMethodField()
    audio_fallback_url = serializers.SerializerMethodField()
    waveform_url = serializers.SerializerMethodField()
    spectrogram_url = serializers.SerializerMethodField()

    class Meta:
        model = Recording
        fields = (
            "id",
            "client_uuid",
            "slug",
            "village",
            "kind",
            "title_id",
            "title_en",
            "attraction",
            "event",
            "geometry",
            "recorded_at",
            "duration_s",
            "credit",
            "licence",
            "consent",
            "synthesised",
            "notes",
            "status",
            "rejection_reason",
            "processing",
            "processing_error",
            "processed_at",
            "audio_url",
            "audio_fallback_url",
            "waveform_url",
            "spectrogram_url",
            "loudness_lufs",
            "gain_db",
            "indices",
            "author",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def _url(self, field_file):
        return field_file.url if field_file else None

    def get_audio_url(self, obj) -> str | None:
        return self._url(obj.audio_opus)

    def get_audio_fallback_url(self, obj) -> str | None:
        return self._url(obj.audio_aac)

    def get_waveform_url(self, obj) -> str | None:
        return self._url(obj.waveform)

    def get_spectrogram_url(self, obj) -> str | None:
        return self._url(obj.spectrogram)


def _visible(request):
    return roles.logs_visible_to(
        request.user, Recording.objects.select_related("village", "author", "attraction", "event")
    )


class RecordingCollectionView(GeoJSONAPIView):
    """GET: verified, processed recordings as GeoJSON. POST: a coordinator's upload."""

    parser_classes = PARSERS
    schema_error_statuses = {"post": [409]}

    def get_permissions(self):
        # Anyone may read the public layer (the schema says so too); uploads need a sign-in.
        return [IsSignedIn()] if self.request.method == "POST" else [permissions.AllowAny()]

    @extend_schema(
        operation_id="v1_recordings_list",
        parameters=[RecordingQuerySerializer],
        responses={200: GEOJSON_RESPONSE},
    )
    def get(self, request):
        params = parse_query(RecordingQuerySerializer, request)
        return geojson.paged_response(
            request, selectors.public_list(**params), selectors.feature_texts
        )

    @extend_schema(
        operation_id="v1_recordings_create",
        request=UploadSerializer,
        responses={
            202: RecordingSerializer,
            200: RecordingSerializer,
            400: OpenApiResponse(description="Refused, with the reason per field."),
        },
    )
    def post(self, request):
        refusal = uploads.upload_refusal(request)
        if refusal:
            raise exceptions.ValidationError({"audio": [refusal]})
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        audio_file = data.pop("audio")
        recording, created = call_service(
            services.upload, author=request.user, data=data, audio_file=audio_file
        )
        body = RecordingSerializer(_visible(request).get(pk=recording.pk)).data
        return Response(body, status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK)


class RecordingDetailView(GeoJSONAPIView):
    """One recording with its review and processing state (its village's coordinators, AMO)."""

    permission_classes = [IsSignedIn]
    schema_error_statuses = {"delete": [409]}

    @extend_schema(responses={200: RecordingSerializer})
    def get(self, request, pk):
        return Response(RecordingSerializer(get_object_or_404(_visible(request), pk=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        recording = get_object_or_404(_visible(request), pk=pk)
        call_service(services.delete, user=request.user, recording=recording)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecordingReviewView(GeoJSONAPIView):
    """AMO verifies or rejects (with a reason) a recording; never their own (four eyes)."""

    permission_classes = [IsSignedIn]
    parser_classes = PARSERS
    schema_error_statuses = {"post": [409]}

    @extend_schema(request=ReviewSerializer, responses={200: RecordingSerializer})
    def post(self, request, pk):
        if not roles.can_review(request.user):
            raise exceptions.PermissionDenied(_("Only AMO reviewers may review recordings."))
        recording = get_object_or_404(
            Recording.objects.select_for_update().select_related("village"), pk=pk
        )
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recording = call_service(
            services.review, reviewer=request.user, recording=recording, **serializer.validated_data
        )
        return Response(RecordingSerializer(_visible(request).get(pk=recording.pk)).data)


class RecordingProcessView(GeoJSONAPIView):
    """Run the processing again (the author or AMO), e.g. after a failure."""

    permission_classes = [IsSignedIn]
    schema_error_statuses = {"post": [409]}

    @extend_schema(request=None, responses={202: RecordingSerializer})
    def post(self, request, pk):
        recording = get_object_or_404(_visible(request), pk=pk)
        recording = call_service(services.reprocess, user=request.user, recording=recording)
        return Response(
            RecordingSerializer(_visible(request).get(pk=recording.pk)).data,
            status=status.HTTP_202_ACCEPTED,
        )
