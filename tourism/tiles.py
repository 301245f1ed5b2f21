"""The tourism layers as vector tiles (villages/tiles.py builds them): the GeoJSON API's filters."""

from __future__ import annotations

from villages.tiles import TileLayer

from . import api, selectors

POINT_PROPERTIES = {"slug": "slug", "name": "name"}
DISTANCE = {"distance_m": "distance_m"}  # with near=: metres, for the popup


def _events(params):
    return selectors.event_list(**params)


def layers() -> list[TileLayer]:
    return [
        TileLayer(
            "attractions",
            api.AttractionQuerySerializer,
            lambda p: selectors.attraction_list(**p),
            "location",
            POINT_PROPERTIES,
            points=True,
            optional_properties=DISTANCE,
        ),
        TileLayer(
            "homestays",
            api.HomestayQuerySerializer,
            lambda p: selectors.homestay_list(**p),
            "location",
            POINT_PROPERTIES,
            points=True,
            optional_properties=DISTANCE,
        ),
        # An event's title is in two languages; a tile is the same for both: the popup
        # fetches the event itself.
        TileLayer(
            "events",
            api.EventQuerySerializer,
            _events,
            "place",
            {"slug": "slug"},
            points=True,
            optional_properties=DISTANCE,
            time_bucket=300,  # events over leave the map within five minutes
        ),
        TileLayer(
            "trails",
            api.PlaceQuerySerializer,
            lambda p: selectors.trail_list(**p),
            "path",
            POINT_PROPERTIES,
            optional_properties=DISTANCE,
        ),
    ]
