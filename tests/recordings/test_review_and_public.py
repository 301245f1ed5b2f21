"""Review through the API (four eyes, reasons, audit) and the public GeoJSON layer."""

import pytest

from recordings import synth
from recordings.models import Recording
from villages.models import AuditEntry

from .conftest import wav_bytes

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def uploaded(upload):
    def make(**over):
        over.setdefault("kind", "soundscape")
        response = upload(wav_bytes(synth.dawn_chorus(3.0)), **over)
        assert response.status_code == 202, response.content
        return Recording.objects.get(pk=response.json()["id"])

    return make


def review(api, user, recording, **body):
    return api(user).post(f"/api/v1/recordings/{recording.pk}/review/", body, format="json", **EN)


def test_a_reviewer_verifies_and_the_recording_becomes_public(api, people, uploaded):
    recording = uploaded()
    assert api().get("/api/v1/recordings/").json()["features"] == []
    response = review(api, people["reviewer"], recording, decision="verify")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "verified"
    assert AuditEntry.objects.filter(action="verify", object_id=recording.pk).exists()
    features = api().get("/api/v1/recordings/").json()["features"]
    assert [f["properties"]["slug"] for f in features] == [recording.slug]
    props = features[0]["properties"]
    for key in (
        "slug",
        "title",
        "kind",
        "village",
        "recorded_at",
        "duration_s",
        "licence",
        "credit",
        "audio_url",
        "waveform_url",
        "spectrogram_url",
    ):
        assert key in props, key
    assert set(props["indices"]) == {"ndsi", "aci", "adi", "bi", "h"}
    assert props["indices"]["ndsi"] == pytest.approx(recording.ndsi)
    lon, lat = features[0]["geometry"]["coordinates"]
    assert lon == pytest.approx(128.2005, abs=1e-6) and lat == pytest.approx(-3.7005, abs=1e-6)


def test_the_sounds_tile_shows_a_recording_once_verified(api, people, uploaded, client):
    """Tiles are cached under an ETag of the data version: a review must change it, or the
    Sounds layer would keep the tile it built before the recording was verified."""
    import mapbox_vector_tile

    from villages import tiles

    recording = uploaded()
    z = tiles.CLUSTER_BELOW_ZOOM
    x, y = _tile_of(128.2005, -3.7005, z)
    url = f"/tiles/recordings/{z}/{x}/{y}.pbf"
    before = client.get(url)
    assert before.status_code == 204
    assert review(api, people["reviewer"], recording, decision="verify").status_code == 200
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    layer = mapbox_vector_tile.decode(after.content)["recordings"]
    assert [f["properties"]["slug"] for f in layer["features"]] == [recording.slug]


def _tile_of(lon, lat, z):
    import math

    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def test_rejection_needs_a_reason_and_keeps_it(api, people, uploaded):
    recording = uploaded()
    refused = review(api, people["reviewer"], recording, decision="reject")
    assert refused.status_code == 400 and "reason" in refused.json()
    done = review(api, people["reviewer"], recording, decision="reject", reason="Wind only")
    assert done.status_code == 200
    assert done.json()["status"] == "rejected"
    assert done.json()["rejection_reason"] == "Wind only"


def test_four_eyes_and_roles(api, people, uploaded, upload):
    recording = uploaded()
    assert review(api, people["coord_a"], recording, decision="verify").status_code == 403
    own = upload(wav_bytes(synth.dawn_chorus(2.0)), user=people["reviewer"])
    assert own.status_code == 202
    mine = Recording.objects.get(pk=own.json()["id"])
    assert review(api, people["reviewer"], mine, decision="verify").status_code == 403
    assert review(api, people["reviewer2"], mine, decision="verify").status_code == 200


def test_a_recording_not_processed_cannot_be_verified(api, people, uploaded):
    recording = uploaded()
    Recording.objects.filter(pk=recording.pk).update(processing="failed")
    response = review(api, people["reviewer"], recording, decision="verify")
    assert response.status_code == 409
    assert "processed" in response.json()["detail"]


def test_filters(api, people, uploaded, make_village):
    a = uploaded(kind="soundscape")
    b = uploaded(kind="rehearsal", title_en="Practice")
    for recording in (a, b):
        assert review(api, people["reviewer"], recording, decision="verify").status_code == 200

    def slugs(query):
        response = api().get(f"/api/v1/recordings/?{query}")
        assert response.status_code == 200, response.content
        return sorted(f["properties"]["slug"] for f in response.json()["features"])

    assert slugs("kind=rehearsal") == [b.slug]
    assert slugs("village=alpha") == sorted([a.slug, b.slug])
    assert slugs("village=beta") == []
    assert slugs("bbox=128.19,-3.71,128.21,-3.69") == sorted([a.slug, b.slug])
    assert slugs("bbox=128.0,-3.5,128.1,-3.4") == []
    bad = api().get("/api/v1/recordings/?kind=opera", **EN)
    assert bad.status_code == 400 and "kind" in bad.json()
    assert api().get("/api/v1/recordings/?village=nowhere").status_code == 400
    assert api().get("/api/v1/recordings/?bbox=1,2,3").status_code == 400


def test_the_author_deletes_until_verified(api, people, uploaded, settings):
    recording = uploaded()
    original = recording.original.path
    assert api(people["coord_b"]).delete(f"/api/v1/recordings/{recording.pk}/").status_code == 404
    response = api(people["coord_a"]).delete(f"/api/v1/recordings/{recording.pk}/")
    assert response.status_code == 204
    assert not Recording.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_id=recording.pk).exists()
    assert original  # the files go once the deletion is committed (on_commit)
