"""The coordinator's upload form (recordings/upload page): the same fields as the API."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.gis.geos import Point
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tourism.models import Attraction, Event
from villages import roles
from villages.logs.forms import LogForm
from villages.models import Village

from .models import Recording


class UploadForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    audio = forms.FileField(
        label=_("Sound file"),
        required=False,
        help_text=_(
            "WAV, FLAC, MP3, M4A, Ogg or WebM; 1 second to 60 minutes, at most "
            "200 MB. Or record with the button above."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=Village.objects.none(), to_field_name="slug"
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Recording.Kind.choices)
    title_id = forms.CharField(label=_("Title (Bahasa Indonesia)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    recorded_at = forms.DateTimeField(
        label=_("Recorded at (WIT)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    attraction = forms.ModelChoiceField(
        label=_("Attraction"),
        required=False,
        to_field_name="slug",
        queryset=Attraction.objects.order_by("name"),
    )
    event = forms.ModelChoiceField(
        label=_("Event"),
        required=False,
        to_field_name="slug",
        queryset=Event.objects.order_by("-starts_at"),
    )
    licence = forms.ChoiceField(
        label=_("Licence"), choices=Recording.Licence.choices, initial=Recording.Licence.CC_BY
    )
    credit = forms.CharField(label=_("Credit"), max_length=200, required=False)
    consent = forms.BooleanField(
        label=_("The performers (or the person interviewed) agree to publication"), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        villages = Village.objects.order_by("name")
        if not roles.is_reviewer(user):
            villages = villages.filter(pk__in=roles.coordinated_village_ids(user))
        self.fields["village"].queryset = villages
        # Only places of the villages one may file for (the service checks the pair).
        self.fields["attraction"].queryset = Attraction.objects.filter(
            village__in=villages
        ).order_by("name")
        self.fields["event"].queryset = Event.objects.filter(village__in=villages).order_by(
            "-starts_at"
        )

    def clean_audio(self):
        audio = self.cleaned_data.get("audio")
        if not audio:
            raise forms.ValidationError(_("Choose a sound file or record one."))
        return audio

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("audio")
        data["place"] = Point(data.pop("longitude"), data.pop("latitude"), srid=4326)
        return data


class RecordingEditForm(LogForm):
    """The base of the derived edit form (/coordinator/recordings/<id>/edit/), with the upload
    page's inputs: the recording time in WIT (the date is its day, as Recording.save makes
    it, so it is not asked for) and the place as longitude and latitude (no map widget that
    would load tiles from elsewhere)."""

    date = forms.DateField(required=False, widget=forms.HiddenInput)
    recorded_at = UploadForm.base_fields["recorded_at"]
    place = forms.Field(required=False, widget=forms.HiddenInput)  # from the two below
    longitude = UploadForm.base_fields["longitude"]
    latitude = UploadForm.base_fields["latitude"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.pop("place", None)
        if self.instance is not None and self.instance.place is not None:
            self.initial.setdefault("longitude", self.instance.place.x)
            self.initial.setdefault("latitude", self.instance.place.y)
        order = [name for name in self.fields if name not in ("longitude", "latitude")]
        at = order.index("place") + 1
        self.order_fields([*order[:at], "longitude", "latitude", *order[at:]])

    def clean(self):
        cleaned = super().clean()
        recorded_at = cleaned.get("recorded_at")
        if recorded_at is not None:
            cleaned["date"] = timezone.localdate(recorded_at)
        lon, lat = cleaned.get("longitude"), cleaned.get("latitude")
        if lon is not None and lat is not None:
            cleaned["place"] = Point(lon, lat, srid=4326)
        return cleaned

    def error_target(self, field: str) -> str | None:
        if field in ("place", "geometry"):
            return "longitude"
        return super().error_target(field)
