"""Phone-friendly forms for a village's listings. They read the input; tourism.editing judges it.

The place is tapped on a map (django-leaflet's widget writes GeoJSON, checked by
villages.geometry_input like a conservation action's), both languages' texts sit side
by side, and one photo with its captions may come with each save.
"""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from leaflet.forms.widgets import LeafletWidget

from villages import roles
from villages.geometry_input import parse_geometry

from .editing import KINDS, price_range_problem
from .models import Attraction, Event, Homestay, Trail


class GeometryInput(forms.Field):
    """A point or a line drawn on the map, parsed and checked as the actions' API does."""

    def __init__(self, *, geom_type: str, **kwargs):
        self.geom_type = geom_type
        kwargs.setdefault(
            "widget",
            LeafletWidget(
                attrs={
                    "geom_type": geom_type.upper(),
                    "settings_overrides": {"DEFAULT_ZOOM": 14},
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        if hasattr(value, "geom_type"):
            return value
        try:
            geom = parse_geometry(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        if geom.geom_type != self.geom_type:
            message = (
                _("Tap the map once to place a point.")
                if self.geom_type == "Point"
                else _("Draw the trail as one line on the map.")
            )
            raise ValidationError(message, code="wrong_type")
        return geom


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ListingForm(forms.ModelForm):
    """What every listing form shares: the user's villages, a map centred on them, a photo."""

    photo = forms.FileField(
        label=_("Add a photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP. Location data and other metadata are removed."),
    )
    photo_caption_id = forms.CharField(
        label=_("Photo caption (Bahasa Indonesia)"), required=False, max_length=200
    )
    photo_caption_en = forms.CharField(
        label=_("Photo caption (English)"), required=False, max_length=200
    )

    geometry_name = "location"
    geom_type = "Point"
    geometry_label = _("Place: tap the map, or use my location")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        villages = roles.villages_for_listings(user).order_by("name")
        if self.instance.pk:  # AMO may edit anywhere; a coordinator keeps the listing's own
            villages = (
                (villages | type(self.instance.village).objects.filter(pk=self.instance.village_id))
                .distinct()
                .order_by("name")
            )
        self.fields["village"].queryset = villages
        if not self.instance.pk and villages.count() == 1:
            self.fields["village"].initial = villages.first()
        name = self.geometry_name
        required = self.fields[name].required if name in self.fields else True
        self.fields[name] = GeometryInput(
            geom_type=self.geom_type, required=required, label=self.geometry_label
        )
        if self.instance.pk:
            self.initial[name] = getattr(self.instance, name)
        self._centre_map(villages)

    def _centre_map(self, villages) -> None:
        village = (
            self.instance.village
            if self.instance.pk
            else villages.filter(centre__isnull=False).first()
        )
        if village is not None and village.centre is not None:
            self.fields[self.geometry_name].widget.attrs["settings_overrides"] = {
                "DEFAULT_CENTER": (village.centre.y, village.centre.x),  # Leaflet: (lat, lon)
                "DEFAULT_ZOOM": 15,
            }

    def clean(self):
        cleaned = super().clean()
        captions = cleaned.get("photo_caption_id") or cleaned.get("photo_caption_en")
        if captions and not cleaned.get("photo") and "photo" not in self.errors:
            self.add_error("photo", _("Choose the photo these captions describe."))
        return cleaned

    def listing_data(self) -> dict:
        """The cleaned values the service applies (no photo, no slug)."""
        skip = {"photo", "photo_caption_id", "photo_caption_en"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        else:
            for message in exc.messages:
                self.add_error(None, message)


TEXT = {
    "description_id": forms.Textarea(attrs={"rows": 4}),
    "description_en": forms.Textarea(attrs={"rows": 4}),
}


class ContactForm(ListingForm):
    website = forms.URLField(
        label=capfirst(_("website")), required=False, max_length=200, assume_scheme="https"
    )


class AttractionForm(ContactForm):
    class Meta:
        model = Attraction
        fields = KINDS["attractions"].fields
        widgets: ClassVar[dict] = {
            **TEXT,
            "instruments": forms.CheckboxSelectMultiple,
            "accessibility": forms.Textarea(attrs={"rows": 2}),
        }


class HomestayForm(ContactForm):
    class Meta:
        model = Homestay
        fields = KINDS["homestays"].fields
        widgets = TEXT

    def clean(self):
        cleaned = super().clean()
        problem = price_range_problem(cleaned.get("price_from_idr"), cleaned.get("price_to_idr"))
        if problem:
            self.add_error("price_to_idr", problem)
        return cleaned


class EventForm(ListingForm):
    geometry_label = _("Place, when not at the attraction: tap the map")

    class Meta:
        model = Event
        fields = KINDS["events"].fields
        widgets: ClassVar[dict] = {
            **TEXT,
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        villages = self.fields["village"].queryset
        self.fields["attraction"].queryset = (
            Attraction.objects.filter(village__in=villages)
            .select_related("village")
            .order_by("village__name", "name")
        )
        self.fields["attraction"].label_from_instance = lambda a: f"{a.name} · {a.village.name}"
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class TrailForm(ListingForm):
    geometry_name = "path"
    geom_type = "LineString"
    geometry_label = _("Path: draw the trail as a line on the map")

    class Meta:
        model = Trail
        fields = KINDS["trails"].fields
        widgets = TEXT


FORMS = {
    "attractions": AttractionForm,
    "homestays": HomestayForm,
    "events": EventForm,
    "trails": TrailForm,
}


class PublishForm(forms.Form):
    """AMO's decision on one listing."""

    published = forms.TypedChoiceField(
        choices=[("1", _("Publish")), ("0", _("Unpublish"))], coerce=lambda v: v == "1"
    )
