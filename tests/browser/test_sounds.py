"""Recordings in a real browser: the map's Sounds layer, a village page and an event page play
a recording (the audio element's time advances), in Bahasa Indonesia and in English; the
pages fit a 360 px wide phone without sideways scrolling."""

import uuid

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = "document.querySelector('#sog-map')?.dataset.ready === '1'"
LABELS = {"id-ID": "Putar", "en-GB": "Play"}
PHONE = {"width": 360, "height": 780}


@pytest.fixture
def recording(make_village, django_user_model, settings, tmp_path):
    from recordings import services, synth
    from tourism.models import Event
    from villages import roles

    settings.SOG_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    village = make_village("Suara", slug="suara", lon=128.19, lat=-3.69)
    user = django_user_model.objects.create_user("coord_suara", password="pw-suara-123")
    roles.grant_coordinator(user=user, village=village)
    yesterday = timezone.now() - timezone.timedelta(days=1, hours=2)
    event = Event.objects.create(
        village=village,
        title_id="Malam suling di Suara",
        title_en="Flute night in Suara",
        slug="malam-suling",
        starts_at=yesterday,
        ends_at=yesterday + timezone.timedelta(hours=2),
        location=Point(128.19, -3.69, srid=4326),
    )
    wav = tmp_path / "practice.wav"
    synth.write_wav(wav, synth.flute_melody(8.0))
    data = {
        "client_uuid": uuid.uuid4(),
        "village": village,
        "kind": "rehearsal",
        "title_id": "Latihan suling",
        "title_en": "Flute practice",
        "recorded_at": timezone.now() - timezone.timedelta(days=1),
        "place": Point(128.19, -3.69, srid=4326),
        "credit": "Sanggar Suara",
        "event": event,
    }
    audio = SimpleUploadedFile("practice.wav", wav.read_bytes(), content_type="audio/wav")
    recording, _ = services.upload(author=user, data=data, audio_file=audio)
    recording.refresh_from_db()
    assert recording.processing == "ready", recording.processing_error
    type(recording).objects.filter(pk=recording.pk).update(status="verified")
    return recording


def advances(page, selector):
    page.wait_for_function(
        "(selector) => { const a = document.querySelector(selector + ' audio');"
        " return a && !a.paused && a.currentTime > 0.5; }",
        arg=selector,
        timeout=20_000,
    )


@pytest.mark.parametrize("locale", ["id-ID", "en-GB"])
def test_a_recording_plays_on_the_map(browser_context, live_server, recording, locale):
    page = browser_context(locale=locale).new_page()
    page.goto(f"{live_server.url}/?lat=-3.69&lon=128.19&z=15")
    page.wait_for_function(READY)
    page.wait_for_function("document.querySelector('#sog-map').dataset.sounds === '1'")
    page.locator(f".marker-sounds.slug-{recording.slug}").click()
    player = page.locator(f"figure.sound[data-slug='{recording.slug}']")
    player.wait_for()
    button = player.locator(".sound-play")
    assert button.get_attribute("aria-label") == LABELS[locale]
    button.click()
    advances(page, f"figure.sound[data-slug='{recording.slug}']")
    # The waveform came from the precomputed peaks.
    assert page.evaluate(f"fetch('{recording.waveform.url}').then(r => r.ok)")


@pytest.mark.parametrize("locale", ["id-ID", "en-GB"])
@pytest.mark.parametrize("path", ["/villages/suara/", "/events/malam-suling/"])
def test_a_recording_plays_on_the_village_and_event_pages(
    browser_context, live_server, recording, locale, path
):
    page = browser_context(locale=locale, viewport=PHONE).new_page()
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    player = page.locator("figure.sound[data-enhanced='1']")
    player.wait_for()
    title = "Flute practice" if locale == "en-GB" else "Latihan suling"
    assert title in player.inner_text()
    player.locator(".sound-play").click()
    advances(page, "figure.sound")
    # A phone's width: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
