"""The Sounds layer as vector tiles (villages/tiles.py builds them): verified, processed
recordings with the public GeoJSON API's filters. A tile carries the slug; the popup's player
fetches the recording's details from /api/v1/recordings/?slug=..."""

from __future__ import annotations

from villages.tiles import TileLayer

from . import api, selectors


def layers() -> list[TileLayer]:
    return [
        TileLayer(
            "recordings",
            api.RecordingQuerySerializer,
            lambda p: selectors.public_list(**p),
            "place",
            {"slug": "slug"},
            points=True,
        )
    ]
