"""Conservation actions logged by village coordinators, and the species they plant."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from villages.images import PhotoPath
from villages.logs.models import LogStatus, VillageLog


class Species(models.Model):
    class InstrumentUse(models.TextChoices):
        NONE = "", _("none")
        SULING = "suling", _("suling (bamboo flute)")
        TIFA = "tifa", _("tifa and rebana (drums)")
        OTHER = "other", _("other instrument")

    local_name = models.CharField(_("local name"), max_length=80)
    scientific_name = models.CharField(_("scientific name"), max_length=120, unique=True)
    instrument_use = models.CharField(
        _("instrument use"), max_length=10, choices=InstrumentUse.choices, blank=True
    )
    wood_density_g_cm3 = models.FloatField(
        _("wood density (g/cm³)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.05), MaxValueValidator(1.5)],
    )

    class Meta:
        ordering = ["local_name"]
        verbose_name = _("species")
        verbose_name_plural = _("species")

    def __str__(self):
        return f"{self.local_name} ({self.scientific_name})"


class ConservationAction(VillageLog):
    """A conservation action a coordinator logged (the kind: greenscore/logkinds.py)."""

    class Kind(models.TextChoices):
        TREE_PLANTING = "tree_planting", _("tree planting")
        BAMBOO_PLANTING = "bamboo_planting", _("bamboo planting")
        MANGROVE_PLANTING = "mangrove_planting", _("mangrove planting")
        CLEANUP = "cleanup", _("beach or river clean-up")
        WASTE_BANK = "waste_bank", _("waste-bank deposit")
        NURSERY = "nursery", _("nursery")
        PLOT_MEASUREMENT = "plot_measurement", _("plot measurement")
        MUSIC_SESSION = "music_session", _("environmental music session or lesson")
        OTHER = "other", _("other")

    class Unit(models.TextChoices):
        SEEDLINGS = "seedlings", _("seedlings")
        KG = "kg", _("kg")
        M2 = "m2", _("m²")
        SESSIONS = "sessions", _("sessions")
        NONE = "", _("none")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    geometry = models.GeometryField(_("place"), srid=4326)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, blank=True)
    area_m2 = models.FloatField(
        _("area (m²)"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Of a drawn polygon, in UTM 52S."),
    )
    participants_total = models.PositiveIntegerField(
        _("participants"), default=0, validators=[MaxValueValidator(1_000_000)]
    )
    participants_women = models.PositiveIntegerField(
        _("of whom women"), default=0, validators=[MaxValueValidator(1_000_000)]
    )
    participants_youth = models.PositiveIntegerField(
        _("of whom youth"), default=0, validators=[MaxValueValidator(1_000_000)]
    )
    participants_visitors = models.PositiveIntegerField(
        _("of whom visitors"), default=0, validators=[MaxValueValidator(1_000_000)]
    )
    volunteer_hours = models.DecimalField(
        _("volunteer hours"),
        max_digits=9,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )

    class Meta(VillageLog.Meta):
        verbose_name = _("conservation action")
        verbose_name_plural = _("conservation actions")
        indexes = [models.Index(fields=["village", "status", "date"])]
        constraints = [
            VillageLog.status_valid("action_status_valid"),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "tree_planting",
                        "bamboo_planting",
                        "mangrove_planting",
                        "cleanup",
                        "waste_bank",
                        "nursery",
                        "plot_measurement",
                        "music_session",
                        "other",
                    ]
                ),
                name="action_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="action_quantity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(participants_women__lte=models.F("participants_total"))
                & Q(participants_youth__lte=models.F("participants_total"))
                & Q(participants_visitors__lte=models.F("participants_total")),
                name="action_participant_parts_within_total",
            ),
            models.CheckConstraint(
                condition=Q(status=LogStatus.REJECTED) | Q(rejection_reason=""),
                name="action_reason_only_when_rejected",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.village} · {self.date}"


class ActionSpecies(models.Model):
    action = models.ForeignKey(
        ConservationAction, on_delete=models.CASCADE, related_name="species_counts"
    )
    species = models.ForeignKey(Species, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(
        _("count"), validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "species"], name="action_species_unique"),
            models.CheckConstraint(condition=Q(count__gte=1), name="action_species_count_positive"),
        ]


class ActionPhoto(models.Model):
    action = models.ForeignKey(ConservationAction, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=PhotoPath("actions"))
    thumbnail = models.ImageField(upload_to=PhotoPath("actions/thumbs"))
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
