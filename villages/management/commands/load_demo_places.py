from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from villages.services import load_demo_places


class Command(BaseCommand):
    help = "Load demo positions, Dusun Tuni and the Sound of Green sites (once per database)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", type=Path, default=settings.BASE_DIR / "fixtures" / "sog_places.json"
        )
        parser.add_argument(
            "--force", action="store_true", help="Apply again even if loaded before."
        )

    def handle(self, *args, path, force, **options):
        result = load_demo_places(path=path, force=force)
        if result.get("skipped"):
            self.stdout.write("demo places already loaded; nothing changed")
        else:
            self.stdout.write(", ".join(f"{v} {k}" for k, v in result.items()))
