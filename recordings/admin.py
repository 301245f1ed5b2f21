"""Recordings in the admin: the record, its state and a button to process it again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from .models import Recording


@admin.register(Recording)
class RecordingAdmin(LeafletGeoAdmin):
    list_display = (
        "__str__",
        "kind",
        "village",
        "recorded_at",
        "duration_s",
        "status",
        "processing",
        "synthesised",
    )
    list_filter = ("status", "processing", "kind", "village", "synthesised")
    search_fields = ("title_id", "title_en", "slug", "credit")
    date_hierarchy = "recorded_at"
    autocomplete_fields = ("village", "attraction", "event")
    readonly_fields = (
        "client_uuid",
        "author",
        "original",
        "size_bytes",
        "sha256",
        "source_codec",
        "duration_s",
        "status",
        "rejection_reason",
        "reviewed_by",
        "reviewed_at",
        "processing",
        "processing_error",
        "processed_at",
        "attempts",
        "audio_opus",
        "audio_aac",
        "waveform",
        "spectrogram",
        "loudness_lufs",
        "gain_db",
        "indices",
        "ndsi",
        "created_at",
        "updated_at",
        "date",
    )
    actions = ["process_again"]

    def has_add_permission(self, request):
        return False  # recordings come in through the upload page or the API (checked there)

    @admin.action(description=_("Process the selected recordings again"))
    def process_again(self, request, queryset):
        from .services import enqueue

        count = 0
        for recording in queryset.exclude(processing__in=["queued", "processing"]):
            Recording.objects.filter(pk=recording.pk).update(
                processing="queued", processing_error=""
            )
            enqueue(recording)
            count += 1
        messages.success(request, _("%(n)d recordings queued.") % {"n": count})
