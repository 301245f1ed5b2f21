"""Rebuild the villages' generalised low-zoom shapes (villages/generalise.py)."""

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Simplify every village boundary again for the map's low zooms (VillageShape). Run it "
        "after changing boundaries without saving villages one by one (SQL, QuerySet.update)."
    )

    def handle(self, *args, **options):
        from villages import generalise

        start = time.perf_counter()
        count = generalise.rebuild()
        self.stdout.write(
            f"{count} villages generalised at zooms {', '.join(map(str, generalise.LEVELS))} "
            f"in {time.perf_counter() - start:.1f} s"
        )
