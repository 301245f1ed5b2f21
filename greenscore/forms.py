"""Phone-friendly forms for the coordinators' logs. They only type the input; the services judge it.

Each form carries a hidden client_uuid generated when the blank form is
shown, so a double tap on "Save" or a resent form stores one log, exactly as
the API's retries do.
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from leaflet.forms.widgets import LeafletWidget

from tourism.models import Event, EventReport, Homestay
from villages import roles

from .geometry_input import parse_geometry
from .models import ConservationAction, Species

SPECIES_ROWS = 4


class DateInput(forms.DateInput):
    input_type = "date"


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


class LogForm(forms.Form):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    village = forms.ModelChoiceField(queryset=None, label=_("Village"))
    date = forms.DateField(label=_("Date"), widget=DateInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = roles.villages_for_filing(user).order_by("name")
        if instance is None:
            self.fields["client_uuid"].initial = uuid.uuid4()
        else:
            self.fields["client_uuid"].required = False
            self.fields["village"].queryset = (
                self.fields["village"].queryset
                | type(instance.village).objects.filter(pk=instance.village_id)
            ).distinct()
        if self.fields["village"].queryset.count() == 1:
            self.fields["village"].initial = self.fields["village"].queryset.first()

    def initial_from(self, instance) -> dict:
        return {
            name: getattr(instance, name) for name in self.base_fields if hasattr(instance, name)
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if self.instance is not None:
            data.pop("client_uuid", None)
        return data

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError on the fields it names (or on the form)."""
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                target = field if field in self.fields else None
                if field == "species" and "species_1" in self.fields:
                    target = "species_1"
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in exc.messages:
                self.add_error(None, message)


class ActionForm(LogForm):
    kind = forms.ChoiceField(label=_("What was done"), choices=ConservationAction.Kind.choices)
    geometry = GeoJSONFormField(label=_("Place: tap, draw a line or an area, or use my location"))
    quantity = forms.DecimalField(
        label=_("Quantity"), required=False, max_digits=12, decimal_places=2
    )
    unit = forms.ChoiceField(
        label=_("Unit"), required=False, choices=ConservationAction.Unit.choices
    )
    participants_total = forms.IntegerField(
        label=_("Participants"), min_value=0, max_value=1_000_000, initial=0
    )
    participants_women = forms.IntegerField(
        label=_("of whom women"), min_value=0, max_value=1_000_000, initial=0
    )
    participants_youth = forms.IntegerField(
        label=_("of whom youth"), min_value=0, max_value=1_000_000, initial=0
    )
    participants_visitors = forms.IntegerField(
        label=_("of whom visitors"), min_value=0, max_value=1_000_000, initial=0
    )
    volunteer_hours = forms.DecimalField(
        label=_("Volunteer hours"), min_value=0, max_digits=9, decimal_places=1, initial=0
    )
    photo = forms.FileField(label=_("Photo"), required=False)

    field_order = [
        "client_uuid",
        "village",
        "kind",
        "date",
        "geometry",
        "quantity",
        "unit",
        "participants_total",
        "participants_women",
        "participants_youth",
        "participants_visitors",
        "volunteer_hours",
        "photo",
        "notes",
    ]

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

    def service_data(self) -> dict:
        data = super().service_data()
        for n in range(1, SPECIES_ROWS + 1):
            data.pop(f"species_{n}", None)
            data.pop(f"count_{n}", None)
        data.pop("photo", None)
        for name in (
            "participants_total",
            "participants_women",
            "participants_youth",
            "participants_visitors",
        ):
            if data.get(name) is None:
                data[name] = 0
        if data.get("volunteer_hours") is None:
            data["volunteer_hours"] = 0
        data["unit"] = data.get("unit") or ""
        return data


class GuestStayForm(LogForm):
    homestay = forms.ModelChoiceField(queryset=None, label=_("Homestay"))
    nights = forms.IntegerField(label=_("Nights"), min_value=1, max_value=365)
    guests_domestic = forms.IntegerField(
        label=_("Guests from Indonesia"), min_value=0, max_value=500, initial=0
    )
    guests_foreign = forms.IntegerField(
        label=_("Guests from abroad"), min_value=0, max_value=500, initial=0
    )
    revenue_idr = forms.IntegerField(
        label=_("Revenue (IDR)"), min_value=0, max_value=10_000_000_000, initial=0
    )

    field_order = ["client_uuid", "village", "homestay", "date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("Arrival date")
        villages = self.fields["village"].queryset
        self.fields["homestay"].queryset = Homestay.objects.filter(village__in=villages).order_by(
            "name"
        )


class EventReportForm(LogForm):
    kind = forms.ChoiceField(label=_("What took place"), choices=EventReport.Kind.choices)
    event = forms.ModelChoiceField(queryset=None, required=False, label=_("Listed event"))
    title = forms.CharField(
        label=_("Title (when not a listed event)"), required=False, max_length=200
    )
    audience = forms.IntegerField(label=_("Audience"), min_value=0, max_value=100_000, initial=0)
    local_performers_paid = forms.IntegerField(
        label=_("Local performers paid"), min_value=0, max_value=5_000, initial=0
    )
    participants_youth = forms.IntegerField(
        label=_("Participants who are youth"), min_value=0, max_value=100_000, initial=0
    )
    participants_women = forms.IntegerField(
        label=_("Participants who are women"), min_value=0, max_value=100_000, initial=0
    )
    revenue_idr = forms.IntegerField(
        label=_("Revenue (IDR)"), min_value=0, max_value=10_000_000_000, initial=0
    )

    field_order = ["client_uuid", "village", "kind", "event", "title", "date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        villages = self.fields["village"].queryset
        self.fields["event"].queryset = Event.objects.filter(village__in=villages).order_by(
            "-starts_at"
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verify", _("Verify")), ("reject", _("Reject"))])
    reason = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Reason (required to reject)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or GeoJSON file"))
    dry_run = forms.BooleanField(required=False, label=_("Check only, import nothing"))
