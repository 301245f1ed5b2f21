"""Villages keep their own listings: coordinators edit from the pages, a new listing is a draft
until AMO publishes it, edits to a published one show at once and go to the audit trail, and
drafts never leak (map GeoJSON, lists, detail pages, open data, iCalendar, village page)."""

import datetime
import io
import json

import pytest
from django.contrib.gis.geos import LineString, Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from tourism import editing
from tourism.models import Attraction, Event, Homestay, Photo, Trail
from villages.models import AuditEntry

pytestmark = pytest.mark.django_db


def point(lon, lat):
    return json.dumps({"type": "Point", "coordinates": [lon, lat]})


def homestay_post(village, **overrides):
    """A valid homestay form for village A (centre 128.20, -3.70)."""
    data = {
        "village": village.pk,
        "name": "Rumah Suling",
        "host_name": "Ibu Lea",
        "location": point(128.201, -3.701),
        "rooms": "3",
        "beds": "5",
        "price_from_idr": "250000",
        "price_to_idr": "400000",
        "amenities": "wifi, breakfast",
        "description_id": "Rumah dekat pantai.",
        "description_en": "A house near the beach.",
        "phone": "+62 811 000 111",
        "email": "",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def published_homestay(village_a):
    c = village_a.centre
    return Homestay.objects.create(
        village=village_a,
        name="Rumah Tifa",
        slug="rumah-tifa",
        location=Point(c.x, c.y, srid=4326),
        rooms=2,
        beds=4,
        price_from_idr=250_000,
        published=True,
    )


def jpeg(size=(32, 24)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 60)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "photo.jpg"
    return buffer


# --- a new listing is a draft, hidden everywhere until AMO publishes it ---------------------


def test_new_listing_is_a_draft_hidden_until_published(client, people, village_a, signed_in):
    response = signed_in(people["coord_a"]).post(
        "/coordinator/listings/homestays/new/", homestay_post(village_a)
    )
    assert response.status_code == 302
    homestay = Homestay.objects.get(name="Rumah Suling")
    assert homestay.published is False and homestay.slug == "rumah-suling"
    assert response["Location"] == f"/coordinator/listings/homestays/{homestay.pk}/"
    entry = AuditEntry.objects.get(object_id=homestay.pk, content_type__model="homestay")
    assert entry.action == "create" and entry.actor == people["coord_a"]
    assert entry.changes["price_from_idr"] == [None, 250000]

    visitor = client.__class__()

    def seen():
        api = visitor.get("/api/v1/homestays/").json()
        listed = visitor.get("/homestays/").content.decode()
        opendata = visitor.get("/data/homestays.geojson")
        opendata_text = (
            b"".join(opendata.streaming_content).decode()
            if opendata.streaming
            else opendata.content.decode()
        )
        village_page = visitor.get(f"/villages/{village_a.slug}/").content.decode()
        return {
            "api": any(f["properties"]["slug"] == homestay.slug for f in api["features"]),
            "api_detail": visitor.get(f"/api/v1/homestays/{homestay.slug}/").status_code,
            "list": "Rumah Suling" in listed,
            "detail": visitor.get(f"/homestays/{homestay.slug}/").status_code,
            "enquiry": visitor.get(f"/homestays/{homestay.slug}/enquire/").status_code,
            "opendata": "rumah-suling" in opendata_text,
            "village": "Rumah Suling" in village_page,
        }

    assert seen() == {
        "api": False,
        "api_detail": 404,
        "list": False,
        "detail": 404,
        "enquiry": 404,
        "opendata": False,
        "village": False,
    }
    # The coordinator sees it on their own page, marked as a draft.
    own = signed_in(people["coord_a"]).get("/coordinator/listings/").content.decode()
    assert "Rumah Suling" in own

    reviewer = signed_in(people["reviewer"])
    answer = reviewer.post(f"/review/listings/homestays/{homestay.pk}/publish/", {"published": "1"})
    assert answer.status_code == 302
    homestay.refresh_from_db()
    assert homestay.published is True
    assert seen() == {
        "api": True,
        "api_detail": 200,
        "list": True,
        "detail": 200,
        "enquiry": 200,
        "opendata": True,
        "village": True,
    }
    last = AuditEntry.objects.filter(object_id=homestay.pk, content_type__model="homestay").first()
    assert last.actor == people["reviewer"] and last.changes == {"published": [False, True]}

    # AMO unpublishes: hidden again.
    reviewer.post(f"/review/listings/homestays/{homestay.pk}/publish/", {"published": "0"})
    assert seen()["detail"] == 404 and seen()["api"] is False


def test_edit_of_a_published_listing_shows_at_once_and_is_audited(
    client, people, published_homestay, signed_in
):
    coordinator = signed_in(people["coord_a"])
    url = f"/coordinator/listings/homestays/{published_homestay.pk}/"
    page = coordinator.get(url)
    assert page.status_code == 200
    data = homestay_post(
        published_homestay.village, name="Rumah Tifa", price_from_idr="275000", price_to_idr=""
    )
    assert coordinator.post(url, data).status_code == 302
    published_homestay.refresh_from_db()
    assert published_homestay.published is True
    assert published_homestay.price_from_idr == 275_000
    assert published_homestay.slug == "rumah-tifa"  # the address never changes
    public = client.__class__().get("/homestays/rumah-tifa/").content.decode()
    assert "275.000" in public or "275,000" in public
    entry = AuditEntry.objects.filter(
        object_id=published_homestay.pk, content_type__model="homestay"
    ).first()
    assert entry.action == "update" and entry.actor == people["coord_a"]
    assert entry.changes["price_from_idr"] == [250000, 275000]
    assert "published" not in entry.changes
    # The history on the edit page says who changed what, old -> new.
    history = coordinator.get(url).content.decode()
    assert "250000 → 275000" in history and "coord_a" in history


def test_saving_unchanged_writes_no_audit_entry(people, published_homestay):
    data = {name: getattr(published_homestay, name) for name in editing.KINDS["homestays"].fields}
    before = AuditEntry.objects.count()
    editing.update_listing(user=people["coord_a"], listing=published_homestay, data=data)
    assert AuditEntry.objects.count() == before


# --- validation: a message per field, nothing stored ------------------------------------------


@pytest.mark.parametrize(
    "overrides,field,words",
    [
        ({"price_from_idr": "-5"}, "price_from_idr", "0"),
        ({"price_to_idr": "100000"}, "price_to_idr", "harga terendah"),
        (
            {"location": point(128.30, -3.65)},
            "location",
            "di luar batas Alpha",
        ),  # Bahasa Indonesia by default
        ({"location": point(-3.70, 128.20)}, "location", "tertukar"),
        (
            {
                "location": json.dumps(
                    {"type": "LineString", "coordinates": [[128.2, -3.7], [128.201, -3.7]]}
                )
            },
            "location",
            "",
        ),
        ({"location": ""}, "location", ""),
        ({"rooms": "0"}, "rooms", ""),
        ({"photo_caption_en": "Porch"}, "photo", "foto"),
    ],
)
def test_bad_input_is_refused_per_field(people, village_a, signed_in, overrides, field, words):
    response = signed_in(people["coord_a"]).post(
        "/coordinator/listings/homestays/new/", homestay_post(village_a, **overrides)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert not Homestay.objects.exists()


def test_coordinator_cannot_list_in_or_move_to_another_village(
    client, people, village_a, village_b, published_homestay, signed_in
):
    coordinator = signed_in(people["coord_a"])
    response = coordinator.post(
        "/coordinator/listings/homestays/new/",
        homestay_post(village_b, location=point(128.30, -3.65)),
    )
    assert response.status_code == 400 and "village" in response.context["form"].errors
    url = f"/coordinator/listings/homestays/{published_homestay.pk}/"
    response = coordinator.post(
        url, homestay_post(village_b, name="Rumah Tifa", location=point(128.30, -3.65))
    )
    assert response.status_code == 400 and "village" in response.context["form"].errors
    published_homestay.refresh_from_db()
    assert published_homestay.village == village_a
    # The service refuses it too, whatever page or script calls it.
    with pytest.raises(ValidationError) as refused:
        editing.update_listing(
            user=people["coord_a"],
            listing=published_homestay,
            data={"village": village_b, "location": Point(128.30, -3.65, srid=4326)},
        )
    assert "village" in refused.value.message_dict
    assert not Homestay.objects.filter(village=village_b).exists()


def test_coordinator_cannot_publish(people, village_a, signed_in, published_homestay):
    published_homestay.published = False
    published_homestay.save()
    response = signed_in(people["coord_a"]).post(
        f"/review/listings/homestays/{published_homestay.pk}/publish/", {"published": "1"}
    )
    assert response.status_code == 403
    published_homestay.refresh_from_db()
    assert published_homestay.published is False
    with pytest.raises(PermissionDenied):
        editing.set_published(user=people["coord_a"], listing=published_homestay, published=True)


def test_a_bad_photo_is_refused_with_a_message_and_nothing_is_saved(
    people, published_homestay, signed_in, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    bad = io.BytesIO(b"GIF89a" + b"\0" * 100)
    bad.name = "x.jpg"
    url = f"/coordinator/listings/homestays/{published_homestay.pk}/"
    data = homestay_post(
        published_homestay.village,
        name="Rumah Tifa",
        price_from_idr="999000",
        price_to_idr="",
        photo=bad,
    )
    response = signed_in(people["coord_a"]).post(url, data)
    assert response.status_code == 400
    assert "GIF tidak didukung" in " ".join(response.context["form"].errors["photo"])
    published_homestay.refresh_from_db()
    assert published_homestay.price_from_idr == 250_000  # the edit went back with the photo
    assert not Photo.objects.exists()


def test_a_good_photo_is_added_cleaned_and_can_be_removed(
    people, published_homestay, signed_in, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    coordinator = signed_in(people["coord_a"])
    url = f"/coordinator/listings/homestays/{published_homestay.pk}/"
    data = homestay_post(
        published_homestay.village,
        name="Rumah Tifa",
        price_to_idr="",
        photo=jpeg(),
        photo_caption_id="Teras",
        photo_caption_en="Porch",
    )
    assert coordinator.post(url, data).status_code == 302
    photo = Photo.objects.get()
    assert photo.subject == published_homestay and photo.caption_en == "Porch"
    assert photo.image.name.startswith("photos/") and photo.image.name.endswith(".jpg")
    entry = AuditEntry.objects.filter(object_id=published_homestay.pk).first()
    assert entry.changes == {"photos": [[], [photo.pk]]}
    assert coordinator.post(f"{url}photos/{photo.pk}/delete/").status_code == 302
    assert not Photo.objects.exists()


# --- every kind: attractions, events, trails ------------------------------------------------


def test_attraction_event_and_trail_forms(people, village_a, signed_in):
    from tourism.models import Instrument

    suling = Instrument.objects.create(slug="suling", name_id="Suling", name_en="Flute")
    coordinator = signed_in(people["coord_a"])
    for kind in ("attractions", "events", "trails"):
        assert coordinator.get(f"/coordinator/listings/{kind}/new/").status_code == 200
    response = coordinator.post(
        "/coordinator/listings/attractions/new/",
        {
            "village": village_a.pk,
            "name": "Sanggar Suling",
            "category": "sanggar",
            "instruments": [suling.pk],
            "location": point(128.2, -3.7),
            "price_idr": "0",
            "description_id": "Latihan suling",
            "description_en": "Flute practice",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    attraction = Attraction.objects.get()
    assert list(attraction.instruments.all()) == [suling] and not attraction.published

    response = coordinator.post(
        "/coordinator/listings/events/new/",
        {
            "village": village_a.pk,
            "title_id": "Malam Suling",
            "title_en": "Flute night",
            "attraction": attraction.pk,
            "location": "",
            "starts_at": "2026-12-20T19:00",
            "ends_at": "2026-12-20T21:00",
            "price_idr": "",
            "recurrence": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    event = Event.objects.get()
    assert event.location is None and not event.published
    assert timezone.localtime(event.starts_at).hour == 19  # read as WIT

    backwards = coordinator.post(
        "/coordinator/listings/events/new/",
        {
            "village": village_a.pk,
            "title_id": "Mundur",
            "starts_at": "2026-12-20T19:00",
            "ends_at": "2026-12-20T18:00",
        },
    )
    assert backwards.status_code == 400 and "ends_at" in backwards.context["form"].errors

    path = {"type": "LineString", "coordinates": [[128.199, -3.700], [128.201, -3.701]]}
    response = coordinator.post(
        "/coordinator/listings/trails/new/",
        {
            "village": village_a.pk,
            "name": "Jalur Bambu",
            "path": json.dumps(path),
            "difficulty": "easy",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    trail = Trail.objects.get()
    assert trail.length_m == pytest.approx(249, abs=5)  # metres (UTM 52S), not degrees
    point_as_path = coordinator.post(
        "/coordinator/listings/trails/new/",
        {
            "village": village_a.pk,
            "name": "Titik",
            "path": point(128.2, -3.7),
            "difficulty": "easy",
        },
    )
    assert point_as_path.status_code == 400
    assert "garis" in " ".join(point_as_path.context["form"].errors["path"])


def test_event_attraction_must_be_of_the_same_village(people, village_a, village_b):
    attraction_b = Attraction.objects.create(
        village=village_b,
        name="Sanggar B",
        slug="sanggar-b",
        category="sanggar",
        location=Point(128.30, -3.65, srid=4326),
    )
    start = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        editing.create_listing(
            user=people["reviewer"],
            kind=editing.KINDS["events"],
            data={
                "village": village_a,
                "title_id": "Konser",
                "attraction": attraction_b,
                "starts_at": start,
                "ends_at": start + datetime.timedelta(hours=1),
            },
        )
    assert "attraction" in refused.value.message_dict


def test_published_event_does_not_name_a_draft_attraction(client, village_a):
    attraction = Attraction.objects.create(
        village=village_a,
        name="Sanggar Rahasia",
        slug="sanggar-rahasia",
        category="sanggar",
        location=Point(128.2, -3.7, srid=4326),
        published=False,
    )
    start = timezone.now() + datetime.timedelta(days=2)
    Event.objects.create(
        village=village_a,
        attraction=attraction,
        title_id="Konser Terbuka",
        slug="konser-terbuka",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    api = client.get("/api/v1/events/").json()["features"]
    assert api and api[0]["properties"]["attraction"] is None
    assert api[0]["properties"]["attraction_name"] is None
    for url in (
        "/events/",
        "/events.ics",
        "/events/konser-terbuka.ics",
        f"/villages/{village_a.slug}/",
    ):
        body = client.get(url).content.decode()
        assert "Konser Terbuka" in body and "Sanggar Rahasia" not in body, url


def test_slugs_stay_unique(people, village_a):
    kind = editing.KINDS["trails"]
    path = LineString((128.2, -3.7), (128.201, -3.7), srid=4326)
    first = editing.create_listing(
        user=people["coord_a"],
        kind=kind,
        data={"village": village_a, "name": "Jalur", "path": path, "difficulty": "easy"},
    )
    second = editing.create_listing(
        user=people["coord_a"],
        kind=kind,
        data={"village": village_a, "name": "Jalur", "path": path, "difficulty": "easy"},
    )
    assert (first.slug, second.slug) == ("jalur", "jalur-2")


def test_pages_in_both_languages(people, published_homestay, signed_in):
    coordinator = signed_in(people["coord_a"])
    url = f"/coordinator/listings/homestays/{published_homestay.pk}/"
    indonesian = coordinator.get(url, headers={"accept-language": "id"}).content.decode()
    assert "Terbit" in indonesian or "terbit" in indonesian
    coordinator.cookies["django_language"] = "en"
    english = coordinator.get(url).content.decode()
    assert "Published: visitors see your changes" in english
    assert "My listings" in coordinator.get("/coordinator/").content.decode()


def test_staff_alone_is_not_amo(client, django_user_model, published_homestay, village_a):
    """is_staff opens the admin only: no listing pages, no publishing."""
    from villages import roles

    staff = django_user_model.objects.create_user("staff", is_staff=True)
    assert not roles.can_publish_listing(staff) and not roles.may_keep_listings(staff)
    assert not roles.can_list_in(staff, village_a)
    assert not roles.can_edit_listing(staff, published_homestay)
    client.force_login(staff)
    assert client.get("/coordinator/listings/").status_code == 403
    url = f"/review/listings/homestays/{published_homestay.pk}/publish/"
    assert client.post(url, {"published": "0"}).status_code == 403
    published_homestay.refresh_from_db()
    assert published_homestay.published
