"""Pages: the coordinator's upload page (the registry's "new" for recordings), the review
queue's Recordings tab, and the players on village and attraction pages."""

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from recordings import synth
from recordings.models import Recording
from tourism.models import Attraction

from .conftest import wav_bytes

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def form(**over):
    data = {
        "client_uuid": "0b1c1d70-0000-4000-8000-000000000abc",
        "village": "alpha",
        "kind": "soundscape",
        "title_en": "River at dawn",
        "recorded_at": "2026-11-30T05:45",
        "longitude": "128.2004",
        "latitude": "-3.7004",
        "licence": "CC-BY-4.0",
        "audio": SimpleUploadedFile("river.wav", wav_bytes(synth.dawn_chorus(3.0))),
    }
    data.update(over)
    return data


def test_the_registrys_new_link_opens_the_upload_page(people):
    client = signed_in(people["coord_a"])
    response = client.get("/coordinator/recordings/new/", **EN)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert b"recording-upload.js" in response.content


def test_uploading_on_the_page_shows_the_recordings_state(people):
    client = signed_in(people["coord_a"])
    response = client.post("/coordinator/recordings/new/", form(), **EN)
    assert response.status_code == 302, response.content.decode()[:2000]
    recording = Recording.objects.get()
    assert timezone.localtime(recording.recorded_at).isoformat().startswith("2026-11-30T05:45")
    page = client.get(response["Location"], **EN)
    assert page.status_code == 200
    assert b'figure class="sound' in page.content
    listing = client.get("/coordinator/recordings/", **EN)
    assert listing.status_code == 200 and b"River at dawn" in listing.content


def test_the_page_refuses_a_bad_file_naming_it(people):
    client = signed_in(people["coord_a"])
    bad = form(audio=SimpleUploadedFile("x.mp3", b"not a song at all " * 100))
    response = client.post("/coordinator/recordings/new/", bad, **EN)
    assert response.status_code == 400
    assert b"not audio" in response.content
    assert not Recording.objects.exists()


def test_review_queue_has_a_recordings_tab_and_verifies(people):
    signed_in(people["coord_a"]).post("/coordinator/recordings/new/", form(), **EN)
    recording = Recording.objects.get()
    reviewer = signed_in(people["reviewer"])
    queue = reviewer.get("/review/?type=recordings", **EN)
    assert queue.status_code == 200 and b"River at dawn" in queue.content
    decided = reviewer.post(
        "/review/decide/",
        {"type": "recordings", "ids": [recording.pk], "decision": "verify", "reason": ""},
        **EN,
    )
    assert decided.status_code == 302
    recording.refresh_from_db()
    assert recording.status == "verified"


def test_village_and_attraction_pages_play_verified_recordings(people, village_a, api):
    attraction = Attraction.objects.create(
        village=village_a,
        name="Hutan",
        slug="hutan",
        category="music_forest",
        location=Point(128.2004, -3.7004, srid=4326),
    )
    signed_in(people["coord_a"]).post(
        "/coordinator/recordings/new/", form(attraction="hutan"), **EN
    )
    recording = Recording.objects.get()
    assert recording.attraction == attraction
    public = Client()
    assert b'figure class="sound' not in public.get("/villages/alpha/", **EN).content
    Recording.objects.update(status="verified")
    for url in ("/villages/alpha/", "/attractions/hutan/"):
        page = public.get(url, **EN)
        assert page.status_code == 200
        assert b"River at dawn" in page.content
        assert recording.audio_opus.url.encode() in page.content
        assert b"sound-list.js" in page.content
    policy = public.get("/villages/alpha/")["Content-Security-Policy"]
    assert "media-src 'self' blob:" in policy


def test_upload_field_form_needs_a_coordinator(people, django_user_model):
    stranger = django_user_model.objects.create_user("nobody", password="pw-nobody-123")
    assert signed_in(stranger).get("/coordinator/recordings/new/").status_code == 403
    assert Client().get("/coordinator/recordings/new/").status_code == 302


NOT_YET = "it can be verified once it has been processed"


