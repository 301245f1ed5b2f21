from django.core.management.base import BaseCommand

from greenscore.models import Indicator
from greenscore.scorecard.indicators import seed_catalogue


class Command(BaseCommand):
    help = "Create the scorecard indicators that are missing; never changes an existing one."

    def handle(self, *args, **options):
        created, kept = seed_catalogue(Indicator)
        self.stdout.write(f"indicators: {created} created, {kept} already there")
