from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from villages.backup import BackupError, create_backup, default_archive_path


class Command(BaseCommand):
    help = (
        "Write one archive (.tar) of the database (one transaction snapshot), the media and "
        "the private files (recordings' originals), "
        "with a manifest of row counts, checksums and versions. Restore it with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="archive to write (default: a new sog-<engine>-<UTC time>.tar in SOG_BACKUP_DIR)",
        )
        parser.add_argument("--dir", help="folder for the archive (default SOG_BACKUP_DIR)")

    def handle(self, *args, path=None, dir=None, **options):
        target = Path(path) if path else default_archive_path(Path(dir) if dir else None)
        if target.exists():
            raise CommandError(f"{target} exists; choose another name")
        try:
            manifest = create_backup(path=target)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"{target}: {manifest['engine']} database ({len(manifest['tables'])} tables, "
            f"{rows} rows), {len(manifest['media'])} media files, "
            f"{len(manifest['private'])} private files"
        )
        for name in manifest["missing_media"]:
            self.stderr.write(
                f"warning: the database refers to {name}, which is not in the media or private folder"
            )
