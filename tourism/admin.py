"""Admin for every tourism model: Leaflet map widgets (also in inlines) and photo inlines."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin, LeafletGeoAdminMixin

from villages.logs.admin import LogAdmin

from .forms import PhotoForm
from .models import (
    Attraction,
    Event,
    EventReport,
    GuestStay,
    Homestay,
    Instrument,
    Photo,
    Trail,
    TrailStop,
)


def _thumb(photo):
    if photo and photo.thumbnail:
        return format_html('<img src="{}" alt="" height="80">', photo.thumbnail.url)
    return "—"


class PhotoInline(GenericTabularInline):
    model = Photo
    form = PhotoForm
    extra = 1
    fields = ("preview", "upload", "caption_id", "caption_en", "order")
    readonly_fields = ("preview",)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return _thumb(obj)


class PublishedAdmin(LeafletGeoAdmin):
    list_filter = ("published", "village")
    search_fields = ("name", "slug", "description_id", "description_en")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("village",)
    inlines = [PhotoInline]
    actions = ["publish", "unpublish"]
    # Django 6 makes https the default scheme for typed-in URLs; take it now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.action(description=_("Publish the selected items"))
    def publish(self, request, queryset):
        queryset.update(published=True)

    @admin.action(description=_("Unpublish the selected items"))
    def unpublish(self, request, queryset):
        queryset.update(published=False)


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_id", "name_en")
    search_fields = ("slug", "name_id", "name_en")


@admin.register(Attraction)
class AttractionAdmin(PublishedAdmin):
    list_display = (
        "name",
        "category",
        "village",
        "price_idr",
        "location_is_approximate",
        "published",
    )
    list_filter = ("published", "category", "instruments", "village")
    filter_horizontal = ("instruments",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "village", "category", "instruments", "published")}),
        (_("Map"), {"fields": ("location", "location_is_approximate")}),
        (
            _("Descriptions"),
            {
                "fields": (
                    "description_id",
                    "description_en",
                    "opening_hours",
                    "price_idr",
                    "accessibility",
                )
            },
        ),
        (_("Contact"), {"fields": ("phone", "email", "email_enquiries", "website")}),
    )


@admin.register(Homestay)
class HomestayAdmin(PublishedAdmin):
    list_display = (
        "name",
        "village",
        "rooms",
        "beds",
        "price_from_idr",
        "price_to_idr",
        "published",
    )
    search_fields = (*PublishedAdmin.search_fields, "host_name", "amenities")
    fieldsets = (
        (None, {"fields": ("name", "slug", "village", "host_name", "published")}),
        (_("Map"), {"fields": ("location", "location_is_approximate")}),
        (
            _("Rooms and prices"),
            {"fields": ("rooms", "beds", "price_from_idr", "price_to_idr", "amenities")},
        ),
        (_("Descriptions"), {"fields": ("description_id", "description_en")}),
        (_("Contact"), {"fields": ("phone", "email", "email_enquiries", "website")}),
    )


@admin.register(Event)
class EventAdmin(PublishedAdmin):
    list_display = (
        "__str__",
        "starts_at",
        "ends_at",
        "recurrence",
        "village",
        "attraction",
        "published",
    )
    list_filter = ("published", "village")
    search_fields = ("title_id", "title_en", "slug", "description_id", "description_en")
    prepopulated_fields = {"slug": ("title_id",)}
    autocomplete_fields = ("village", "attraction")
    date_hierarchy = "starts_at"
    readonly_fields = ("series_ends_at",)


class TrailStopInline(LeafletGeoAdminMixin, admin.StackedInline):
    model = TrailStop
    extra = 0
    fields = ("order", "name_id", "name_en", "location", "attraction")
    autocomplete_fields = ("attraction",)


@admin.register(Trail)
class TrailAdmin(PublishedAdmin):
    list_display = ("name", "village", "length_m", "difficulty", "path_is_approximate", "published")
    list_filter = ("published", "difficulty", "village")
    readonly_fields = ("length_m",)
    inlines = [TrailStopInline, PhotoInline]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ("__str__", "content_type", "object_id", "order", "width", "height", "preview")
    list_filter = ("content_type",)
    readonly_fields = ("preview",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = type(
            "PhotoAdminForm",
            (PhotoForm,),
            {
                "Meta": type(
                    "Meta",
                    (PhotoForm.Meta,),
                    {"fields": ["content_type", "object_id", *PhotoForm.Meta.fields]},
                ),
            },
        )
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return [
            "preview",
            "content_type",
            "object_id",
            "upload",
            "caption_id",
            "caption_en",
            "order",
        ]

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return _thumb(obj)


@admin.register(GuestStay)
class GuestStayAdmin(LogAdmin):
    list_display = (
        "date",
        "homestay",
        "village",
        "nights",
        "guests_domestic",
        "guests_foreign",
        "revenue_idr",
        "status",
    )
    autocomplete_fields = ("village", "homestay")


@admin.register(EventReport)
class EventReportAdmin(LogAdmin):
    list_display = (
        "date",
        "kind",
        "event",
        "title",
        "village",
        "audience",
        "revenue_idr",
        "status",
    )
    autocomplete_fields = ("village", "event")


# Villages get photos too. villages does not import tourism, so tourism extends the
# village admin with its photo inline (the usual way to add to another app's admin).
from villages.admin import VillageAdmin  # noqa: E402
from villages.models import Village  # noqa: E402

admin.site.unregister(Village)


@admin.register(Village)
class VillageWithPhotosAdmin(VillageAdmin):
    inlines = [*VillageAdmin.inlines, PhotoInline]
