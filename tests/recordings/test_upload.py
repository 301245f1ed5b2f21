"""Uploads through the API: accepted and processed in the background, retries stored once,
and every bad input refused with a 400 naming the problem, nothing half-stored."""

import io
import os
import struct
import wave

import av
import numpy as np
import pytest
from PIL import Image

from recordings import synth
from recordings.models import Recording
from villages.models import AuditEntry

from .conftest import named, wav_bytes

pytestmark = pytest.mark.django_db


def private_files(settings):
    root = settings.SOG_PRIVATE_MEDIA_ROOT
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


def assert_refused(response, field, *words, settings=None):
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    text = " ".join(body[field]).lower()
    for word in words:
        assert word.lower() in text, text
    assert Recording.objects.count() == 0
    if settings is not None:
        assert private_files(settings) == []


def test_upload_answers_202_and_the_job_makes_the_public_files(upload, settings):
    response = upload(wav_bytes(synth.dawn_chorus(65.0)))
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["processing"] == "ready"  # the test settings run jobs in the request
    assert body["status"] == "submitted"
    recording = Recording.objects.get(pk=body["id"])
    assert recording.duration_s == pytest.approx(65.0, abs=0.01)
    # The original is private: outside MEDIA_ROOT, no URL.
    assert str(settings.SOG_PRIVATE_MEDIA_ROOT) in recording.original.path
    assert not recording.original.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        recording.original.url  # noqa: B018
    for url in (
        body["audio_url"],
        body["audio_fallback_url"],
        body["waveform_url"],
        body["spectrogram_url"],
    ):
        assert url.startswith("/media/recordings/")
    assert recording.indices["parameters"]["ndsi"]["biophony_hz"] == [2000, 8000]
    assert len(recording.indices["windows"]) == 1  # a 5 s remainder is too short to count
    assert recording.ndsi == recording.indices["summary"]["ndsi"]["median"]
    assert AuditEntry.objects.filter(action="create", object_id=recording.pk).exists()


def test_public_copies_carry_no_location_tags(upload, tmp_path):
    source = tmp_path / "tagged.m4a"
    synth.write_wav(
        source,
        synth.flute_melody(3.0),
        container_format="mp4",
        codec="aac",
        metadata={"location": "-03.7005+128.2005/", "comment": "at home"},
    )
    with av.open(str(source)) as check:
        assert "location" in check.metadata  # the original does carry it
    response = upload(source.read_bytes(), name="tagged.m4a", kind="rehearsal")
    assert response.status_code == 202, response.content
    recording = Recording.objects.get()
    for field in (recording.audio_opus, recording.audio_aac):
        with av.open(field.path) as copy:
            tags = {k.lower(): v for k, v in copy.metadata.items()}
            tags.update({k.lower(): v for k, v in copy.streams.audio[0].metadata.items()})
        assert "location" not in tags and "comment" not in tags, tags


def test_a_retry_with_the_same_uuid_is_stored_once(upload, api, people):
    data = wav_bytes(synth.flute_melody(2.0))
    first = upload(data, kind="rehearsal", client_uuid="6f1c1d70-0000-4000-8000-000000000001")
    again = upload(data, kind="rehearsal", client_uuid="6f1c1d70-0000-4000-8000-000000000001")
    assert first.status_code == 202 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    other = upload(
        wav_bytes(synth.flute_melody(3.0)),
        kind="rehearsal",
        client_uuid="6f1c1d70-0000-4000-8000-000000000001",
    )
    assert other.status_code == 409
    assert Recording.objects.count() == 1


def test_the_coordinator_sees_the_state_and_others_do_not(upload, api, people):
    body = upload(wav_bytes(synth.flute_melody(2.0)), kind="rehearsal").json()
    mine = api(people["coord_a"]).get(f"/api/v1/recordings/{body['id']}/")
    assert mine.status_code == 200 and mine.json()["processing"] == "ready"
    assert api(people["coord_b"]).get(f"/api/v1/recordings/{body['id']}/").status_code == 404
    assert api().get(f"/api/v1/recordings/{body['id']}/").status_code == 401


def test_another_villages_coordinator_cannot_file_for_it(upload, people):
    response = upload(wav_bytes(synth.flute_melody(2.0)), user=people["coord_b"])
    assert_refused(response, "village", "alpha")


# --- Bad input: each a 400 naming the problem, nothing stored ---------------------------


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, "PNG")
    return out.getvalue()


def test_an_image_is_refused(upload, settings):
    assert_refused(upload(png_bytes(), name="photo.wav"), "audio", "not audio", settings=settings)


def test_a_text_file_renamed_mp3_is_refused(upload, settings):
    text = ("Ini bukan lagu, hanya catatan.\n" * 200).encode()
    assert_refused(upload(text, name="lagu.mp3"), "audio", "not audio", settings=settings)


