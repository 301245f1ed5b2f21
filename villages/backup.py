"""One archive of the database and the media, and its restore (``manage.py backup`` / ``restore``).

An archive is a plain tar file:

* ``database.pgdump`` (PostGIS: ``pg_dump -Fc``) or ``database.sqlite3`` (SpatiaLite: a copy
  of the whole database file made with SQLite's online backup API, spatial metadata and
  spatial indexes included);
* ``media/...``: every file under ``MEDIA_ROOT``;
* ``private/...``: every file under ``SOG_PRIVATE_MEDIA_ROOT`` (files with no public URL:
  recordings' originals);
* ``manifest.json``: engine and versions, the row count of every table of the project, the
  applied migrations, and the size and SHA-256 of the dump and of every media and private
  file.

Consistency. The dump is one transaction snapshot: on PostgreSQL a REPEATABLE READ, READ ONLY
transaction exports its snapshot to ``pg_dump --snapshot`` and the manifest's row counts and
photo names are read in that same snapshot; on SQLite the backup API copies the database in
one step and the counts are read from the copy. Media files are written once under fresh
random names and never rewritten, so copying them after the snapshot gives every file the
snapshot refers to; a referenced file that is gone (deleted in the meantime, or lost before)
is listed in the manifest as missing and reported.

Restore checks the whole archive (engine, members, checksums) before it changes anything,
then replaces the database content in one transaction: on PostGIS ``psql --single-transaction``
drops the project's tables (not the PostGIS extension, which a non-superuser could not
re-create) and replays the dump without its extension entries (nor rows the dump holds of
``spatial_ref_sys``, which only the extension's owner may write; the project uses standard
SRIDs); on SpatiaLite the backup API
copies the archived database over the live connection's. The media folder is then made
identical to the archive (files not in it are removed), and so is the private folder (an
archive of format 1, made before private files were archived, leaves it alone). Finally the
live row counts and the media and private checksums are compared with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

FORMAT = "sog-backup"
FORMAT_VERSION = 2  # 2: private files (SOG_PRIVATE_MEDIA_ROOT) archived under private/
READABLE_VERSIONS = (1, 2)
MANIFEST = "manifest.json"
DUMP_NAMES = {"postgis": "database.pgdump", "spatialite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass
class RestoreResult:
    manifest: dict
    tables: int
    rows: int
    media_files: int
    pending_migrations: list[str]
    private_files: int = 0


# --- shared -----------------------------------------------------------------------------


def engine() -> str:
    vendor = connection.vendor
    if vendor == "postgresql":
        return "postgis"
    if vendor == "sqlite":
        return "spatialite"
    raise BackupError(f"backups support PostGIS and SpatiaLite, not {vendor}")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def project_tables() -> list[str]:
    """Every table of the installed apps' models (auto-created link tables included)."""
    return sorted(
        connection.introspection.django_table_names(only_existing=True, include_views=False)
    )


def _file_area(field) -> str:
    """ "private" for a file field stored under SOG_PRIVATE_MEDIA_ROOT, else "media"."""
    location, root = getattr(field.storage, "location", None), private_root()
    if location and root is not None and Path(location).resolve() == root.resolve():
        return "private"
    return "media"


def _file_columns() -> list[tuple[str, str, str]]:
    """(table, column, area) of every file field."""
    out = set()
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.local_fields:
            if isinstance(f, models.FileField):
                out.add((model._meta.db_table, f.column, _file_area(f)))
    return sorted(out)


def database_facts(cursor, tables: list[str]) -> tuple[dict[str, int], dict[str, set[str]]]:
    """Row count of each table, and every file name the rows refer to, by area ("media",
    "private"), with any DB-API cursor."""
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_q(table)}")
        counts[table] = int(cursor.fetchone()[0])
    referenced: dict[str, set[str]] = {"media": set(), "private": set()}
    for table, column, area in _file_columns():
        if table in counts:
            cursor.execute(f"SELECT {_q(column)} FROM {_q(table)} WHERE {_q(column)} <> ''")
            referenced[area].update(row[0] for row in cursor.fetchall() if row[0])
    return counts, referenced


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def private_root() -> Path | None:
    """The folder of files with no URL (recordings' originals), if the project has one."""
    root = getattr(settings, "SOG_PRIVATE_MEDIA_ROOT", None)
    return Path(root) if root else None


