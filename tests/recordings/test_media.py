"""Media answers HTTP Range requests with 206 and the right bytes (recordings stream)."""

import pytest
from django.test import Client

from recordings.media import parse_range

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_file(settings):
    folder = settings.MEDIA_ROOT / "recordings" / "abc"
    folder.mkdir(parents=True)
    data = bytes(range(256)) * 40  # 10240 bytes, each position knowable
    (folder / "audio.webm").write_bytes(data)
    return "/media/recordings/abc/audio.webm", data


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_range_gets_206_with_exactly_those_bytes(media_file):
    url, data = media_file
    response = Client().get(url, HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert response["Content-Length"] == "100"
    assert response["Content-Type"] == "audio/webm"
    assert body(response) == data[100:200]


@pytest.mark.parametrize(
    "header, start, end",
    [
        ("bytes=10000-", 10000, 10239),  # open-ended
        ("bytes=-40", 10200, 10239),  # the last 40 bytes
        ("bytes=10200-99999", 10200, 10239),  # past the end: up to the end
        ("bytes=0-0", 0, 0),
    ],
)
def test_range_forms(media_file, header, start, end):
    url, data = media_file
    response = Client().get(url, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(data)}"
    assert body(response) == data[start : end + 1]


def test_an_unsatisfiable_range_gets_416(media_file):
    url, data = media_file
    response = Client().get(url, HTTP_RANGE="bytes=20000-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(data)}"


@pytest.mark.parametrize("header", ["bytes=0-10,20-30", "items=0-10", "bytes=9-3"])
def test_other_ranges_get_the_whole_file(media_file, header):
    url, data = media_file
    response = Client().get(url, HTTP_RANGE=header)
    assert response.status_code == 200
    assert body(response) == data


def test_without_range_the_whole_file_says_it_accepts_ranges(media_file):
    url, data = media_file
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == data


def test_a_stale_if_range_gets_the_whole_file(media_file):
    url, data = media_file
    response = Client().get(
        url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE="Wed, 21 Oct 2015 07:28:00 GMT"
    )
    assert response.status_code == 200
    assert body(response) == data


def test_paths_outside_media_are_not_served(media_file):
    outside = Client().get("/media/../pyproject.toml")
    assert outside.status_code in (400, 404)
    assert b"sound-of-green" not in body(outside)
    assert (
        Client().get("/media/recordings/abc/nothing.webm", HTTP_RANGE="bytes=0-1").status_code
        == 404
    )


def test_parse_range_edges():
    assert parse_range("bytes=0-", 0) is False
    assert parse_range("bytes=-0", 100) is False
    assert parse_range("bytes=5-", 10) == (5, 9)
    assert parse_range("", 10) is None
