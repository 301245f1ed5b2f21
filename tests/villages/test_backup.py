"""Backup and restore round trip, on whichever database the suite runs (PostGIS, SpatiaLite).

Back up, change and delete rows and media files, restore: every table's row count, every
media file's checksum and a published scorecard are as before. Restoring replaces the
database, so these tests use transactional_db (no wrapping test transaction)."""

import io
import json
import tarfile
from datetime import date

import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from PIL import Image

from greenscore.models import ActionPhoto, ConservationAction, ScorecardSnapshot
from greenscore.scorecard import services as scorecard
from greenscore.scorecard.periods import Period
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
    """A village with verified logs, a published scorecard and photos on disk."""
    settings.MEDIA_ROOT = tmp_path / "media"
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
    return village, coordinator, nangka


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
    archive = tmp_path / "backups" / "sog.tar"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert f"{len(checksums)} media files" in out.getvalue()
    manifest = backup.inspect_archive(archive)
    assert manifest["tables"] == counts and manifest["missing_media"] == []
    assert {n: m["sha256"] for n, m in manifest["media"].items()} == checksums

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
    assert _counts() != counts and backup.media_checksums(media) != checksums
    assert _published(village.slug)[0] != 200 or _published(village.slug) != published

    out = io.StringIO()
    call_command("restore", str(archive), "--noinput", stdout=out)
    assert "all matching the manifest" in out.getvalue()
    assert _counts() == counts
    assert backup.media_checksums(media) == checksums
    assert _published(village.slug) == published
    assert Village.objects.get(pk=village.pk).name == village.name
    assert not Village.objects.filter(pk=make_village_row.pk).exists()
    # Spatial columns, indexes and metadata came back: a spatial query still works.
    assert list(
        Village.objects.filter(boundary__contains=village.centre).values_list("pk", flat=True)
    ) == [village.pk]
    # And the database takes writes again (sequences restored with the rows).
    make_action(village, coordinator, day=date(2026, 9, 1), species=[(nangka, 5)])


def _rewrite(archive, target, *, manifest_change=None, media_change=False):
    """A copy of the archive with its manifest or one media file altered."""
    with tarfile.open(archive) as src, tarfile.open(target, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == backup.MANIFEST and manifest_change:
                manifest = json.loads(data)
                manifest_change(manifest)
                data = json.dumps(manifest).encode()
            elif member.name.startswith("media/") and media_change:
                data, media_change = data[:-1] + bytes([data[-1] ^ 1]), False
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize(
    "change, message",
    [
        ({"media_change": True}, "damaged"),
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
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(bad), "--noinput", stdout=io.StringIO())
    assert _counts() == counts
    assert backup.media_checksums(settings.MEDIA_ROOT) == checksums


def test_backup_refuses_to_overwrite_an_archive(site, tmp_path):
    archive = tmp_path / "sog.tar"
    archive.write_bytes(b"an older archive")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == b"an older archive"
