"""Verified conservation actions as vector tiles (public data only: kind, no personal data)."""

from __future__ import annotations

from villages.tiles import TileLayer


def _actions(params):
    from .actions.selectors import action_sites

    return action_sites(**params)


def layers() -> list[TileLayer]:
    from .actions.api import ActionSiteQuerySerializer

    return [
        TileLayer(
            "action-sites", ActionSiteQuerySerializer, _actions, "geometry", {"kind": "kind"}
        ),
    ]
