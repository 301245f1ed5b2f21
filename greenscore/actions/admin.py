from django.contrib import admin
from leaflet.admin import LeafletGeoAdminMixin

from villages.logs.admin import LogAdmin

from .models import ActionPhoto, ActionSpecies, ConservationAction, Species


@admin.register(Species)
class SpeciesAdmin(admin.ModelAdmin):
    list_display = ("local_name", "scientific_name", "instrument_use", "wood_density_g_cm3")
    search_fields = ("local_name", "scientific_name")


class ActionSpeciesInline(admin.TabularInline):
    model = ActionSpecies
    extra = 0
    autocomplete_fields = ("species",)


class ActionPhotoInline(admin.TabularInline):
    model = ActionPhoto
    extra = 0
    fields = ("image", "thumbnail", "caption")
    readonly_fields = ("image", "thumbnail")


@admin.register(ConservationAction)
class ConservationActionAdmin(LeafletGeoAdminMixin, LogAdmin):
    """For administrators; coordinators and reviewers work in /coordinator/ and /review/."""

    list_display = ("date", "village", "kind", "quantity", "unit", "status", "author")
    list_filter = ("status", "kind", "village")
    search_fields = ("village__name", "notes", "author__username")
    readonly_fields = (
        "client_uuid",
        "area_m2",
        "reviewed_by",
        "reviewed_at",
        "author",
        "created_at",
        "updated_at",
    )
    inlines = [ActionSpeciesInline, ActionPhotoInline]
