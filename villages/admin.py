from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from .models import DatasetLoad, District, Village


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Village)
class VillageAdmin(LeafletGeoAdmin):
    list_display = ("name", "code", "kind", "district", "is_sog_site", "tourism_stage", "geometry_is_approximate")
    list_filter = ("kind", "district", "is_sog_site", "tourism_stage", "geometry_is_approximate")
    search_fields = ("name", "code", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "code", "kind", "parent", "district")}),
        ("Map", {"fields": ("boundary", "centre", "geometry_is_approximate")}),
        ("Facts", {"fields": ("population", "households", "elevation_m", "tourism_stage", "is_sog_site")}),
        ("Descriptions", {"fields": ("description_id", "description_en")}),
    )


@admin.register(DatasetLoad)
class DatasetLoadAdmin(admin.ModelAdmin):
    list_display = ("name", "loaded_at", "checksum")
    readonly_fields = ("name", "loaded_at", "checksum")
