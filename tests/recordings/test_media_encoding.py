import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_range_with_compression(settings):
    folder = settings.MEDIA_ROOT / "recordings" / "z"
    folder.mkdir(parents=True)
    data = bytes(range(256)) * 400
    (folder / "audio.webm").write_bytes(data)
    r = Client().get(
        "/media/recordings/z/audio.webm",
        HTTP_RANGE="bytes=100-50099",
        HTTP_ACCEPT_ENCODING="gzip, br, zstd",
    )
    assert r.status_code == 206
    assert r.get("Content-Encoding", "identity") == "identity"
    assert b"".join(r.streaming_content) == data[100:50100]
