import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from tourism.models import Photo
from tourism.services import photo_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(colour=(10, 120, 40), size=(300, 200)):
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    out.seek(0)
    return out


def test_photo_add_and_the_first_photo_is_the_layer_thumbnail(client, make_attraction, media):
    attraction = make_attraction(slug="bengkel")
    second = photo_add(subject=attraction, fileobj=png(), caption_en="second", order=2)
    first = photo_add(subject=attraction, fileobj=png((200, 0, 0)), caption_en="first", order=1)
    assert first.subject == attraction and (first.width, first.height) == (300, 200)
    assert re.fullmatch(r"photos/thumbs/\d{4}/\d\d/[0-9a-f]{32}\.jpg", first.thumbnail.name)
    assert (media / first.image.name).exists() and (media / second.thumbnail.name).exists()
    props = client.get("/api/v1/attractions/bengkel/").json()["properties"]
    assert props["thumbnail"] == f"/media/{first.thumbnail.name}"


def test_photo_add_refuses_a_truncated_jpeg_and_stores_nothing(make_attraction, media):
    out = BytesIO()
    Image.new("RGB", (400, 300), (1, 2, 3)).save(out, "JPEG")
    truncated = BytesIO(out.getvalue()[: len(out.getvalue()) // 2])
    with pytest.raises(ValidationError):
        photo_add(subject=make_attraction(), fileobj=truncated)
    assert Photo.objects.count() == 0
    assert not any(media.rglob("*.*"))


def test_photos_of_other_models_do_not_leak_into_a_layer(
    client, make_attraction, make_homestay, media
):
    attraction = make_attraction(slug="a")
    homestay = make_homestay(slug="h", pk=attraction.pk)  # same id, different content type
    photo_add(subject=homestay, fileobj=png())
    assert client.get("/api/v1/attractions/a/").json()["properties"]["thumbnail"] is None
    assert (
        client.get("/api/v1/homestays/h/")
        .json()["properties"]["thumbnail"]
        .startswith("/media/photos/thumbs/")
    )
