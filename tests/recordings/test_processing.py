"""The background job: a failure is kept with its reason; running it again is safe."""

import os

import pytest
from django.core.files.storage import default_storage

from recordings import services, synth
from recordings.models import Recording

from .conftest import wav_bytes

pytestmark = pytest.mark.django_db


def test_a_failed_job_is_marked_and_a_rerun_recovers(upload, api, people):
    response = upload(wav_bytes(synth.dawn_chorus(4.0)))
    recording = Recording.objects.get(pk=response.json()["id"])
    with open(recording.original.path, "rb") as handle:
        good = handle.read()
    first_files = [f.name for f in recording.public_files()]
    # The original is damaged on disk after it was accepted: the job fails with a reason.
    with open(recording.original.path, "wb") as handle:
        handle.write(good[:300])
    assert services.process(recording.pk) == "failed"
    recording.refresh_from_db()
    assert recording.processing == "failed"
    assert "truncated" in recording.processing_error or "failed" in recording.processing_error
    assert recording.attempts == 2
    # The previous run's files are kept until a run succeeds.
    assert all(default_storage.exists(name) for name in first_files)
    with open(recording.original.path, "wb") as handle:
        handle.write(good)
    again = api(people["coord_a"]).post(f"/api/v1/recordings/{recording.pk}/process/")
    assert again.status_code == 202, again.content
    recording.refresh_from_db()
    assert recording.processing == "ready" and recording.processing_error == ""
    assert recording.attempts == 3
    new_files = [f.name for f in recording.public_files()]
    assert set(new_files).isdisjoint(first_files)
    assert all(default_storage.exists(name) for name in new_files)
    assert not any(default_storage.exists(name) for name in first_files)


def test_a_missing_original_fails_with_a_reason(upload):
    response = upload(wav_bytes(synth.dawn_chorus(2.0)))
    recording = Recording.objects.get(pk=response.json()["id"])
    os.remove(recording.original.path)
    assert services.process(recording.pk) == "failed"
    recording.refresh_from_db()
    assert recording.processing_error


def test_reprocessing_while_queued_is_a_conflict(upload, api, people):
    response = upload(wav_bytes(synth.dawn_chorus(2.0)))
    Recording.objects.filter(pk=response.json()["id"]).update(processing="queued")
    again = api(people["coord_a"]).post(f"/api/v1/recordings/{response.json()['id']}/process/")
    assert again.status_code == 409
    other = api(people["coord_b"]).post(f"/api/v1/recordings/{response.json()['id']}/process/")
    assert other.status_code == 404


def test_a_job_for_a_deleted_recording_does_nothing():
    assert services.process(999999) == "gone"
