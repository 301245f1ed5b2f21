"""Photos in one folder per kind: new uploads, and the migration of doubled folders."""

import hashlib
import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image

from greenscore.models import ActionPhoto
from tourism.models import Photo
from tourism.services import photo_add

NAME = r"\d{4}/\d\d/[0-9a-f]{32}\.jpg"


def _jpeg(colour=(40, 120, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "IMG_0001.jpg"
    return buffer


PLACE_PHOTO = _jpeg((200, 10, 10)).getvalue()


def _put(root, name, data):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_uploads_land_in_one_folder_per_kind(api, people, make_action, media, village_a):
    action = make_action()
    response = api(people["coord_a"]).post(
        f"/api/v1/actions/{action.pk}/photos/", {"image": _jpeg()}, format="multipart"
    )
    assert response.status_code == 201, response.content
    photo = action.photos.get()
    assert re.fullmatch(f"actions/{NAME}", photo.image.name), photo.image.name
    assert re.fullmatch(f"actions/thumbs/{NAME}", photo.thumbnail.name), photo.thumbnail.name
    assert (media / photo.image.name).is_file() and (media / photo.thumbnail.name).is_file()
    place = photo_add(subject=village_a, fileobj=_jpeg())
    assert re.fullmatch(f"photos/{NAME}", place.image.name), place.image.name
    assert re.fullmatch(f"photos/thumbs/{NAME}", place.thumbnail.name)
    assert (media / place.thumbnail.name).is_file()
    # Nothing was stored anywhere else (no doubled folder, not even an empty one).
    assert sorted(p.name for p in media.iterdir()) == ["actions", "photos"]
    assert sorted(p.name for p in (media / "actions").iterdir()) == [
        photo.image.name.split("/")[1],
        "thumbs",
    ]


def _doubled_rows(media, action, village):
    """Rows as the old code stored them, and one of each other case; returns what to expect."""
    files = {
        "actions/actions/2026/10/a1.jpg": b"image one",
        "actions/thumbs/actions/thumbs/2026/10/a1.jpg": b"thumb one",
        "actions/thumbs/actions/thumbs/2026/10/a3.jpg": b"thumb three",
        "actions/thumbs/2026/10/a2.jpg": b"moved by an earlier run",
        "photos/2026/10/p1.jpg": PLACE_PHOTO,  # a real image: Photo reads its size
        "photos/thumbs/2026/10/p1.jpg": b"place thumb",
    }
    for name, data in files.items():
        _put(media, name, data)
    moved = ActionPhoto.objects.create(
        action=action,
        image="actions/actions/2026/10/a1.jpg",
        thumbnail="actions/thumbs/actions/thumbs/2026/10/a1.jpg",
    )
    half = ActionPhoto.objects.create(  # image lost; thumbnail moved before a rollback
        action=action,
        image="actions/actions/2026/10/gone.jpg",
        thumbnail="actions/thumbs/actions/thumbs/2026/10/a2.jpg",
    )
    third = ActionPhoto.objects.create(
        action=action,
        image="actions/actions/2026/10/gone-too.jpg",
        thumbnail="actions/thumbs/actions/thumbs/2026/10/a3.jpg",
    )
    place = Photo.objects.create(
        content_type=ContentType.objects.get_for_model(village),
        object_id=village.pk,
        image="photos/2026/10/p1.jpg",
        thumbnail="photos/thumbs/2026/10/p1.jpg",
    )
    return moved, half, third, place


def _check_moved(media, moved, half, third, place):
    for row in (moved, half, third, place):
        row.refresh_from_db()
    assert (moved.image.name, moved.thumbnail.name) == (
        "actions/2026/10/a1.jpg",
        "actions/thumbs/2026/10/a1.jpg",
    )
    assert (media / "actions/2026/10/a1.jpg").read_bytes() == b"image one"
    assert (media / "actions/thumbs/2026/10/a1.jpg").read_bytes() == b"thumb one"
    # The image is missing everywhere: its row is left for a later run; the thumbnail that
    # an earlier run moved is linked.
    assert half.image.name == "actions/actions/2026/10/gone.jpg"
    assert half.thumbnail.name == "actions/thumbs/2026/10/a2.jpg"
    assert (media / half.thumbnail.name).read_bytes() == b"moved by an earlier run"
    assert third.thumbnail.name == "actions/thumbs/2026/10/a3.jpg"
    assert (media / third.thumbnail.name).read_bytes() == b"thumb three"
    assert (place.image.name, place.thumbnail.name) == (
        "photos/2026/10/p1.jpg",
        "photos/thumbs/2026/10/p1.jpg",
    )
    assert (media / "photos/2026/10/p1.jpg").read_bytes() == PLACE_PHOTO
    # The doubled folders are gone from the disk.
    assert not (media / "actions/actions").exists()
    assert not (media / "actions/thumbs/actions").exists()


@pytest.mark.django_db
def test_fix_media_paths_moves_files_and_rows_idempotently(make_action, media, village_a):
    rows = _doubled_rows(media, make_action(), village_a)
    out = io.StringIO()
    call_command("fix_media_paths", stdout=out)
    report = out.getvalue()
    assert "greenscore.ActionPhoto: 3 moved, 1 relinked, 2 missing" in report
    assert "missing: actions/actions/2026/10/gone.jpg" in report
    assert "tourism.Photo: 0 moved, 0 relinked, 0 missing" in report
    _check_moved(media, *rows)
    before = {p: _sha(p) for p in media.rglob("*") if p.is_file()}
    out = io.StringIO()
    call_command("fix_media_paths", stdout=out)  # a second run changes nothing
    assert "greenscore.ActionPhoto: 0 moved, 0 relinked, 2 missing" in out.getvalue()
    assert {p: _sha(p) for p in media.rglob("*") if p.is_file()} == before
    _check_moved(media, *rows)
    # Once the lost file is back (a restored backup), a run moves it too.
    _put(media, "actions/actions/2026/10/gone.jpg", b"found again")
    call_command("fix_media_paths", stdout=io.StringIO())
    rows[1].refresh_from_db()
    assert rows[1].image.name == "actions/2026/10/gone.jpg"
    assert (media / "actions/2026/10/gone.jpg").read_bytes() == b"found again"


def test_the_migration_moves_doubled_files(transactional_db, make_action, media, village_a):
    """Migrate greenscore back before 0003, store rows the old way, migrate forward."""
    executor = MigrationExecutor(connection)
    executor.migrate([("greenscore", "0002_scorecard_models")])
    try:
        rows = _doubled_rows(media, make_action(), village_a)
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    _check_moved(media, *rows)
