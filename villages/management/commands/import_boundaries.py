from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from villages.boundaries import import_boundaries
from villages.services import ImportFileError


class Command(BaseCommand):
    help = (
        "Import village boundaries from a vector file GDAL reads (GeoJSON, GeoPackage, "
        "Shapefile, KML) in any CRS; features are matched to villages by code or name."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--layer", dest="layer_name", help="layer name (default: the first)")
        parser.add_argument("--match-field", help="field holding the village code or name")
        parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")
        parser.add_argument(
            "--approximate", action="store_true", help="flag imported geometry as approximate"
        )

    def handle(self, *args, path, layer_name, match_field, dry_run, approximate, **options):
        try:
            report = import_boundaries(
                path=path,
                layer_name=layer_name,
                match_field=match_field,
                dry_run=dry_run,
                approximate=approximate,
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        out = self.stdout.write
        out(
            ("DRY RUN: nothing written. " if dry_run else "")
            + f"{len(report.matched)} matched, {len(report.repaired)} repaired, "
            f"{len(report.unmatched)} unmatched, {len(report.rejected)} rejected, "
            f"{len(report.without_boundary)} villages without a boundary"
        )
        for title, items in (
            ("matched", report.matched),
            ("repaired", report.repaired),
            ("unmatched", report.unmatched),
            ("rejected", report.rejected),
        ):
            for item in items:
                out(f"  {title}: {item}")
        if report.without_boundary:
            out("  still without a boundary: " + ", ".join(report.without_boundary))
