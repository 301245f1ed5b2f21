"""Reads about what visitors come for: filtered querysets for the API, map and pages.

Every list selector takes keyword-only filters and returns a queryset of
published items only. Distance filters are metric: `Distance(..., spheroid=True)`
is ST_DistanceSpheroid on PostGIS and ST_Distance(a, b, 1) on SpatiaLite,
both metres on the WGS84 ellipsoid. A bounding box in degrees, padded so it
always contains the circle, only narrows the rows first (it can use the index).
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from villages import selectors as village_selectors

from .models import Attraction, Event, Homestay, Instrument, Photo, Trail
from .recurrence import local_tz, next_occurrence

EARTH_M_PER_DEG_LAT = 110_574.0  # the smallest degree of latitude (at the equator)
EARTH_M_PER_DEG_LON_EQUATOR = 111_320.0


def instrument_by_slug(slug: str) -> Instrument | None:
    return Instrument.objects.filter(slug=slug).first()


def instrument_list():
    return Instrument.objects.all()


def _search(qs, q: str | None, fields: tuple[str, ...]):
    if not q:
        return qs
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": q})
    return qs.filter(condition)


def _padded_box(point: Point, radius_m: float) -> Polygon:
    """A lon/lat box that surely contains the circle (padded by 10%), for index use only."""
    pad = 1.1
    dlat = radius_m * pad / EARTH_M_PER_DEG_LAT
    cos_lat = max(math.cos(math.radians(min(abs(point.y) + dlat, 89.9))), 1e-6)
    dlon = min(radius_m * pad / (EARTH_M_PER_DEG_LON_EQUATOR * cos_lat), 180.0)
    box = Polygon.from_bbox(
        (
            max(point.x - dlon, -180),
            max(point.y - dlat, -90),
            min(point.x + dlon, 180),
            min(point.y + dlat, 90),
        )
    )
    box.srid = 4326
    return box


def _near(qs, geometry: str, near: Point | None, radius_m: float | None):
    """Keep rows within radius_m metres of `near`, nearest first, annotated `distance_m`."""
    if near is None:
        return qs
    qs = qs.filter(**{f"{geometry}__intersects": _padded_box(near, radius_m)})
    qs = qs.annotate(distance_m=Distance(geometry, near, spheroid=True))
    return qs.filter(distance_m__lte=D(m=radius_m)).order_by("distance_m", "pk")


def _common(qs, *, geometry, village=None, bbox=None, near=None, radius_m=None):
    if village is not None:
        qs = qs.filter(village=village)
    if bbox is not None:
        qs = qs.filter(**{f"{geometry}__intersects": bbox})
    return _near(qs, geometry, near, radius_m)


TEXT_FIELDS = ("name", "description_id", "description_en")


def attraction_list(
    *, village=None, bbox=None, q=None, category=None, instrument=None, near=None, radius_m=None
):
    """Published attractions matching every filter given."""
    qs = Attraction.objects.published()
    if category:
        qs = qs.filter(category=category)
    if instrument is not None:
        qs = qs.filter(instruments=instrument)
    qs = _search(qs, q, TEXT_FIELDS)
    return _common(
        qs, geometry="location", village=village, bbox=bbox, near=near, radius_m=radius_m
    )


def homestay_list(
    *, village=None, bbox=None, q=None, min_beds=None, max_price=None, near=None, radius_m=None
):
    """Published homestays; max_price compares with the lowest price per night."""
    qs = Homestay.objects.published()
    if min_beds is not None:
        qs = qs.filter(beds__gte=min_beds)
    if max_price is not None:
        qs = qs.filter(price_from_idr__lte=max_price)
    qs = _search(qs, q, (*TEXT_FIELDS, "amenities"))
    return _common(
        qs, geometry="location", village=village, bbox=bbox, near=near, radius_m=radius_m
    )


def local_day_start(day: date) -> datetime:
    """Midnight WIT at the start of `day`."""
    return datetime.combine(day, time.min, tzinfo=local_tz())


def events_with_place():
    """Published events annotated `place`: own location, else the attraction's, else the village centre."""
    return Event.objects.published().annotate(
        place=Coalesce("location", "attraction__location", "village__centre")
    )


