from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from .models import AuditEntry, DatasetLoad, District, Membership, Village


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Village)
class VillageAdmin(LeafletGeoAdmin):
    list_display = (
        "name",
        "code",
        "kind",
        "district",
        "is_sog_site",
        "tourism_stage",
        "geometry_is_approximate",
    )
    list_filter = ("kind", "district", "is_sog_site", "tourism_stage", "geometry_is_approximate")
    search_fields = ("name", "code", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "code", "kind", "parent", "district")}),
        ("Map", {"fields": ("boundary", "centre", "geometry_is_approximate")}),
        (
            "Facts",
            {"fields": ("population", "households", "elevation_m", "tourism_stage", "is_sog_site")},
        ),
        ("Descriptions", {"fields": ("description_id", "description_en")}),
    )


@admin.register(DatasetLoad)
class DatasetLoadAdmin(admin.ModelAdmin):
    list_display = ("name", "loaded_at", "checksum")
    readonly_fields = ("name", "loaded_at", "checksum")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "village", "created_at")
    list_filter = ("village",)
    search_fields = ("user__username", "village__name")
    autocomplete_fields = ("village",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail, read-only for everyone (AMO reviewers have only the view permission)."""

    list_display = ("at", "actor_username", "action", "content_type", "object_repr", "village")
    list_filter = ("action", "content_type", "village")
    search_fields = ("actor_username", "object_repr")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
