"""The recordings kind of village log (villages.logs.kinds derives from this declaration
the coordinator pages /coordinator/recordings/ (list, CSV, detail, edit, delete), the tab
on /review/ with verify / reject, and the audit content).

A recording is more than its fields: the upload (a file, checked while it streams and
probed) and the background processing live in recordings/ (api.py, services.py). So
the kind asks for no derived API (`derived_api=False`), and backend/urls.py routes
/coordinator/recordings/new/ to recordings' upload page, ahead of the derived form.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from villages import geojson
from villages.logs.kinds import LogKind, register

from .models import Recording


class RecordingKind(LogKind):
    def validate(self, *, data):
        from . import services

        services.validate(data={**data, "village": data["village"]})

    def describe(self, log) -> str:
        return _("%(title)s · %(kind)s · %(minutes)d:%(seconds)02d · %(state)s") % {
            "title": log.title or log.slug,
            "kind": log.get_kind_display(),
            "minutes": log.duration_s // 60,
            "seconds": log.duration_s % 60,
            "state": log.get_processing_display(),
        }

    def expected_in(self, villages):
        return set()  # nobody is expected to record every month

    def extra_facts(self, log):
        facts = [(_("Processing"), log.get_processing_display())]
        if log.processing_error:
            facts.append((_("processing error"), log.processing_error))
        if log.audio_opus:
            facts.append((_("Listen"), log.audio_opus.url))
        if log.ndsi is not None:
            facts.append((_("Soundscape index (NDSI)"), f"{log.ndsi:.2f}"))
        return facts

    def map_features(self, queryset):
        rows = geojson.with_geojson(queryset.order_by(), "place").values_list(
            "id", "kind", "village__name", "date", "_geojson"
        )
        return [
            geojson.feature_text(
                geom, {"id": pk, "kind": kind, "village": village, "date": day}, feature_id=pk
            )
            for pk, kind, village, day, geom in rows
        ]


RECORDINGS = register(
    RecordingKind(
        slug="recordings",
        model=Recording,
        fields=(
            "kind",
            "title_id",
            "title_en",
            "attraction",
            "event",
            "place",
            "recorded_at",
            "credit",
            "licence",
            "consent",
        ),
        label=_lazy("Recordings"),
        label_one=_lazy("recording"),
        order=40,
        select_related=("attraction", "event"),
        # recordings/api.py serves /api/v1/recordings/ (multipart uploads, processing).
        derived_api=False,
    )
)