def test_the_queue_and_the_api_refuse_to_verify_before_processing_alike(people, api):
    """One rule (RecordingKind.review_refusal) for /review/ and the API: a recording is
    verified once it has been processed; the queue says why it waits; rejecting is allowed."""
    signed_in(people["coord_a"]).post("/coordinator/recordings/new/", form(), **EN)
    recording = Recording.objects.get()
    Recording.objects.filter(pk=recording.pk).update(processing="queued")
    reviewer = signed_in(people["reviewer"])
    queue = reviewer.get("/review/?type=recordings", **EN).content.decode()
    assert NOT_YET in queue and "queued" in queue
    detail = reviewer.get(f"/review/recordings/{recording.pk}/", **EN).content.decode()
    assert NOT_YET in detail
    # The reviewer listens on the page (the files of the first run are there).
    assert '<audio controls preload="none">' in detail and recording.audio_opus.url in detail
    page = reviewer.post(
        "/review/decide/",
        {"type": "recordings", "ids": [recording.pk], "decision": "verify", "reason": ""},
        **EN,
    )
    assert page.status_code == 400 and NOT_YET in page.content.decode()
    by_api = api(people["reviewer"]).post(
        f"/api/v1/recordings/{recording.pk}/review/", {"decision": "verify"}, format="json", **EN
    )
    assert by_api.status_code == 409 and NOT_YET in by_api.json()["detail"]
    recording.refresh_from_db()
    assert recording.status == "submitted"

    Recording.objects.filter(pk=recording.pk).update(processing="ready")
    assert NOT_YET not in reviewer.get("/review/?type=recordings", **EN).content.decode()
    page = reviewer.post(
        "/review/decide/",
        {"type": "recordings", "ids": [recording.pk], "decision": "verify", "reason": ""},
        **EN,
    )
    assert page.status_code == 302
    recording.refresh_from_db()
    assert recording.status == "verified"


def test_a_bulk_verify_with_one_recording_in_processing_verifies_none(people):
    coordinator = signed_in(people["coord_a"])
    coordinator.post("/coordinator/recordings/new/", form(), **EN)
    coordinator.post(
        "/coordinator/recordings/new/",
        form(client_uuid="0b1c1d70-0000-4000-8000-000000000abd", title_en="River at dusk"),
        **EN,
    )
    ready, waiting = Recording.objects.order_by("id")
    Recording.objects.filter(pk=waiting.pk).update(processing="failed")
    ids = [ready.pk, waiting.pk]
    reviewer = signed_in(people["reviewer"])
    page = reviewer.post(
        "/review/decide/",
        {"type": "recordings", "ids": ids, "decision": "verify", "reason": ""},
        **EN,
    )
    assert page.status_code == 400 and "River at dusk is failed" in page.content.decode()
    assert set(Recording.objects.values_list("status", flat=True)) == {"submitted"}
    rejected = reviewer.post(
        "/review/decide/",
        {"type": "recordings", "ids": [waiting.pk], "decision": "reject", "reason": "Damaged"},
        **EN,
    )
    assert rejected.status_code == 302
    assert Recording.objects.get(pk=waiting.pk).status == "rejected"


