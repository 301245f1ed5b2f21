"""Verified conservation actions as vector tiles (public data only: kind, no personal data)."""
from __future__ import annotations

from villages.tiles import TileLayer


def _actions(params):
    from .models import ConservationAction

    qs = ConservationAction.objects.filter(status="verified")
    if params.get("village") is not None:
        qs = qs.filter(village=params["village"])
    if params.get("kind"):
        qs = qs.filter(kind=params["kind"])
    return qs


def layers() -> list[TileLayer]:
    from .api_actions import ActionSiteQuerySerializer

    return [
        TileLayer("action-sites", ActionSiteQuerySerializer, _actions, "geometry",
                  {"kind": "kind"}),
    ]
