"""API for field apps: guest stays and event reports (scoped CRUD, retries stored once).

Included from backend/urls.py under /api/v1/ (this module carries its own urlpatterns).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from villages.logs_api import LogViewSet
from villages.models import Village

from . import selectors_logs, services_logs
from .models import Event, EventReport, Homestay


class LogSerializerBase(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    client_uuid = serializers.UUIDField()
    village = serializers.SlugRelatedField(slug_field="slug", queryset=Village.objects.all())
    date = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    status = serializers.CharField(read_only=True)
    rejection_reason = serializers.CharField(read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate_client_uuid(self, value):
        if self.instance is not None and value != self.instance.client_uuid:
            raise serializers.ValidationError(_("The client_uuid of a stored log cannot change."))
        return value


class GuestStaySerializer(LogSerializerBase):
    homestay = serializers.SlugRelatedField(slug_field="slug", queryset=Homestay.objects.all())
    nights = serializers.IntegerField(min_value=1, max_value=365)
    guests_domestic = serializers.IntegerField(min_value=0, max_value=500, required=False)
    guests_foreign = serializers.IntegerField(min_value=0, max_value=500, required=False)
    revenue_idr = serializers.IntegerField(min_value=0, max_value=10_000_000_000, required=False)


class EventReportSerializer(LogSerializerBase):
    kind = serializers.ChoiceField(choices=EventReport.Kind.choices, required=False)
    event = serializers.SlugRelatedField(
        slug_field="slug", queryset=Event.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    audience = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    local_performers_paid = serializers.IntegerField(min_value=0, max_value=5_000, required=False)
    participants_youth = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    participants_women = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    revenue_idr = serializers.IntegerField(min_value=0, max_value=10_000_000_000, required=False)


def _without_uuid(data):
    return {k: v for k, v in data.items() if k != "client_uuid"}


class GuestStayViewSet(LogViewSet):
    """Guest stays of the villages you coordinate (AMO: all villages)."""

    serializer_class = GuestStaySerializer

    def base_queryset(self):
        return selectors_logs.guest_stay_list(user=self.request.user)

    def service_create(self, *, user, data):
        return services_logs.guest_stay_create(author=user, data=dict(data))

    def service_update(self, *, user, log, data):
        return services_logs.guest_stay_update(user=user, stay=log, data=_without_uuid(data))

    def service_delete(self, *, user, log):
        return services_logs.guest_stay_delete(user=user, stay=log)


class EventReportViewSet(LogViewSet):
    """Event reports of the villages you coordinate (AMO: all villages)."""

    serializer_class = EventReportSerializer

    def base_queryset(self):
        return selectors_logs.event_report_list(user=self.request.user)

    def service_create(self, *, user, data):
        return services_logs.event_report_create(author=user, data=dict(data))

    def service_update(self, *, user, log, data):
        return services_logs.event_report_update(user=user, report=log, data=_without_uuid(data))

    def service_delete(self, *, user, log):
        return services_logs.event_report_delete(user=user, report=log)


router = SimpleRouter()
router.register("guest-stays", GuestStayViewSet, basename="api-guest-stay")
router.register("event-reports", EventReportViewSet, basename="api-event-report")
urlpatterns = router.urls
