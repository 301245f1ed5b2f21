"""The scorecard overview, cached per period under the data version.

What feeds a scorecard lives in the villages (villages, coordinators), tourism (guest stays,
event reports, homestays), recordings (soundscape NDSI) and greenscore apps (actions,
indicators, references, entered values, plots, snapshots): the apps whose every save or
delete replaces the data version (villages.http_cache: at once and again when the transaction
commits; writes that send no signal call its `bump()`). The version is part of the key, so a
cached overview is never read after such a write. With several worker processes the cache
must be shared (SOG_CACHE_URL=redis://...).
"""

from __future__ import annotations

from villages import http_cache

# Cached overviews expire after an hour anyway (the period "this year" moves with the clock).
TIMEOUT = 3600


def key(*parts: str) -> str:
    return ":".join(("sog:scorecards", http_cache.data_version(), *parts))