def test_deleting_on_the_coordinator_page_removes_the_files(
    people, django_capture_on_commit_callbacks
):
    import os

    coordinator = signed_in(people["coord_a"])
    coordinator.post("/coordinator/recordings/new/", form(), **EN)
    recording = Recording.objects.get()
    paths = [recording.original.path, *(f.path for f in recording.public_files())]
    assert len(paths) == 5 and all(os.path.exists(p) for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(f"/coordinator/recordings/{recording.pk}/delete/", **EN)
    assert response.status_code == 302
    assert not Recording.objects.exists()
    assert not any(os.path.exists(p) for p in paths)


def test_one_declaration_of_the_content(people):
    """The audit trail and retries use the kind's content (recordings.logkinds), the date
    derived from the recording time, and the original's checksum."""
    from recordings import services
    from recordings.logkinds import RECORDINGS
    from villages.models import AuditEntry

    signed_in(people["coord_a"]).post("/coordinator/recordings/new/", form(), **EN)
    recording = Recording.objects.get()
    stored = services.content(recording)
    assert stored == RECORDINGS.content(recording)
    assert set(stored) == {*RECORDINGS.content_fields, "sha256"}
    assert stored["date"] == recording.date and stored["sha256"] == recording.sha256
    created = AuditEntry.objects.get(action="create", object_id=recording.pk)
    assert set(created.changes) <= set(stored) and "sha256" in created.changes


def test_event_pages_play_their_recordings_in_both_languages(people, village_a):
    """An event's page (past events too) plays the verified recordings of it; the events
    list links to it."""
    import datetime

    from tourism.models import Event

    starts = timezone.now() - datetime.timedelta(days=3)
    event = Event.objects.create(
        village=village_a,
        title_id="Konser suling",
        title_en="Flute concert",
        slug="konser-suling",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        location=Point(128.2004, -3.7004, srid=4326),
    )
    signed_in(people["coord_a"]).post(
        "/coordinator/recordings/new/",
        form(event="konser-suling", kind="performance", consent="on", title_id="Konser di Alpha"),
        **EN,
    )
    recording = Recording.objects.get()
    assert recording.event == event
    public = Client()
    page = public.get("/events/konser-suling/", **EN)
    assert page.status_code == 200
    assert b"Flute concert" in page.content and b'figure class="sound' not in page.content
    Recording.objects.update(status="verified")
    for lang, title, event_title in (
        ("en", "River at dawn", "Flute concert"),
        ("id", "Konser di Alpha", "Konser suling"),
    ):
        html = public.get("/events/konser-suling/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert event_title in html and title in html
        assert recording.audio_opus.url in html and "sound-list.js" in html
        assert "/api/v1/events/konser-suling/" in html  # the small map of its place
    assert "This event is over." in public.get("/events/konser-suling/", **EN).content.decode()
    assert "Acara ini sudah selesai." in (
        public.get("/events/konser-suling/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    )
    Event.objects.filter(pk=event.pk).update(published=False)
    assert public.get("/events/konser-suling/", **EN).status_code == 404
    assert public.get("/events/nowhere/", **EN).status_code == 404


def test_the_events_list_links_to_the_event_page(village_a):
    import datetime

    from tourism.models import Event

    starts = timezone.now() + datetime.timedelta(days=3)
    Event.objects.create(
        village=village_a,
        title_id="Latihan terbuka",
        slug="latihan-terbuka",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    html = Client().get("/events/", **EN).content.decode()
    assert 'href="/events/latihan-terbuka/"' in html
    page = Client().get("/events/latihan-terbuka/", **EN).content.decode()
    assert "Latihan terbuka" in page and "This event is over." not in page


def test_editing_derives_the_date_and_a_new_kind_is_processed_again(
    people, django_capture_on_commit_callbacks
):
    """The edit page asks for the recording time, not a date (the date is its WIT day); a
    rehearsal edited into a soundscape gets its indices."""
    coordinator = signed_in(people["coord_a"])
    coordinator.post("/coordinator/recordings/new/", form(kind="rehearsal"), **EN)
    recording = Recording.objects.get()
    assert recording.ndsi is None and recording.indices is None
    page = coordinator.get(f"/coordinator/recordings/{recording.pk}/edit/", **EN).content
    assert b'type="hidden" name="date"' in page and b'type="datetime-local"' in page
    assert b'name="longitude" value="128.2004"' in page and b"dj_map" not in page
    edit = {
        "village": recording.village_id,
        "date": "2020-01-05",  # ignored: the date follows the recording time
        "kind": "soundscape",
        "title_en": "River at dawn",
        "longitude": "128.2003",
        "latitude": "-3.7003",
        "recorded_at": "2026-11-29T05:30",
        "licence": "CC-BY-4.0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(f"/coordinator/recordings/{recording.pk}/edit/", edit, **EN)
    import re

    errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert response.status_code == 302, errors
    recording.refresh_from_db()
    assert recording.kind == "soundscape" and str(recording.date) == "2026-11-29"
    assert recording.place.x == pytest.approx(128.2003) and recording.place.y == pytest.approx(
        -3.7003
    )
    assert recording.processing == "ready" and recording.attempts == 2
    assert recording.ndsi is not None and set(recording.indices["summary"]) >= {"ndsi", "aci"}


def test_a_failed_recording_is_processed_again_from_its_page(people):
    coordinator = signed_in(people["coord_a"])
    coordinator.post("/coordinator/recordings/new/", form(), **EN)
    recording = Recording.objects.get()
    page = coordinator.get(f"/recordings/{recording.pk}/", **EN).content.decode()
    assert "Process it again" not in page
    Recording.objects.filter(pk=recording.pk).update(
        processing="failed", processing_error="The original file is missing."
    )
    page = coordinator.get(f"/recordings/{recording.pk}/", **EN).content.decode()
    assert "The original file is missing." in page and "Process it again" in page
    assert coordinator.get(f"/recordings/{recording.pk}/process/").status_code == 405
    stranger = signed_in(people["coord_b"])
    assert stranger.post(f"/recordings/{recording.pk}/process/").status_code == 404
    response = coordinator.post(f"/recordings/{recording.pk}/process/", **EN)
    assert response.status_code == 302
    recording.refresh_from_db()
    assert recording.processing == "ready" and recording.processing_error == ""
    again = coordinator.post(f"/recordings/{recording.pk}/process/", follow=True, **EN)
    assert "Queued: the sound is being prepared again." in again.content.decode()