def _missing(referenced: dict[str, set[str]], media: dict, private: dict) -> list[str]:
    """Referenced files absent from the archive (private ones as "private/<name>")."""
    return sorted(referenced["media"] - set(media)) + sorted(
        f"private/{name}" for name in referenced["private"] - set(private)
    )


def media_files(root: Path) -> dict[str, Path]:
    """Regular files under root by POSIX relative name (symbolic links are not followed)."""
    out = {}
    if root.is_dir():
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                path = Path(dirpath) / name
                if path.is_file() and not path.is_symlink():
                    out[path.relative_to(root).as_posix()] = path
    return out


def media_checksums(root: Path) -> dict[str, str]:
    return {name: _sha256_file(path) for name, path in sorted(media_files(root).items())}


# --- PostgreSQL tools ---------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", s.get("HOST")),
        ("PGPORT", s.get("PORT")),
        ("PGUSER", s.get("USER")),
        ("PGPASSWORD", s.get("PASSWORD")),
        ("PGDATABASE", s.get("NAME")),
    ):
        if value:
            env[key] = str(value)
    return env


def _server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def pg_tool(name: str) -> str:
    """The client tool of the server's major version (SOG_PG_BIN_DIR, Debian's versioned
    folder, else PATH); refuses one older than the server (pg_dump cannot dump a newer server)."""
    major = _server_major()
    candidates = [
        Path(d) / name
        for d in (getattr(settings, "SOG_PG_BIN_DIR", "") or "", f"/usr/lib/postgresql/{major}/bin")
        if d
    ]
    path = next((str(p) for p in candidates if p.is_file()), None) or shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} not found: install postgresql-client-{major} or set SOG_PG_BIN_DIR"
        )
    version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", version)
    if not found or int(found.group(1)) < major:
        raise BackupError(
            f"{path} is {version.strip()!r}, older than the server "
            f"(PostgreSQL {major}); install postgresql-client-{major}"
        )
    return path


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = {**_pg_env(), "PGOPTIONS": "-c client_min_messages=warning"}  # no cascade notices
    done = subprocess.run(args, capture_output=True, text=True, env=env, **kwargs)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")
    return done


# --- backup -------------------------------------------------------------------------------


def _dump_postgis(path: Path, tables: list[str]) -> tuple[dict, set, dict]:
    pg_dump = pg_tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute(
            "SELECT pg_export_snapshot(), current_setting('server_version'), "
            "(SELECT extversion FROM pg_extension WHERE extname = 'postgis')"
        )
        snapshot, server_version, postgis_version = cursor.fetchone()
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={path}"])
        counts, referenced = database_facts(cursor, tables)
    tool_version = subprocess.run(
        [pg_dump, "--version"], capture_output=True, text=True
    ).stdout.strip()
    return (
        counts,
        referenced,
        {
            "server_version": server_version,
            "postgis_version": postgis_version,
            "pg_dump": tool_version,
        },
    )


def _dump_spatialite(path: Path, tables: list[str]) -> tuple[dict, set, dict]:
    connection.ensure_connection()
    live = connection.connection
    target = sqlite3.connect(path)
    try:
        live.backup(target)  # one step: a consistent copy of the whole file
    finally:
        target.close()
    copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        counts, referenced = database_facts(copy.cursor(), tables)
    finally:
        copy.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT spatialite_version()")
        spatialite_version = cursor.fetchone()[0]
    return (
        counts,
        referenced,
        {"sqlite_version": sqlite3.sqlite_version, "spatialite_version": spatialite_version},
    )


def _applied_migrations() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        out: dict[str, list[str]] = {}
        for app, name in cursor.fetchall():
            out.setdefault(app, []).append(name)
    return out


def default_archive_path(directory: Path | None = None) -> Path:
    directory = Path(directory or settings.SOG_BACKUP_DIR)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return directory / f"sog-{engine()}-{stamp}.tar"


