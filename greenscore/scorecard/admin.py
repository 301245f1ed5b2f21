"""Admin for the scorecard tables: AMO edits the catalogue, village references, entered
values and plots here. Snapshots are read-only: a published scorecard never changes."""

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from .models import (
    Indicator,
    IndicatorValue,
    Plot,
    ScorecardSnapshot,
    TreeMeasurement,
    VillageIndicator,
)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_en",
        "pillar",
        "direction",
        "is_flow",
        "source",
        "default_baseline",
        "default_target",
        "default_weight",
        "is_active",
    )
    list_filter = ("pillar", "source", "direction", "is_flow", "is_active")
    search_fields = ("code", "name_en", "name_id")


@admin.register(VillageIndicator)
class VillageIndicatorAdmin(admin.ModelAdmin):
    list_display = (
        "village",
        "indicator",
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_year",
        "weight",
    )
    list_filter = ("indicator__pillar", "village__is_sog_site")
    autocomplete_fields = ("village", "indicator")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("village", "indicator", "period", "value", "source", "entered_by")
    list_filter = ("indicator", "period")
    autocomplete_fields = ("village", "indicator")
    readonly_fields = ("entered_by",)

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)


class TreeMeasurementInline(admin.TabularInline):
    model = TreeMeasurement
    extra = 0


@admin.register(Plot)
class PlotAdmin(LeafletGeoAdmin):
    list_display = ("name", "village", "area_m2", "established")
    readonly_fields = ("area_m2",)
    inlines = [TreeMeasurementInline]


@admin.register(ScorecardSnapshot)
class ScorecardSnapshotAdmin(admin.ModelAdmin):
    list_display = (
        "village",
        "period",
        "aggregation",
        "method_version",
        "is_current",
        "published_at",
        "published_by",
    )
    list_filter = ("period", "aggregation", "is_current")

    def has_add_permission(self, request):
        return False  # publish from the scorecard page, which freezes the inputs

    def has_change_permission(self, request, obj=None):
        return False
