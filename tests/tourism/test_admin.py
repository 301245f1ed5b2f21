import re
from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from PIL import Image

from tourism.models import Photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg_with_gps(name="holiday.jpg"):
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate
    exif[0x8825] = {1: "S", 2: (3.0, 43.0, 37.0), 3: "E", 4: (128.0, 8.0, 17.0)}  # GPS
    out = BytesIO()
    image.save(out, "JPEG", exif=exif)
    out.name = name
    out.seek(0)
    return out


@pytest.mark.parametrize(
    "url",
    [
        "/admin/tourism/attraction/add/",
        "/admin/tourism/homestay/add/",
        "/admin/tourism/event/add/",
        "/admin/tourism/trail/add/",
        "/admin/tourism/instrument/add/",
        "/admin/tourism/photo/add/",
        "/admin/tourism/gueststay/add/",
        "/admin/tourism/eventreport/add/",
        "/admin/tourism/attraction/",
        "/admin/tourism/event/",
        "/admin/tourism/trail/",
        "/admin/tourism/gueststay/",
    ],
)
def test_admin_pages_render(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200


def test_leaflet_widgets_also_inside_the_trail_stop_inline(admin_client, make_trail):
    trail = make_trail()
    html = admin_client.get(f"/admin/tourism/trail/{trail.pk}/change/").content.decode()
    assert "id_path" in html and "leaflet" in html.lower()
    assert "stops-__prefix__-location" in html  # the inline's point widget


def test_photo_inline_stores_a_clean_copy_under_a_generated_name(
    admin_client, make_attraction, media
):
    attraction = make_attraction("Bengkel", slug="bengkel")
    url = f"/admin/tourism/attraction/{attraction.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in {"instruments", "location"}
    }
    data.update(
        {
            "name": "Bengkel",
            "slug": "bengkel",
            "village": attraction.village_id,
            "category": "workshop",
            "location": attraction.location.geojson,
            "published": "on",
        }
    )
    prefix = "tourism-photo-content_type-object_id"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-upload": jpeg_with_gps(),
            f"{prefix}-0-caption_id": "Bengkel",
            f"{prefix}-0-order": "0",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    photo = Photo.objects.get()
    assert photo.subject == attraction
    assert re.fullmatch(r"photos/\d{4}/\d\d/[0-9a-f]{32}\.jpg", photo.image.name)
    assert re.fullmatch(r"photos/thumbs/\d{4}/\d\d/[0-9a-f]{32}\.jpg", photo.thumbnail.name)
    assert "holiday" not in photo.image.name
    with Image.open(media / photo.image.name) as stored:
        assert stored.size == (48, 64)  # turned upright
        assert not stored.getexif()  # GPS and orientation gone
    assert (photo.width, photo.height) == (48, 64)


def test_photo_admin_rejects_a_file_that_is_not_an_image(admin_client, make_attraction, media):
    attraction = make_attraction()
    fake = BytesIO(b"<?php echo 'hello'; ?>" * 10)
    fake.name = "photo.jpg"
    response = admin_client.post(
        "/admin/tourism/photo/add/",
        {
            "content_type": ContentType.objects.get_for_model(attraction).pk,
            "object_id": attraction.pk,
            "upload": fake,
            "order": "0",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "The file is not an image" in response.content.decode()
    assert Photo.objects.count() == 0
    assert not any(media.rglob("*.*"))


def test_photo_admin_requires_a_file_for_a_new_photo(admin_client, make_attraction, media):
    attraction = make_attraction()
    response = admin_client.post(
        "/admin/tourism/photo/add/",
        {
            "content_type": ContentType.objects.get_for_model(attraction).pk,
            "object_id": attraction.pk,
            "order": "0",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and Photo.objects.count() == 0


def test_event_admin_rejects_a_runaway_rule(admin_client, village):
    response = admin_client.post(
        "/admin/tourism/event/add/",
        {
            "village": village.pk,
            "title_id": "Tiap detik",
            "slug": "tiap-detik",
            "starts_at_0": "2027-01-01",
            "starts_at_1": "10:00",
            "ends_at_0": "2027-01-01",
            "ends_at_1": "11:00",
            "recurrence": "FREQ=SECONDLY;COUNT=100000",
            "published": "on",
            "tourism-photo-content_type-object_id-TOTAL_FORMS": "0",
            "tourism-photo-content_type-object_id-INITIAL_FORMS": "0",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "FREQ must be one of" in response.content.decode()


def test_village_admin_has_a_photo_inline_through_the_pipeline(admin_client, village, media):
    url = f"/admin/villages/village/{village.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    prefix = "tourism-photo-content_type-object_id"
    assert f"{prefix}-TOTAL_FORMS" in page.content.decode()
    form = page.context["adminform"].form
    data = {
        k: v for k, v in form.initial.items() if v is not None and k not in {"boundary", "centre"}
    }
    data.update({"centre": village.centre.geojson, "boundary": village.boundary.geojson})
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-upload": jpeg_with_gps(),
            f"{prefix}-0-caption_id": "Hutan Musik",
            f"{prefix}-0-order": "0",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    photo = Photo.objects.get()
    assert photo.subject == village
    with Image.open(media / photo.image.name) as stored:
        assert not stored.getexif()


def test_village_page_shows_its_photos(client, village, media):
    from tourism.services import photo_add

    photo = photo_add(
        subject=village,
        fileobj=jpeg_with_gps(),
        caption_id="Hutan Musik",
        caption_en="Music Forest",
    )
    html = client.get(f"/villages/{village.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert photo.thumbnail.url in html and "Music Forest" in html