def create_backup(*, path: Path) -> dict:
    """Write one archive to ``path`` (written as ``path.partial`` and renamed when complete);
    return its manifest."""
    if connection.in_atomic_block:
        raise BackupError("run the backup outside a transaction")
    kind = engine()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tables = project_tables()
    migrations_applied = _applied_migrations()
    with tempfile.TemporaryDirectory(prefix="sog-backup-") as tmp:
        dump = Path(tmp) / DUMP_NAMES[kind]
        dumper = _dump_postgis if kind == "postgis" else _dump_spatialite
        counts, referenced, versions = dumper(dump, tables)
        partial = path.with_name(path.name + ".partial")
        areas = {"media": {}, "private": {}}
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(dump, arcname=dump.name)
            for area, root in (("media", media_root()), ("private", private_root())):
                if root is None:
                    continue
                for name, file in sorted(media_files(root).items()):
                    # Media and private files are never rewritten in place, so the
                    # checksum and the copy read the same bytes.
                    meta = {"sha256": _sha256_file(file), "size": file.stat().st_size}
                    areas[area][name] = meta
                    info = tar.gettarinfo(file, arcname=f"{area}/{name}")
                    info.mode, info.uid, info.gid, info.uname, info.gname = 0o644, 0, 0, "", ""
                    with open(file, "rb") as handle:
                        tar.addfile(info, handle)
            media, private = areas["media"], areas["private"]
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "engine": kind,
                "django": django.get_version(),
                **versions,
                "database": {
                    "file": dump.name,
                    "sha256": _sha256_file(dump),
                    "size": dump.stat().st_size,
                },
                "tables": counts,
                "migrations": migrations_applied,
                "media": media,
                "private": private,
                "missing_media": _missing(referenced, media, private),
            }
            body = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(body), 0o644
            info.mtime = int(datetime.now(UTC).timestamp())
            with tempfile.SpooledTemporaryFile() as spool:
                spool.write(body)
                spool.seek(0)
                tar.addfile(info, spool)
        os.replace(partial, path)
    return manifest


# --- restore ------------------------------------------------------------------------------


def _safe_member_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or name != path.as_posix():
        raise BackupError(f"unsafe name in the archive: {name!r}")
    return name


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError(f"not a Sound of Green backup (no readable {MANIFEST}): {exc}") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") not in READABLE_VERSIONS:
        raise BackupError("not a Sound of Green backup of a format this version can restore")
    return manifest


def _stage(tar: tarfile.TarFile, manifest: dict, staging: Path) -> Path:
    """Extract the dump and media into ``staging``, checking every member against the
    manifest. Returns the dump's path."""
    expected = {f"media/{name}": meta for name, meta in manifest["media"].items()}
    expected.update({f"private/{name}": meta for name, meta in manifest.get("private", {}).items()})
    db = manifest["database"]
    expected[db["file"]] = db
    seen = set()
    for member in tar.getmembers():
        name = _safe_member_name(member.name)
        if name == MANIFEST or member.isdir():
            continue
        if not member.isfile() or name not in expected:
            raise BackupError(f"unexpected member in the archive: {name!r}")
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with tar.extractfile(member) as source, open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected[name]["sha256"]:
            raise BackupError(f"{name} is damaged: its checksum differs from the manifest")
        seen.add(name)
    if missing := sorted(set(expected) - seen):
        raise BackupError(f"the archive lacks {len(missing)} files, e.g. {missing[0]}")
    return staging / db["file"]


_DROP_PROJECT_OBJECTS = r"""
DO $sog$
DECLARE r record;
BEGIN
  -- Every table, view and sequence of the current schema that no extension owns.
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
             AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.objid = c.oid AND d.deptype = 'e') LOOP
    EXECUTE format('DROP %s IF EXISTS %I CASCADE',
                   CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                  WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.relname);
  END LOOP;
  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = current_schema() AND c.relkind = 'S'
             AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.objid = c.oid AND d.deptype = 'e') LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS %I CASCADE', r.relname);
  END LOOP;
END
$sog$;
"""


