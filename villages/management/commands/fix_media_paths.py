from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from villages.media_paths import photo_fields, undouble_model


class Command(BaseCommand):
    help = (
        "Move photos stored in doubled folders (actions/actions/...) to one folder per kind "
        "and update their rows. The migrations run it; run it again after restoring old "
        "media. Idempotent; missing files are reported and their rows left as they are."
    )

    def handle(self, *args, **options):
        for model in apps.get_models():
            if not photo_fields(model):
                continue
            with transaction.atomic():
                report = undouble_model(model)
            self.stdout.write(
                f"{model._meta.label}: {report.moved} moved, {report.relinked} relinked, "
                f"{len(report.missing)} missing"
            )
            for name in report.missing:
                self.stdout.write(f"  missing: {name}")
