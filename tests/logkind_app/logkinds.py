from django.core.exceptions import ValidationError

from villages.logs.kinds import LogKind, register

from .models import Sighting


class SightingKind(LogKind):
    def validate(self, *, data):
        if data["bird"] == "hornbill" and data["count"] > 20:
            raise ValidationError({"count": ["Hornbills are not seen in flocks of over 20."]})


SIGHTINGS = register(
    SightingKind(
        slug="sightings",
        model=Sighting,
        fields=("bird", "count", "place_name"),
        label="Sightings",
        label_one="sighting",
        order=90,
    )
)
