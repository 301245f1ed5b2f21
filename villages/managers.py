"""Querysets for villages, so views never repeat filters."""

from django.contrib.gis.db import models


class VillageQuerySet(models.QuerySet):
    def sog_sites(self):
        """Villages in the Sound of Green programme."""
        return self.filter(is_sog_site=True)

    def with_relations(self):
        return self.select_related("district", "parent")
