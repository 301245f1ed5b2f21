from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from villages.services import ImportFileError, import_admin_areas


class Command(BaseCommand):
    help = "Load Kota Ambon's districts and villages from the Kemendagri register CSV."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="CSV with columns code,level,parent_code,name")

    def handle(self, *args, path, **options):
        try:
            report = import_admin_areas(path=path)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for line in report.errors:
            self.stderr.write(f"rejected: {line}")
        self.stdout.write(
            f"{len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.errors)} rejected"
        )
        if options["verbosity"] > 1:
            for label, items in (("created", report.created), ("updated", report.updated)):
                for item in items:
                    self.stdout.write(f"  {label}: {item}")
