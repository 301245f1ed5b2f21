"""What the action's form adds to its model fields (villages.logs.forms.form_for makes the
rest): the place drawn on a map, species rows with counts, a photo.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from leaflet.forms.widgets import LeafletWidget

from villages.logs.forms import LogForm

from .geometry_input import parse_geometry
from .models import Species

SPECIES_ROWS = 4


class GeoJSONFormField(forms.Field):
    """A geometry drawn on the map (django-leaflet's widget writes GeoJSON), checked like the API's."""

    widget = LeafletWidget(
        attrs={"geom_type": "GEOMETRY", "settings_overrides": {"DEFAULT_ZOOM": 13}}
    )

    def to_python(self, value):
        if value in (None, ""):
            return None
        if hasattr(value, "geom_type"):
            return value
        try:
            return parse_geometry(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class ActionFormBase(LogForm):
    geometry = GeoJSONFormField(label=_("Place: tap, draw a line or an area, or use my location"))
    photo = forms.FileField(label=_("Photo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        species = Species.objects.order_by("local_name")
        for n in range(1, SPECIES_ROWS + 1):
            self.fields[f"species_{n}"] = forms.ModelChoiceField(
                queryset=species, required=False, label=_("Species %(n)d") % {"n": n}
            )
            self.fields[f"count_{n}"] = forms.IntegerField(
                required=False, min_value=1, max_value=100_000, label=_("Count %(n)d") % {"n": n}
            )
        self._centre_map()
        if self.instance is not None and not self.is_bound:
            for n, sc in enumerate(
                self.instance.species_counts.select_related("species")[:SPECIES_ROWS], start=1
            ):
                self.initial[f"species_{n}"] = sc.species
                self.initial[f"count_{n}"] = sc.count

    def _centre_map(self) -> None:
        """Open the map on the log's village, or the coordinator's first village."""
        village = (
            self.instance.village
            if self.instance is not None
            else (self.fields["village"].queryset.filter(centre__isnull=False).first())
        )
        if village is not None and village.centre is not None:
            widget = self.fields["geometry"].widget
            # Leaflet takes (lat, lon).
            widget.attrs["settings_overrides"] = {
                "DEFAULT_CENTER": (village.centre.y, village.centre.x),
                "DEFAULT_ZOOM": 15,
            }

    def clean(self):
        cleaned = super().clean()
        rows = []
        for n in range(1, SPECIES_ROWS + 1):
            sp, count = cleaned.get(f"species_{n}"), cleaned.get(f"count_{n}")
            if sp and not count:
                self.add_error(f"count_{n}", _("How many were planted?"))
            elif count and not sp:
                self.add_error(f"species_{n}", _("Which species?"))
            elif sp and count:
                rows.append((sp, count))
        cleaned["species"] = rows
        return cleaned

    def species_rows(self):
        return [(self[f"species_{n}"], self[f"count_{n}"]) for n in range(1, SPECIES_ROWS + 1)]

    def error_target(self, field: str) -> str | None:
        if field == "species":
            return "species_1"
        return super().error_target(field)
