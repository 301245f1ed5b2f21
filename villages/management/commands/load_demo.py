from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Load the demo data of every app (register, places, attractions, logs...). "
        "Each app loads its part once; a second run changes nothing a user edited."
    )

    def handle(self, *args, **options):
        # Apps are visited in INSTALLED_APPS order: villages before tourism before greenscore.
        for config in apps.get_app_configs():
            loader = getattr(config, "load_demo", None)
            if loader is not None:
                for line in loader():
                    self.stdout.write(f"{config.label}: {line}")
