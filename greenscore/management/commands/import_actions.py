"""manage.py import_actions FILE --as USERNAME [--dry-run]: see villages/logs/importing.py."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from greenscore.logkinds import ACTIONS
from villages import roles
from villages.logs.importing import import_file


class Command(BaseCommand):
    help = (
        "Import conservation actions from a CSV or GeoJSON file. Valid rows are stored, the "
        "others listed with reasons; running it again stores nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the AMO reviewer (or administrator) recorded as the importer",
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row, store nothing")

    def handle(self, *args, file, username, dry_run, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not roles.can_review(user):
            raise CommandError(f"{username} is not an AMO reviewer or administrator.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        with path.open("rb") as handle:
            report = import_file(
                kind=ACTIONS, fileobj=handle, filename=path.name, actor=user, dry_run=dry_run
            )
        if report.fatal:
            raise CommandError(report.fatal)
        for label, reasons in report.rejected:
            self.stdout.write(f"rejected {label}: {'; '.join(reasons)}")
        prefix = "dry run: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{len(report.created)} imported, {len(report.existing)} already there, "
            f"{len(report.rejected)} rejected"
        )
