"""The GeoJSON lists: pages with `limit` and `next`, streamed when long, a bad page is a 400."""

import json

import pytest

from villages import geojson

pytestmark = pytest.mark.django_db


def body(response):
    assert response.status_code == 200, response.content
    return json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_pages_follow_next_to_the_end(client, register):
    first = body(client.get("/api/v1/villages/", {"limit": 20}))
    assert first["numberMatched"] == 50 and first["numberReturned"] == 20
    seen = [f["id"] for f in first["features"]]
    url = first["next"]
    while url:
        page = body(client.get(url))
        seen += [f["id"] for f in page["features"]]
        url = page.get("next")
    assert len(seen) == len(set(seen)) == 50


def test_without_limit_everything_up_to_a_page(client, register, monkeypatch):
    everything = body(client.get("/api/v1/villages/"))
    assert len(everything["features"]) == 50 and "next" not in everything
    monkeypatch.setattr(geojson, "PAGE_SIZE", 30)
    monkeypatch.setattr(geojson, "CHUNK", 7)  # several chunks: the response is streamed
    response = client.get("/api/v1/villages/")
    assert response.streaming
    page = body(response)
    assert len(page["features"]) == 30 and "offset=30" in page["next"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("limit=10001", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_a_bad_page_is_a_400(client, register, query, field):
    response = client.get(f"/api/v1/attractions/?{query}")
    assert response.status_code == 400 and field in response.json()


def test_bbox_keeps_villages_by_boundary_or_centre(client, make_village):
    make_village("Inside", lon=128.2, lat=-3.7, size_deg=0.01)
    make_village("Centre only", lon=128.3, lat=-3.7, boundary=None)
    make_village("Outside", lon=129.0, lat=-3.7)
    names = {
        f["properties"]["name"]
        for f in body(client.get("/api/v1/villages/", {"bbox": "128.19,-3.71,128.31,-3.69"}))[
            "features"
        ]
    }
    assert names == {"Inside", "Centre only"}
