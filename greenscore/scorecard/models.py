"""The impact scorecard's tables: indicator catalogue, per-village references, entered values,
permanent plots with tree measurements, and frozen snapshots.

Re-exported by greenscore/models.py, the app's models module for Django.
The village's confirmed tourism stage stays on villages.Village.tourism_stage: a snapshot
only stores the *suggested* stage.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from villages.i18n import BilingualField

from .computations import COMPUTATIONS
from .periods import Period

_YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


def validate_period_label(value: str) -> None:
    """A stored period must be canonical (2026, 2026-Q2, 2026-05) so lookups match exactly."""
    try:
        period = Period.parse(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if period.label != value:
        raise ValidationError(_("Write the period as %(label)s.") % {"label": period.label})


class Indicator(models.Model):
    class Pillar(models.TextChoices):
        SOCIAL = "social", _("social")
        ECONOMIC = "economic", _("economic")
        ENVIRONMENTAL = "environmental", _("environmental")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("higher is better")
        LOWER = "lower", _("lower is better")
        BAND = "band", _("best at the target (band)")

    class Source(models.TextChoices):
        COMPUTED = "computed", _("computed from verified logs")
        ENTERED = "entered", _("entered per period (survey or account)")

    code = models.CharField(_("code"), max_length=64, unique=True)
    name_id = models.CharField(_("name (Bahasa Indonesia)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    definition_id = models.TextField(_("definition (Bahasa Indonesia)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    pillar = models.CharField(_("pillar"), max_length=16, choices=Pillar.choices)
    unit_id = models.CharField(_("unit (Bahasa Indonesia)"), max_length=32, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=32, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    is_flow = models.BooleanField(
        _("flow"),
        default=True,
        help_text=_(
            "A flow adds up over a period; its annual baseline and target are scaled "
            "to the period's share of the year. A stock or ratio is not scaled."
        ),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    computation = models.CharField(
        _("computation"),
        max_length=64,
        blank=True,
        help_text=_("Name of the computation in greenscore.aggregations (computed only)."),
    )
    anchor = models.CharField(
        _("anchor"),
        max_length=200,
        blank=True,
        help_text=_("ETIS, GSTC, INSTO or Culture|2030 reference."),
    )
    default_baseline = models.FloatField(_("default baseline"))
    default_baseline_year = models.PositiveSmallIntegerField(_("baseline year"), validators=_YEAR)
    default_target = models.FloatField(_("default target"))
    default_target_year = models.PositiveSmallIntegerField(_("target year"), validators=_YEAR)
    default_weight = models.FloatField(
        _("default weight"), default=1.0, validators=[MinValueValidator(0.0)]
    )
    min_value = models.FloatField(
        _("lowest possible value"),
        null=True,
        blank=True,
        help_text=_("Entered values below it are refused."),
    )
    max_value = models.FloatField(
        _("highest possible value"),
        null=True,
        blank=True,
        help_text=_("Entered values above it are refused (e.g. 100 for an index out of 100)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pillar", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(pillar__in=["social", "economic", "environmental"]),
                name="indicator_pillar_valid",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["higher", "lower", "band"]),
                name="indicator_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["computed", "entered"]), name="indicator_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(default_weight__gte=0), name="indicator_weight_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="indicator_value_range_ordered",
            ),
            # A computed indicator must name its computation; an entered one has none.
            models.CheckConstraint(
                condition=(Q(source="computed") & ~Q(computation=""))
                | (Q(source="entered") & Q(computation="")),
                name="indicator_computation_matches_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    name = BilingualField("name")
    unit = BilingualField("unit")
    definition = BilingualField("definition")

    def clean(self):
        errors = {}
        if self.source == self.Source.COMPUTED:
            if self.computation not in COMPUTATIONS:
                errors["computation"] = _("Unknown computation; choose one of: %(names)s.") % {
                    "names": ", ".join(sorted(COMPUTATIONS))
                }
        elif self.computation:
            errors["computation"] = _("An entered indicator has no computation.")
        _check_direction(
            errors, self.direction, self.default_baseline, self.default_target, "default_target"
        )
        if errors:
            raise ValidationError(errors)


def _check_direction(errors, direction, baseline, target, field) -> None:
    # The method refuses a higher-is-better target below its baseline (it would reward
    # the wrong way); say so on the form rather than later as a failing scorecard.
    if baseline is None or target is None:
        return
    if direction == "higher" and target < baseline:
        errors[field] = _("A higher-is-better indicator needs a target at or above its baseline.")
    if direction == "lower" and target > baseline:
        errors[field] = _("A lower-is-better indicator needs a target at or below its baseline.")


class VillageIndicator(models.Model):
    """A village's own baseline, target and weight; an empty field falls back to the default."""

    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="indicator_settings",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="village_settings",
    )
    baseline_value = models.FloatField(_("baseline"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=_YEAR
    )
    target_value = models.FloatField(_("target"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(
        _("target year"), null=True, blank=True, validators=_YEAR
    )
    weight = models.FloatField(
        _("weight"), null=True, blank=True, validators=[MinValueValidator(0.0)]
    )

    class Meta:
        verbose_name = _("village indicator setting")
        verbose_name_plural = _("village indicator settings")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "indicator"], name="village_indicator_unique"
            ),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=0),
                name="village_indicator_weight_not_negative",
            ),
        ]

    def clean(self):
        errors = {}
        if self.indicator_id:
            ind = self.indicator
            baseline = ind.default_baseline if self.baseline_value is None else self.baseline_value
            target = ind.default_target if self.target_value is None else self.target_value
            _check_direction(errors, ind.direction, baseline, target, "target_value")
        if errors:
            raise ValidationError(errors)