def test_a_video_is_refused(upload, tmp_path, settings):
    path = tmp_path / "clip.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(20):
            frame = av.VideoFrame.from_ndarray(
                np.full((48, 64, 3), i * 10, np.uint8), format="rgb24"
            )
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    assert_refused(upload(path.read_bytes(), name="clip.mp4"), "audio", "video", settings=settings)


def test_an_empty_file_is_refused(upload, settings):
    assert_refused(upload(b"", name="empty.wav"), "audio", "empty", settings=settings)


def test_a_truncated_file_is_refused(upload, settings):
    data = wav_bytes(synth.dawn_chorus(20.0))
    assert_refused(
        upload(data[: len(data) // 3], name="cut.wav"), "audio", "truncated", settings=settings
    )


def test_a_header_declaring_hours_in_a_small_file_is_refused(upload, settings):
    data = bytearray(wav_bytes(synth.dawn_chorus(5.0)))
    # The RIFF and data chunk sizes claim 3 hours of 16-bit mono at 22050 Hz.
    claimed = 3 * 3600 * synth.RATE * 2
    struct.pack_into("<I", data, 4, claimed + 36)
    struct.pack_into("<I", data, 40, claimed)
    assert_refused(upload(bytes(data), name="liar.wav"), "audio", settings=settings)


def test_shorter_than_one_second_is_refused(upload, settings):
    assert_refused(
        upload(wav_bytes(synth.flute_melody(0.5))), "audio", "at least 1 s", settings=settings
    )


def test_longer_than_sixty_minutes_is_refused(upload, settings):
    # 61 minutes of 8-bit silence at 1000 Hz: 3.7 MB, a real and complete file.
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(1000)
        w.writeframes(bytes([128]) * (61 * 60 * 1000))
    assert_refused(
        upload(out.getvalue(), name="long.wav"), "audio", "60 minutes", settings=settings
    )


def test_an_unsupported_codec_is_refused(upload, tmp_path, settings):
    path = tmp_path / "adpcm.wav"
    synth.write_wav(path, synth.flute_melody(3.0), codec="adpcm_ima_wav")
    assert_refused(
        upload(path.read_bytes(), name="adpcm.wav"),
        "audio",
        "adpcm",
        "not supported",
        settings=settings,
    )


def test_over_the_size_limit_is_refused_before_the_body_is_read(upload, settings):
    settings.SOG_MAX_REQUEST_UPLOAD_BYTES = 100 * 1024
    data = wav_bytes(synth.dawn_chorus(10.0))  # 440 kB
    assert len(data) > 100 * 1024 + 64 * 1024
    assert_refused(upload(data), "audio", "larger than", settings=settings)


def test_over_the_size_limit_is_refused_while_streaming(upload, settings):
    # Just over the limit, within the allowance for form fields: the declared length
    # passes, the file is stopped at the limit as it streams in.
    settings.SOG_MAX_REQUEST_UPLOAD_BYTES = 300 * 1024
    data = wav_bytes(synth.dawn_chorus(7.0))  # about 309 kB
    assert 300 * 1024 < len(data) < 300 * 1024 + 32 * 1024
    assert_refused(upload(data), "audio", "larger than", settings=settings)


@pytest.mark.parametrize("kind", ["performance", "interview"])
def test_a_performance_or_interview_needs_consent(upload, kind, settings):
    response = upload(wav_bytes(synth.flute_melody(2.0)), kind=kind)
    assert_refused(response, "consent", "agree", settings=settings)
    ok = upload(wav_bytes(synth.flute_melody(2.0)), kind=kind, consent="true")
    assert ok.status_code == 202, ok.content


def test_a_place_outside_the_village_is_refused(upload, settings):
    response = upload(
        wav_bytes(synth.flute_melody(2.0)),
        geometry='{"type": "Point", "coordinates": [128.30, -3.65]}',
    )
    assert_refused(response, "geometry", "outside", settings=settings)


def test_a_missing_file_is_refused(api, people):
    from .conftest import upload_body

    body = upload_body(None)
    response = api(people["coord_a"]).post("/api/v1/recordings/", body, format="multipart")
    assert response.status_code == 400 and "audio" in response.json()
    assert Recording.objects.count() == 0


def test_a_file_in_memory_is_checked_the_same_way(upload, settings):
    # Small uploads stay in memory (under FILE_UPLOAD_MAX_MEMORY_SIZE); they are checked
    # from a temporary copy, which is removed.
    assert_refused(upload(png_bytes(), name="x.ogg"), "audio", "not audio", settings=settings)
    assert named(b"", "x").name == "x"