def event_list(
    *,
    village=None,
    bbox=None,
    q=None,
    date_from=None,
    date_to=None,
    near=None,
    radius_m=None,
    now=None,
):
    """Published events overlapping [date_from, date_to] (WIT days); by default those not over yet.

    A recurring event overlaps when its series does (first start to last end).
    """
    qs = events_with_place()
    # The calendar's first and last days bound nothing (and their arithmetic would overflow:
    # the day after 9999-12-31, or 0001-01-01 in WIT converted to UTC).
    if date_from:
        since = local_day_start(date_from) if date_from > date.min else None
    else:
        since = None if date_to else (now or timezone.now())
    if since is not None:
        open_ended = Q(series_ends_at__isnull=True) & ~Q(recurrence="")
        qs = qs.filter(Q(ends_at__gt=since) | Q(series_ends_at__gt=since) | open_ended)
    if date_to and date_to < date.max:
        qs = qs.filter(starts_at__lt=local_day_start(date_to + timedelta(days=1)))
    qs = _search(qs, q, ("title_id", "title_en", "description_id", "description_en"))
    qs = _common(qs, geometry="place", village=village, bbox=bbox, near=near, radius_m=radius_m)
    return qs if near is not None else qs.order_by("starts_at", "pk")


def trail_list(*, village=None, bbox=None, q=None, near=None, radius_m=None):
    """Published trails; `near` measures to the closest point of the path."""
    qs = _search(Trail.objects.published(), q, TEXT_FIELDS)
    return _common(qs, geometry="path", village=village, bbox=bbox, near=near, radius_m=radius_m)


# --- Single items for pages ------------------------------------------------------


def attraction_by_slug(slug: str) -> Attraction | None:
    return (
        Attraction.objects.published()
        .select_related("village", "village__district")
        .prefetch_related("instruments", "photos")
        .filter(slug=slug)
        .first()
    )


def homestay_by_slug(slug: str) -> Homestay | None:
    return (
        Homestay.objects.published()
        .select_related("village")
        .prefetch_related("photos")
        .filter(slug=slug)
        .first()
    )


def trail_by_slug(slug: str) -> Trail | None:
    return (
        Trail.objects.published()
        .select_related("village")
        .prefetch_related("photos", "stops", "stops__attraction")
        .filter(slug=slug)
        .first()
    )


def event_by_slug(slug: str) -> Event | None:
    return (
        Event.objects.published().select_related("village", "attraction").filter(slug=slug).first()
    )


def upcoming_events(
    *, village=None, attraction=None, now=None, limit: int | None = None
) -> list[Event]:
    """Published events not over yet, by their next occurrence (for pages and feeds).

    Each event gets `next_starts_at`: a weekly series that began last month sorts
    by its coming session, not its first one. Page lists are short, so this runs in Python.
    """
    now = now or timezone.now()
    qs = event_list(village=village, now=now).select_related("village", "attraction")
    if attraction is not None:
        qs = qs.filter(attraction=attraction)
    events = list(qs)
    for event in events:
        upcoming = next_occurrence(
            starts_at=event.starts_at, ends_at=event.ends_at, rule=event.recurrence, after=now
        )
        event.next_starts_at = upcoming[0] if upcoming else event.starts_at
    events.sort(key=lambda event: (event.next_starts_at, event.pk))
    return events[:limit] if limit else events


def village_offer(*, village) -> dict:
    """What a village offers visitors, for its page."""
    return {
        "attractions": list(
            Attraction.objects.published().filter(village=village).prefetch_related("instruments")
        ),
        "homestays": list(Homestay.objects.published().filter(village=village)),
        "trails": list(Trail.objects.published().filter(village=village)),
        "events": list(upcoming_events(village=village, limit=10)),
        "photos": list(
            Photo.objects.filter(
                content_type=ContentType.objects.get_for_model(village), object_id=village.pk
            )
        ),
    }


def village_directory(*, q=None, near=None, radius_m=None, **filters):
    """Villages for the list page: villages.selectors.village_list's filters, plus `q` on the
    name and `near` measured to the village centre (a village without a centre is left out)."""
    qs = _search(village_selectors.village_list(**filters), q, ("name",))
    return _near(qs, "centre", near, radius_m)