class IndicatorValue(models.Model):
    """A value entered for one village, indicator and period (IKM survey, SROI study...)."""

    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    period = models.CharField(
        _("period"),
        max_length=7,
        validators=[validate_period_label],
        help_text=_("2026, 2026-Q2 or 2026-05"),
    )
    value = models.FloatField(_("value"))
    source = models.CharField(
        _("source"), max_length=200, help_text=_("Survey, study or account the value comes from.")
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["village", "indicator", "period"]
        verbose_name = _("entered indicator value")
        verbose_name_plural = _("entered indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "indicator", "period"], name="indicator_value_unique"
            ),
        ]

    def clean(self):
        if not self.indicator_id:
            return
        ind = self.indicator
        if ind.source != Indicator.Source.ENTERED:
            raise ValidationError(
                {
                    "indicator": _(
                        "This indicator is computed from verified logs; it cannot be entered."
                    )
                }
            )
        if self.value is not None:
            if ind.min_value is not None and self.value < ind.min_value:
                raise ValidationError(
                    {"value": _("The lowest possible value is %(low)s.") % {"low": ind.min_value}}
                )
            if ind.max_value is not None and self.value > ind.max_value:
                raise ValidationError(
                    {
                        "value": _("The highest possible value is %(high)s.")
                        % {"high": ind.max_value}
                    }
                )


class Plot(models.Model):
    """A permanent measurement plot (petak ukur permanen) for carbon stock."""

    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="plots",
    )
    name = models.CharField(_("name"), max_length=120)
    polygon = models.PolygonField(_("polygon"), srid=4326)
    area_m2 = models.FloatField(
        _("area (m²)"), editable=False, default=0, help_text=_("Computed in UTM zone 52S.")
    )
    established = models.DateField(_("established"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["village", "name"]
        verbose_name = _("permanent plot")
        verbose_name_plural = _("permanent plots")
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="plot_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.village})"

    def save(self, *args, **kwargs):
        from villages.geo import metric_area_m2

        # Metric area, never square degrees: per-hectare figures depend on it.
        self.area_m2 = metric_area_m2(self.polygon)
        super().save(*args, **kwargs)


class TreeMeasurement(models.Model):
    """One tree measured in one census of a plot."""

    plot = models.ForeignKey(
        Plot, verbose_name=_("plot"), on_delete=models.CASCADE, related_name="measurements"
    )
    census_date = models.DateField(_("census date"))
    census_label = models.CharField(
        _("census"), max_length=40, blank=True, help_text=_("e.g. 2025 baseline census")
    )
    tree_tag = models.CharField(_("tree tag"), max_length=20)
    species = models.ForeignKey(
        "greenscore.Species", verbose_name=_("species"), on_delete=models.PROTECT, related_name="+"
    )
    dbh_cm = models.FloatField(
        _("diameter at breast height (cm)"),
        validators=[MinValueValidator(0.1), MaxValueValidator(500)],
    )
    height_m = models.FloatField(
        _("height (m)"), validators=[MinValueValidator(0.1), MaxValueValidator(120)]
    )

    class Meta:
        ordering = ["plot", "census_date", "tree_tag"]
        verbose_name = _("tree measurement")
        verbose_name_plural = _("tree measurements")
        indexes = [models.Index(fields=["plot", "census_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["plot", "census_date", "tree_tag"], name="tree_measurement_unique"
            ),
            models.CheckConstraint(
                condition=Q(dbh_cm__gt=0) & Q(dbh_cm__lte=500), name="tree_dbh_plausible"
            ),
            models.CheckConstraint(
                condition=Q(height_m__gt=0) & Q(height_m__lte=120), name="tree_height_plausible"
            ),
        ]


class ScorecardSnapshotQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class ScorecardSnapshot(models.Model):
    """A published scorecard: frozen inputs and results. History is kept; one is current."""

    class Aggregation(models.TextChoices):
        ARITHMETIC = "arithmetic", _("arithmetic mean")
        GEOMETRIC = "geometric", _("geometric mean")

    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="scorecard_snapshots",
    )
    period = models.CharField(_("period"), max_length=7, validators=[validate_period_label])
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.ARITHMETIC
    )
    method_version = models.CharField(_("method version"), max_length=16)
    inputs = models.JSONField(_("frozen inputs"))
    results = models.JSONField(_("results"))
    is_current = models.BooleanField(_("current"), default=True)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )

    objects = ScorecardSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["village", "period", "-published_at", "-id"]
        verbose_name = _("scorecard snapshot")
        verbose_name_plural = _("scorecard snapshots")
        constraints = [
            models.CheckConstraint(
                condition=Q(aggregation__in=["arithmetic", "geometric"]),
                name="snapshot_aggregation_valid",
            ),
            # Republishing keeps the old snapshot for the record but only one is current.
            models.UniqueConstraint(
                fields=["village", "period", "aggregation"],
                condition=Q(is_current=True),
                name="snapshot_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} · {self.period} · {self.aggregation}"
