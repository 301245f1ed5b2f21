"""Fixtures for recordings: two villages, one user per role, an API client, sound files."""

import datetime
import io
import uuid
import wave

import numpy as np
import pytest
from django.contrib.gis.geos import Point
from rest_framework.test import APIClient

from recordings import synth

# The two villages the log tests use (Alpha and Beta), not a copy of them.
from tests.greenscore.conftest import village_a, village_b  # noqa: F401


@pytest.fixture(autouse=True)
def media_dirs(settings, tmp_path):
    """Public and private media in throw-away folders per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SOG_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT.mkdir()
    settings.SOG_PRIVATE_MEDIA_ROOT.mkdir()
    return settings


@pytest.fixture
def people(db, village_a, village_b, django_user_model):
    from villages import roles

    coord_a = django_user_model.objects.create_user("coord_a", password="pw-coord-a-123")
    coord_b = django_user_model.objects.create_user("coord_b", password="pw-coord-b-123")
    reviewer = django_user_model.objects.create_user("reviewer", password="pw-reviewer-123")
    other_reviewer = django_user_model.objects.create_user("reviewer2", password="pw-rev2-123")
    roles.grant_coordinator(user=coord_a, village=village_a)
    roles.grant_coordinator(user=coord_b, village=village_b)
    roles.grant_reviewer(user=reviewer)
    roles.grant_reviewer(user=other_reviewer)
    return {
        "coord_a": coord_a,
        "coord_b": coord_b,
        "reviewer": reviewer,
        "reviewer2": other_reviewer,
    }


@pytest.fixture
def api():
    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


def wav_bytes(samples: np.ndarray, rate: int = synth.RATE) -> bytes:
    """16-bit mono PCM WAV (Python's wave module)."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(samples * 32767, -32768, 32767).astype("<i2").tobytes())
    return out.getvalue()


def named(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def upload_body(audio, **over):
    recorded = (
        datetime.datetime.now(datetime.UTC).replace(hour=22, minute=45, second=0, microsecond=0)
        - datetime.timedelta(days=2)
    ).isoformat()
    body = {
        "client_uuid": str(uuid.uuid4()),
        "village": "alpha",
        "kind": "soundscape",
        "title_en": "Forest at dawn",
        "recorded_at": recorded,
        "geometry": '{"type": "Point", "coordinates": [128.2005, -3.7005]}',
        "licence": "CC-BY-4.0",
        "credit": "Coordinator A",
        "audio": audio,
    }
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


@pytest.fixture
def upload(api, people):
    """upload(audio_bytes_or_file, user=..., **fields) -> response of POST /api/v1/recordings/."""

    def make(audio, *, user=None, name="sound.wav", **over):
        if isinstance(audio, bytes):
            audio = named(audio, name)
        client = api(user or people["coord_a"])
        return client.post(
            "/api/v1/recordings/",
            upload_body(audio, **over),
            format="multipart",
            HTTP_ACCEPT_LANGUAGE="en",
        )

    return make


def point(lon=128.2005, lat=-3.7005):
    return Point(lon, lat, srid=4326)
