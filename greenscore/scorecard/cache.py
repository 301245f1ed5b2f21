"""The scorecard overview, cached per period: a version key bumped by every write that can
change a scorecard, so a cached overview is never read after such a write.

What feeds a scorecard lives in the villages (villages, coordinators), tourism (guest stays,
event reports, homestays), recordings (soundscape NDSI) and greenscore apps (actions,
indicators, references, entered values, plots, snapshots). Any save or delete there
replaces the version (post_save / post_delete, at once and again when the transaction
commits, so a reader that computed from the old rows inside the window caches under a
version already gone). Writes that send no signal (QuerySet.update, bulk_create) are
covered by the villages data version (villages.http_cache.bump), which is part of the key.
With several worker processes the cache must be shared (SOG_CACHE_URL=redis://...).
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

from villages import http_cache

VERSION_KEY = "sog:scorecard-version"
APPS = frozenset({"villages", "tourism", "recordings", "greenscore"})
# Cached overviews expire after an hour anyway (the period "this year" moves with the clock).
TIMEOUT = 3600


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex[:12], timeout=None)
        current = cache.get(VERSION_KEY, "")
    return f"{http_cache.data_version()}.{current}"


def bump(**_kwargs) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex[:12], timeout=None)


def on_model_change(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in APPS:
        return
    if meta.label_lower in http_cache.IGNORED_MODELS:
        return
    bump()
    transaction.on_commit(bump, robust=True)


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(on_model_change, dispatch_uid=f"sog-scorecard-version-{id(signal)}")


def key(*parts: str) -> str:
    return ":".join(("sog:scorecards", version(), *parts))
