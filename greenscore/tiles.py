"""Verified conservation actions as vector tiles (public data only: kind, no personal data)."""
from __future__ import annotations

from villages.tiles import TileLayer


def _actions(params):
    from .selectors_actions import action_sites

    return action_sites(**params)


def layers() -> list[TileLayer]:
    from .api_actions import ActionSiteQuerySerializer

    return [
        TileLayer("action-sites", ActionSiteQuerySerializer, _actions, "geometry",
                  {"kind": "kind"}),
    ]
