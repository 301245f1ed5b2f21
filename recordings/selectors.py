"""Reads of recordings: the public layer (GeoJSON built in the database), a place's
recordings for its page, and the scorecard's median NDSI per village."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.core.files.storage import default_storage
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import get_language

from villages import geojson

from .models import Recording

INDEX_NAMES = ("ndsi", "aci", "adi", "bi", "h")


def public_list(*, bbox=None, village=None, kind=None, attraction=None, event=None, slug=None):
    qs = Recording.objects.public()
    if slug:
        qs = qs.filter(slug=slug)
    if bbox is not None:
        qs = qs.filter(place__intersects=bbox)
    if village is not None:
        qs = qs.filter(village=village)
    if kind:
        qs = qs.filter(kind=kind)
    if attraction is not None:
        qs = qs.filter(attraction=attraction)
    if event is not None:
        qs = qs.filter(event=event)
    return qs


def _url(name: str | None) -> str | None:
    return default_storage.url(name) if name else None


def _medians(data) -> dict | None:
    summary = (data or {}).get("summary") or {}
    if not summary:
        return None
    return {name: (summary.get(name) or {}).get("median") for name in INDEX_NAMES}


COLUMNS = {
    "id": "pk",
    "slug": "slug",
    "title_id": "title_id",
    "title_en": "title_en",
    "kind": "kind",
    "village": "village__slug",
    "village_name": "village__name",
    "recorded_at": "recorded_at",
    "duration_s": "duration_s",
    "licence": "licence",
    "credit": "credit",
    "synthesised": "synthesised",
    "attraction": "attraction__slug",
    "attraction_name": "attraction__name",
    "event": "event__slug",
    "opus": "audio_opus",
    "aac": "audio_aac",
    "peaks": "waveform",
    "spectrogram": "spectrogram",
    "indices": "indices",
}


def feature_rows(queryset) -> list[dict]:
    """Plain dicts (properties plus `_geometry` GeoJSON text) for public recordings."""
    kinds = dict(Recording.Kind.choices)
    licences = dict(Recording.Licence.choices)
    en = (get_language() or "id").startswith("en")
    village_url = reverse("villages:detail", kwargs={"slug": "__slug__"})
    rows = geojson.with_geojson(queryset, "place", "_geom").values_list(*COLUMNS.values(), "_geom")
    out = []
    for row in rows:
        raw = dict(zip(COLUMNS, row[:-1], strict=True))
        title = (raw["title_en"] or raw["title_id"]) if en else (raw["title_id"] or raw["title_en"])
        props = {
            "layer": "sounds",
            "id": raw["id"],
            "slug": raw["slug"],
            "title": title,
            "title_id": raw["title_id"],
            "title_en": raw["title_en"],
            "kind": raw["kind"],
            "kind_label": str(kinds.get(raw["kind"], raw["kind"])),
            "village": raw["village"],
            "village_name": raw["village_name"],
            "recorded_at": raw["recorded_at"].isoformat() if raw["recorded_at"] else None,
            "duration_s": raw["duration_s"],
            "licence": raw["licence"],
            "licence_label": str(licences.get(raw["licence"], raw["licence"])),
            "credit": raw["credit"],
            "synthesised": raw["synthesised"],
            "attraction": raw["attraction"],
            "attraction_name": raw["attraction_name"],
            "event": raw["event"],
            "audio_url": _url(raw["opus"]),
            "audio_fallback_url": _url(raw["aac"]),
            "waveform_url": _url(raw["peaks"]),
            "spectrogram_url": _url(raw["spectrogram"]),
            "url": village_url.replace("__slug__", raw["village"]),
        }
        if raw["kind"] == Recording.Kind.SOUNDSCAPE:
            props["indices"] = _medians(raw["indices"])
        props["_geometry"] = row[-1]
        out.append(props)
    return out


def feature_texts(queryset) -> list[str]:
    texts = []
    for props in feature_rows(queryset):
        geometry = props.pop("_geometry")
        texts.append(geojson.feature_text(geometry, props))
    return texts


def for_page(**filters) -> list[dict]:
    """Public recordings of a village, attraction or event, for its page's players."""
    rows = feature_rows(public_list(**filters).select_related(None)[:20])
    for row in rows:
        row.pop("_geometry")
    return rows


def median_ndsi(*, village_ids: Iterable[int] | None, start: date, end: date) -> dict[int, dict]:
    """Per village: the median NDSI of its verified, processed soundscape recordings dated
    in [start, end), and how many there are. Villages with none are absent (missing, not 0).

    The median is taken in the database: each village's values numbered in order with a
    window function; the middle one (or the two middle ones, averaged here) are kept.
    ``village_ids=None``: every village (the scorecard overview).
    """
    qs = Recording.objects.public()
    if village_ids is not None:
        qs = qs.filter(village_id__in=list(village_ids))
    qs = (
        qs.filter(
            kind=Recording.Kind.SOUNDSCAPE,
            ndsi__isnull=False,
            date__gte=start,
            date__lt=end,
        )
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("village_id")],
                order_by=[F("ndsi").asc(), F("id").asc()],
            ),
            count=Window(Count("id"), partition_by=[F("village_id")]),
        )
        .filter(Q(position=(F("count") + 1) / 2) | Q(position=(F("count") + 2) / 2))
        .values_list("village_id", "ndsi", "count")
    )
    middle: dict[int, list[float]] = defaultdict(list)
    counts: dict[int, int] = {}
    for village_id, ndsi, count in qs:
        middle[village_id].append(ndsi)
        counts[village_id] = count
    return {
        vid: {"ndsi": sum(values) / len(values), "recordings": counts[vid]}
        for vid, values in middle.items()
    }