def _restore_postgis(dump: Path, work: Path) -> None:
    pg_restore, psql = pg_tool("pg_restore"), pg_tool("psql")
    with connection.cursor() as cursor:  # the dump's extension entries are left out below
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        # Extension configuration tables (PostGIS: spatial_ref_sys) belong to the extension's
        # owner; a non-superuser may not write them. The project uses standard SRIDs only.
        cursor.execute(
            "SELECT c.relname FROM pg_extension e, unnest(e.extconfig) AS t(oid) "
            "JOIN pg_class c ON c.oid = t.oid"
        )
        config_tables = {row[0] for row in cursor.fetchall()}
    listing = _run([pg_restore, "--list", str(dump)]).stdout
    keep = [
        line
        for line in listing.splitlines()
        if not re.search(r"\b(EXTENSION|SCHEMA) - |\bCOMMENT - (EXTENSION|SCHEMA) ", line)
        and not any(re.search(rf"\bTABLE DATA \S+ {re.escape(t)} ", line) for t in config_tables)
    ]
    (work / "toc.list").write_text("\n".join(keep) + "\n")
    script = work / "restore.sql"
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            f"--use-list={work / 'toc.list'}",
            f"--file={script}",
            str(dump),
        ]
    )
    (work / "drop.sql").write_text(_DROP_PROJECT_OBJECTS)
    connection.close()  # hold nothing open while the tables are replaced
    _run(
        [
            psql,
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            f"--file={work / 'drop.sql'}",
            f"--file={script}",
        ]
    )


def _restore_spatialite(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)  # page by page over the live database, atomically
    finally:
        source.close()


def _sync_media(staged: Path, root: Path, names: set[str]) -> None:
    """Make ``root`` hold exactly the staged files (moved in), removing every other file."""
    root.mkdir(parents=True, exist_ok=True)
    for name in sorted(names):
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staged / name, target)
    for name, path in media_files(root).items():
        if name not in names:
            path.unlink()
    for dirpath, _dirs, _files in sorted(os.walk(root), key=lambda item: -len(item[0])):
        if Path(dirpath) != root and not os.listdir(dirpath):
            os.rmdir(dirpath)


def inspect_archive(path: Path) -> dict:
    with tarfile.open(path, "r:*") as tar:
        return read_manifest(tar)


def restore_backup(*, path: Path) -> RestoreResult:
    """Replace the database content and the media with the archive's; verify the result."""
    if connection.in_atomic_block:
        raise BackupError("run the restore outside a transaction")
    kind = engine()
    root = media_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    # Staged next to MEDIA_ROOT so that files move in by renaming, on the same disk.
    with (
        tarfile.open(path, "r:*") as tar,
        tempfile.TemporaryDirectory(prefix=".sog-restore-", dir=root.parent) as tmp,
    ):
        manifest = read_manifest(tar)
        if manifest["engine"] != kind:
            raise BackupError(
                f"this is a {manifest['engine']} backup; the database here is "
                f"{kind} (restore into the same kind of database)"
            )
        staging = Path(tmp)
        dump = _stage(tar, manifest, staging)
        if kind == "postgis":
            _restore_postgis(dump, staging)
        else:
            _restore_spatialite(dump)
        _sync_media(staging / "media", root, set(manifest["media"]))
        if "private" in manifest and private_root() is not None:
            _sync_media(staging / "private", private_root(), set(manifest["private"]))
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    return _verify(manifest, root)


def _verify(manifest: dict, root: Path) -> RestoreResult:
    from django.db.migrations.executor import MigrationExecutor

    tables = sorted(manifest["tables"])
    with connection.cursor() as cursor:
        counts, _referenced = database_facts(cursor, tables)
    if counts != manifest["tables"]:
        wrong = sorted(t for t in tables if counts.get(t) != manifest["tables"][t])
        raise BackupError(f"restored row counts differ from the manifest in {wrong}")
    checksums = media_checksums(root)
    if checksums != {name: meta["sha256"] for name, meta in manifest["media"].items()}:
        raise BackupError("restored media differ from the manifest")
    private = {}
    if "private" in manifest and private_root() is not None:
        private = media_checksums(private_root())
        if private != {name: meta["sha256"] for name, meta in manifest["private"].items()}:
            raise BackupError("restored private files differ from the manifest")
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return RestoreResult(
        manifest=manifest,
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=len(checksums),
        pending_migrations=[f"{m.app_label}.{m.name}" for m, _ in plan],
        private_files=len(private),
    )
