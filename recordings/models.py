"""Recordings of performances, rehearsals, workshops, interviews and forest soundscapes.

A recording is a village log (tourism.models.VillageLog: village, author, client UUID,
review status submitted / verified / rejected with a reason, audit trail) with its sound:
the original stays private (PRIVATE storage, never under a public URL); the worker
(recordings.tasks) writes the public copies, peaks and spectrogram, and for soundscapes
the indices.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.gis.db import models
from django.core.files.storage import FileSystemStorage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from villages.logs.models import LogStatus, VillageLog


class PrivateStorage(FileSystemStorage):
    """Originals: a folder outside MEDIA_ROOT with no URL (settings.SOG_PRIVATE_MEDIA_ROOT,
    read when used, so a changed setting applies)."""

    @property
    def base_location(self):
        return settings.SOG_PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Originals have no URL: they are private.")


private_storage = PrivateStorage()


def original_path(instance, filename):
    # The uploaded name is never used (it may carry a place or a person's name).
    return f"recordings/{instance.client_uuid.hex}.orig"


class RecordingQuerySet(models.QuerySet):
    def public(self):
        """What anyone may hear: verified by AMO and processed."""
        return self.filter(status=LogStatus.VERIFIED, processing=Recording.Processing.READY)


class Recording(VillageLog):
    class Kind(models.TextChoices):
        PERFORMANCE = "performance", _("performance")
        REHEARSAL = "rehearsal", _("rehearsal")
        WORKSHOP = "workshop", _("workshop")
        SOUNDSCAPE = "soundscape", _("soundscape")
        INTERVIEW = "interview", _("interview")

    class Licence(models.TextChoices):
        CC_BY = "CC-BY-4.0", _("CC BY 4.0")
        CC_BY_NC = "CC-BY-NC-4.0", _("CC BY-NC 4.0")
        RESERVED = "all-rights-reserved", _("all rights reserved")

    class Processing(models.TextChoices):
        QUEUED = "queued", _("queued")
        PROCESSING = "processing", _("processing")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    # Kinds where people can be heard: their consent is required.
    CONSENT_KINDS = ("performance", "interview")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title_id = models.CharField(_("title (Bahasa Indonesia)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    attraction = models.ForeignKey(
        "tourism.Attraction",
        verbose_name=_("attraction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recordings",
    )
    event = models.ForeignKey(
        "tourism.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recordings",
    )
    place = models.PointField(_("place"), srid=4326)
    recorded_at = models.DateTimeField(_("recorded at"))
    duration_s = models.FloatField(_("duration (s)"))
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    licence = models.CharField(
        _("licence"), max_length=24, choices=Licence.choices, default=Licence.CC_BY
    )
    consent = models.BooleanField(
        _("performers' consent"),
        default=False,
        help_text=_(
            "The people heard agreed to publication (required for performances and interviews)."
        ),
    )
    synthesised = models.BooleanField(
        _("synthesised"),
        default=False,
        help_text=_("Made by a computer for the demo, not recorded in the field."),
    )

    original = models.FileField(
        _("original"), storage=private_storage, upload_to=original_path, max_length=200
    )
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(
        _("SHA-256 of the original"), max_length=64, blank=True, editable=False
    )
    source_codec = models.CharField(_("codec"), max_length=32, blank=True)

    processing = models.CharField(
        _("processing"), max_length=10, choices=Processing.choices, default=Processing.QUEUED
    )
    processing_error = models.TextField(_("processing error"), blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    # Public files (MEDIA_ROOT), named by a random folder per processing run.
    audio_opus = models.FileField(_("web copy (Opus)"), max_length=200, blank=True)
    audio_aac = models.FileField(_("web copy (AAC)"), max_length=200, blank=True)
    waveform = models.FileField(_("waveform peaks"), max_length=200, blank=True)
    spectrogram = models.FileField(_("spectrogram"), max_length=200, blank=True)
    loudness_lufs = models.FloatField(_("loudness (LUFS)"), null=True, blank=True)
    gain_db = models.FloatField(_("gain applied (dB)"), null=True, blank=True)
    indices = models.JSONField(_("soundscape indices"), null=True, blank=True)
    # The median NDSI of the windows, kept in a column for the scorecard's query.
    ndsi = models.FloatField(_("NDSI (median)"), null=True, blank=True)

    objects = RecordingQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        indexes = [models.Index(fields=["village", "status", "processing"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "verified", "rejected"]),
                name="recording_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["performance", "rehearsal", "workshop", "soundscape", "interview"]
                ),
                name="recording_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(processing__in=["queued", "processing", "ready", "failed"]),
                name="recording_processing_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["performance", "interview"]) | Q(consent=True),
                name="recording_consent_for_people",
            ),
            models.CheckConstraint(
                condition=Q(duration_s__gte=1) & Q(duration_s__lte=3600),
                name="recording_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(ndsi__isnull=True) | (Q(ndsi__gte=-1) & Q(ndsi__lte=1)),
                name="recording_ndsi_range",
            ),
        ]

    def __str__(self):
        return self.title or self.slug

    @property
    def title(self) -> str:
        en = (get_language() or "id").startswith("en")
        first, second = (self.title_en, self.title_id) if en else (self.title_id, self.title_en)
        return first or second

    def save(self, *args, **kwargs):
        # The log's date (the scorecard's period) is the day it was recorded, in WIT.
        if self.recorded_at is not None:
            self.date = timezone.localdate(self.recorded_at)
        super().save(*args, **kwargs)

    def public_files(self) -> list:
        return [f for f in (self.audio_opus, self.audio_aac, self.waveform, self.spectrogram) if f]
