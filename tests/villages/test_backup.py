"""Backup and restore round trip, on whichever database the suite runs (PostGIS, SpatiaLite).

Back up, change and delete rows, media files and private files (a recording's original),
restore: every table's row count, every media and private file's checksum and a published
scorecard are as before. Restoring replaces the
database, so these tests use transactional_db (no wrapping test transaction)."""

import io
import json
import tarfile
import uuid
from datetime import UTC, date, datetime

import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from PIL import Image

from greenscore.models import ActionPhoto, ConservationAction, ScorecardSnapshot
from greenscore.scorecard import services as scorecard
from greenscore.scorecard.periods import Period
from recordings.models import Recording
from tests.greenscore.scorecard_factories import (
    ensure_catalogue,
    make_action,
    make_user,
    worked_village,
)
from tourism.models import Photo
from tourism.services import photo_add
from villages import backup
from villages.models import Village


def _jpeg(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


def _counts():
    with connection.cursor() as cursor:
        return backup.database_facts(cursor, backup.project_tables())[0]


def _published(slug):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/api/v1/scorecards/{slug}/?period=2026")
    return response.status_code, response.json()


@pytest.fixture
def site(transactional_db, make_village, settings, tmp_path):
    """A village with verified logs, a published scorecard, photos on disk and a recording
    whose original is private."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SOG_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    ensure_catalogue()
    village, coordinator, nangka = worked_village(make_village)
    scorecard.publish(village=village, period=Period.parse("2026"), user=make_user("amo", amo=True))
    photo_add(subject=village, fileobj=_jpeg((200, 30, 30)), caption_en="the forest")
    photo_add(subject=village, fileobj=_jpeg((30, 200, 30)), caption_en="the river")
    action = ConservationAction.objects.filter(village=village).first()
    photo = ActionPhoto(action=action, width=80, height=60)
    photo.image.save("x.jpg", _jpeg((30, 30, 200)), save=False)
    photo.thumbnail.save("x.jpg", _jpeg((30, 30, 100)), save=False)
    photo.save()
    _recording(village, coordinator, b"RIFF an original recording")
    return village, coordinator, nangka


def _recording(village, author, data):
    from django.core.files.base import ContentFile

    recording = Recording(
        client_uuid=uuid.uuid4(),
        village=village,
        author=author,
        slug=f"rec-{uuid.uuid4().hex[:8]}",
        kind="soundscape",
        title_en="Dawn",
        place=village.centre,
        recorded_at=datetime(2026, 6, 1, 21, 0, tzinfo=UTC),
        duration_s=60,
    )
    recording.original.save("original", ContentFile(data), save=False)
    recording.save()
    return recording


def test_round_trip_brings_back_rows_media_and_the_published_scorecard(site, settings, tmp_path):
    village, coordinator, nangka = site
    media = settings.MEDIA_ROOT
    counts, checksums, published = (
        _counts(),
        backup.media_checksums(media),
        _published(village.slug),
    )
    assert published[0] == 200 and published[1]["status"] == "published"
    assert len(checksums) == 6 and counts["greenscore_scorecardsnapshot"] == 1
    private = settings.SOG_PRIVATE_MEDIA_ROOT
    originals = backup.media_checksums(private)
    assert list(originals) == [Recording.objects.get().original.name]
    archive = tmp_path / "backups" / "sog.tar"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert f"{len(checksums)} media files, 1 private files" in out.getvalue()
    manifest = backup.inspect_archive(archive)
    assert manifest["tables"] == counts and manifest["missing_media"] == []
    assert {n: m["sha256"] for n, m in manifest["media"].items()} == checksums
    assert {n: m["sha256"] for n, m in manifest["private"].items()} == originals
    # The originals are not among the public media (no URL), only under private/.
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {f"private/{n}" for n in originals} <= names
    assert not {f"media/{n}" for n in originals} & names

    # Change and delete: rows (cascades too), the snapshot, a village; media files.
    ConservationAction.objects.filter(village=village, kind="cleanup").delete()
    ScorecardSnapshot.objects.all().delete()
    make_action(village, coordinator, day=date(2026, 8, 1), species=[(nangka, 500)])
    Village.objects.filter(pk=village.pk).update(name="Renamed")
    Photo.objects.order_by("pk").first().delete()
    make_village_row = Village.objects.create(
        name="Newdesa",
        slug="newdesa",
        kind="desa",
        district=village.district,
        centre=Point(128.3, -3.6, srid=4326),
    )
    first, second = sorted(checksums)[:2]
    (media / first).unlink()
    (media / second).write_bytes(b"overwritten")
    (media / "photos" / "stray.jpg").write_bytes(b"uploaded after the backup")
    # The original deleted with its recording, another recording's original added.
    Recording.objects.all().delete()
    for name in originals:
        (private / name).unlink()
    _recording(village, coordinator, b"RIFF recorded after the backup")
    assert backup.media_checksums(private) != originals
    assert _counts() != counts and backup.media_checksums(media) != checksums
    assert _published(village.slug)[0] != 200 or _published(village.slug) != published

    out = io.StringIO()
    call_command("restore", str(archive), "--noinput", stdout=out)
    assert "1 private files, all matching the manifest" in out.getvalue()
    assert _counts() == counts
    assert backup.media_checksums(media) == checksums
    assert backup.media_checksums(private) == originals
    restored = Recording.objects.get()
    assert restored.original.read() == b"RIFF an original recording"
    assert _published(village.slug) == published
    assert Village.objects.get(pk=village.pk).name == village.name
    assert not Village.objects.filter(pk=make_village_row.pk).exists()
    # Spatial columns, indexes and metadata came back: a spatial query still works.
    assert list(
        Village.objects.filter(boundary__contains=village.centre).values_list("pk", flat=True)
    ) == [village.pk]
    # And the database takes writes again (sequences restored with the rows).
    make_action(village, coordinator, day=date(2026, 9, 1), species=[(nangka, 5)])


def _rewrite(archive, target, *, manifest_change=None, media_change=False, prefix="media/"):
    """A copy of the archive with its manifest or one media (or private) file altered."""
    with tarfile.open(archive) as src, tarfile.open(target, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == backup.MANIFEST and manifest_change:
                manifest = json.loads(data)
                manifest_change(manifest)
                data = json.dumps(manifest).encode()
            elif member.name.startswith(prefix) and media_change:
                data, media_change = data[:-1] + bytes([data[-1] ^ 1]), False
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize(
    "change, message",
    [
        ({"media_change": True}, "damaged"),
        ({"media_change": True, "prefix": "private/"}, "damaged"),
        (
            {
                "manifest_change": lambda m: m.update(
                    engine={"postgis": "spatialite", "spatialite": "postgis"}[m["engine"]]
                )
            },
            "same kind of database",
        ),
        (
            {
                "manifest_change": lambda m: m["media"].update(
                    {"photos/ghost.jpg": {"sha256": "0" * 64, "size": 1}}
                )
            },
            "lacks",
        ),
    ],
)
def test_a_bad_archive_changes_nothing(site, settings, tmp_path, change, message):
    village, coordinator, nangka = site
    archive, bad = tmp_path / "good.tar", tmp_path / "bad.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    _rewrite(archive, bad, **change)
    make_action(village, coordinator, day=date(2026, 8, 1), species=[(nangka, 5)])
    counts, checksums = _counts(), backup.media_checksums(settings.MEDIA_ROOT)
    originals = backup.media_checksums(settings.SOG_PRIVATE_MEDIA_ROOT)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(bad), "--noinput", stdout=io.StringIO())
    assert _counts() == counts
    assert backup.media_checksums(settings.MEDIA_ROOT) == checksums
    assert backup.media_checksums(settings.SOG_PRIVATE_MEDIA_ROOT) == originals


def test_backup_refuses_to_overwrite_an_archive(site, tmp_path):
    archive = tmp_path / "sog.tar"
    archive.write_bytes(b"an older archive")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == b"an older archive"


def test_a_missing_original_is_reported_and_a_format_1_archive_leaves_private_files(
    site, settings, tmp_path
):
    private = settings.SOG_PRIVATE_MEDIA_ROOT
    original = Recording.objects.get().original.name
    archive, old = tmp_path / "sog.tar", tmp_path / "old.tar"
    call_command("backup", str(archive), stdout=io.StringIO())

    def as_format_1(manifest):
        manifest.update(format_version=1)
        manifest.pop("private")

    _rewrite(archive, old, manifest_change=as_format_1)
    with tarfile.open(old) as src:  # and without its private members, as format 1 was
        members = [(m, src.extractfile(m).read()) for m in src.getmembers()]
    with tarfile.open(old, "w") as dst:
        for member, data in members:
            if not member.name.startswith("private/"):
                dst.addfile(member, io.BytesIO(data))
    (private / "kept.orig").write_bytes(b"not in a format 1 archive")
    call_command("restore", str(old), "--noinput", stdout=io.StringIO())
    assert (private / "kept.orig").exists() and (private / original).exists()

    (private / original).unlink()
    err = io.StringIO()
    call_command("backup", str(tmp_path / "gap.tar"), stdout=io.StringIO(), stderr=err)
    assert f"private/{original}" in err.getvalue()
    manifest = backup.inspect_archive(tmp_path / "gap.tar")
    assert manifest["missing_media"] == [f"private/{original}"]
