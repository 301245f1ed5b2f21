from django.core.validators import MaxValueValidator
from django.db import models

from villages.logs.models import VillageLog


class Sighting(VillageLog):
    """A bird seen on a walk: a log kind with a choice, a count and a text."""

    class Bird(models.TextChoices):
        KINGFISHER = "kingfisher", "kingfisher"
        HORNBILL = "hornbill", "hornbill"

    bird = models.CharField("bird", max_length=12, choices=Bird.choices)
    count = models.PositiveIntegerField("count", default=1, validators=[MaxValueValidator(500)])
    place_name = models.CharField("place name", max_length=80, blank=True)

    class Meta(VillageLog.Meta):
        constraints = [VillageLog.status_valid("sighting_status_valid")]
