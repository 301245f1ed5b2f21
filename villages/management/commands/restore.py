from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from villages.backup import BackupError, inspect_archive, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database content, the media folder and the private folder with a backup "
        "made by `backup` (same kind of database). The archive is checked in full before "
        "anything changes; files in those folders that are not in the archive are removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive (.tar) to restore")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args, path, interactive=True, **options):
        archive = Path(path)
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file")
        try:
            manifest = inspect_archive(archive)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        if interactive:
            answer = input(
                f"Replace ALL data of this {manifest['engine']} database and the media and private "
                "folders "
                f"with the backup of {manifest['created_at']}? Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled")
        try:
            result = restore_backup(path=archive)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"restored {archive} of {manifest['created_at']}: {result.tables} tables, "
            f"{result.rows} rows, {result.media_files} media files, {result.private_files} "
            "private files, all matching the manifest"
        )
        if result.pending_migrations:
            self.stdout.write(
                f"the backup predates {len(result.pending_migrations)} migrations of this "
                "code: run `manage.py migrate` next"
            )
