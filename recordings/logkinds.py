"""The recordings kind of village log (villages.logs.kinds derives from this declaration
the coordinator pages /coordinator/recordings/ (list, CSV, detail, edit, delete), the tab
on /review/ with verify / reject, and the audit content).

A recording is more than its fields: the upload (a file, checked while it streams and
probed) and the background processing live in recordings/ (api.py, services.py). So
the kind asks for no derived API (`derived_api=False`), and backend/urls.py routes
/coordinator/recordings/new/ to recordings' upload page, ahead of the derived form.

The content fields are declared here once; recordings.services stores, compares and
audits with this kind's `content_fields`, `defaults` and `content()`. The rule that a
recording is verified only once processed is `review_refusal`, which the API and the
/review/ pages both go through (villages.logs.services.review_logs).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from villages import geojson
from villages.logs.kinds import LogKind, register

from .forms import RecordingEditForm
from .models import Recording


class RecordingKind(LogKind):
    def content(self, source) -> dict:
        """The model's content fields (the date derived from `recorded_at`, as
        Recording.save does; the instant in UTC, one spelling) and the original's SHA-256,
        so a retry with another file is a different recording."""
        content = super().content(source)
        recorded_at = content.get("recorded_at")
        if isinstance(recorded_at, datetime.datetime):
            content["recorded_at"] = recorded_at.astimezone(datetime.UTC)
            content["date"] = timezone.localdate(recorded_at)
        return content

    def extra_content(self, source) -> dict:
        sha256 = source.get("sha256") if isinstance(source, Mapping) else source.sha256
        return {"sha256": sha256 or ""}

    def extra_current(self, log) -> dict:
        return {"sha256": log.sha256}

    def validate(self, *, data):
        from . import services

        services.validate(data=data)

    def review_refusal(self, log, decision):
        # The reviewer must have been able to hear it.
        if decision == "verify" and log.processing != Recording.Processing.READY:
            return _(
                "%(recording)s is %(state)s: it can be verified once it has been processed."
            ) % {"recording": log.title or log.slug, "state": log.get_processing_display()}
        return None

    def save_extra(self, log, data) -> None:
        """An edit that makes a recording a soundscape, or no longer one, processes it again
        (the indices, and so the scorecard, follow the kind)."""
        if log.pk is None or "kind" not in data:
            return
        before = Recording.objects.filter(pk=log.pk).values_list("kind", flat=True).first()
        soundscape = Recording.Kind.SOUNDSCAPE
        if (before == soundscape) != (log.kind == soundscape):
            from . import services

            log.processing = Recording.Processing.QUEUED
            log.processing_error = ""
            transaction.on_commit(lambda: services.enqueue(log))

    def delete(self, user, log) -> None:
        from . import services

        services.delete(user=user, recording=log)  # its files go too

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
            # The reviewer hears it on the page (streamed, with the AAC copy for old Safari).
            sources = format_html(
                '<source src="{}" type=\'audio/webm; codecs="opus"\'>', log.audio_opus.url
            )
            if log.audio_aac:
                sources += format_html('<source src="{}" type="audio/mp4">', log.audio_aac.url)
            facts.append(
                (
                    _("Listen"),
                    format_html('<audio controls preload="none">{}</audio>', sources),
                )
            )
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
        form_base=RecordingEditForm,
    )
)
