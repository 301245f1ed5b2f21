"""Demo data for the map: fixtures/tourism/demo.json, with photos drawn by Pillow.

Loaded once per database (recorded in villages.models.DatasetLoad), so a
restart never overwrites what a user edited nor re-creates what a user
deleted. Event dates are placed relative to the day of loading (a season
ahead, in WIT) so the demo always has upcoming events. Every photo is
generated here and passed through the shared pipeline; nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, time, timedelta
from io import BytesIO
from pathlib import Path

from django.contrib.gis.geos import LineString, Point
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from villages.models import DatasetLoad, Village

from .models import Attraction, Event, Homestay, Instrument, Trail, TrailStop
from .recurrence import local_tz
from .services import photo_add

DATASET = "tourism_demo"
INVENTED_ID = "\n\n(Data contoh: nama, harga, kontak dan lokasi dikarang dan perkiraan.)"
CONTACT_ID = "\n\n(Data contoh: nomor kontak dikarang.)"
CONTACT_EN = "\n\n(Demo data: the contact number is invented.)"
INVENTED_EN = (
    "\n\n(Demo data: the name, prices, contact and position are invented and approximate.)"
)


def demo_photo(*, title: str, colour: tuple[int, int, int], size=(960, 640)) -> BytesIO:
    """A gradient with a title, as PNG bytes: a stand-in photo that needs no download."""
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    r, g, b = colour
    for y in range(height):
        shade = 0.55 + 0.45 * (1 - y / height)
        draw.line([(0, y), (width, y)], fill=(int(r * shade), int(g * shade), int(b * shade)))
    size_px = 56
    while size_px > 20 and draw.textlength(title, font=_font(size_px)) > width - 96:
        size_px -= 4  # long names: smaller letters rather than a cut-off title
    draw.text((48, height - 150), title, fill=(255, 255, 255), font=_font(size_px))
    draw.text((48, height - 70), "Sound of Green · demo", fill=(235, 235, 235), font=_font(36))
    out = BytesIO()
    image.save(out, "PNG")
    out.seek(0)
    return out


def _font(size: int):
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)  # Debian's fonts-dejavu-core
    except OSError:
        try:
            return ImageFont.load_default(size=size)
        except TypeError:  # Pillow < 10.1: one small bitmap font only
            return ImageFont.load_default()


def _next_weekday(today, weekday: int, after_days: int):
    day = today + timedelta(days=after_days)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _add_photo(subject, title: str, colour) -> None:
    photo_add(
        subject=subject,
        fileobj=demo_photo(title=title, colour=tuple(colour)),
        caption_id=f"{title} (foto contoh)",
        caption_en=f"{title} (demo picture)",
    )


def load_demo(*, path: Path, force: bool = False, with_photos: bool = True):
    """Create the demo attractions, homestays, trails and events; yields report lines."""
    raw = Path(path).read_bytes()
    if not force and DatasetLoad.objects.filter(name=DATASET).exists():
        yield "tourism demo: already loaded"
        return
    data = json.loads(raw)
    villages = {v.slug: v for v in Village.objects.filter(slug__in=_village_slugs(data))}
    if not villages:
        yield "tourism demo: skipped, the villages' demo places are not loaded"
        return
    counts = dict.fromkeys(
        ["instruments", "attractions", "homestays", "trails", "events", "photos"], 0
    )
    with transaction.atomic():
        for item in data["instruments"]:
            _, created = Instrument.objects.get_or_create(slug=item["slug"], defaults=item)
            counts["instruments"] += created
        attractions = _attractions(data, villages, counts, with_photos)
        _homestays(data, villages, counts, with_photos)
        _trails(data, villages, attractions, counts, with_photos)
        _events(data, villages, attractions, counts)
        DatasetLoad.objects.update_or_create(
            name=DATASET, defaults={"checksum": hashlib.sha256(raw).hexdigest()}
        )
    yield "tourism demo: " + ", ".join(f"{count} {name}" for name, count in counts.items())


def _village_slugs(data) -> set[str]:
    return {
        item["village"]
        for key in ("attractions", "homestays", "trails", "events")
        for item in data[key]
    }


def _attractions(data, villages, counts, with_photos) -> dict[str, Attraction]:
    instruments = {i.slug: i for i in Instrument.objects.all()}
    found = {}
    for item in data["attractions"]:
        village = villages.get(item["village"])
        if village is None:
            continue
        values = {
            k: item[k]
            for k in ("name", "category", "description_id", "description_en")
            if k in item
        }
        values.update(
            {
                k: item[k]
                for k in ("opening_hours", "price_idr", "accessibility", "phone")
                if k in item
            }
        )
        if "phone" in item:  # the programme publishes no numbers: say that this one is made up
            values["description_id"] = values.get("description_id", "") + CONTACT_ID
            values["description_en"] = values.get("description_en", "") + CONTACT_EN
        attraction, created = Attraction.objects.get_or_create(
            slug=item["slug"],
            defaults={
                **values,
                "village": village,
                "location_is_approximate": True,
                "location": Point(item["lon"], item["lat"], srid=4326),
            },
        )
        found[attraction.slug] = attraction
        if created:
            counts["attractions"] += 1
            attraction.instruments.set(
                [instruments[s] for s in item.get("instruments", []) if s in instruments]
            )
            if with_photos:
                _add_photo(attraction, item["name"], item.get("colour", (47, 107, 58)))
                counts["photos"] += 1
    return found


def _homestays(data, villages, counts, with_photos) -> None:
    for number, item in enumerate(data["homestays"]):
        village = villages.get(item["village"])
        if village is None:
            continue
        values = {
            k: item[k]
            for k in (
                "name",
                "rooms",
                "beds",
                "price_from_idr",
                "price_to_idr",
                "amenities",
                "host_name",
                "phone",
            )
            if k in item
        }
        homestay, created = Homestay.objects.get_or_create(
            slug=item["slug"],
            defaults={
                **values,
                "village": village,
                "location_is_approximate": True,
                "location": Point(item["lon"], item["lat"], srid=4326),
                "description_id": f"Penginapan keluarga di {village.name}.{INVENTED_ID}",
                "description_en": f"A family homestay in {village.name}.{INVENTED_EN}",
            },
        )
        if created:
            counts["homestays"] += 1
            if with_photos:
                _add_photo(homestay, item["name"], (40 + 30 * number, 100, 160))
                counts["photos"] += 1


def _trails(data, villages, attractions, counts, with_photos) -> None:
    for item in data["trails"]:
        village = villages.get(item["village"])
        if village is None:
            continue
        trail, created = Trail.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "village": village,
                "difficulty": item["difficulty"],
                "path": LineString(item["path"], srid=4326),
                "path_is_approximate": True,
                "description_id": item["description_id"],
                "description_en": item["description_en"],
            },
        )
        if not created:
            continue
        counts["trails"] += 1
        for order, stop in enumerate(item["stops"], start=1):
            TrailStop.objects.create(
                trail=trail,
                order=order,
                name_id=stop["name_id"],
                name_en=stop["name_en"],
                location=Point(stop["lon"], stop["lat"], srid=4326),
                attraction=attractions.get(stop.get("attraction", "")),
            )
        if with_photos:
            _add_photo(trail, item["name"], (60, 120, 60))
            counts["photos"] += 1


def _events(data, villages, attractions, counts) -> None:
    today = timezone.localdate()
    for item in data["events"]:
        village = villages.get(item["village"])
        if village is None:
            continue
        day = _next_weekday(today, item["weekday"], item["after_days"])
        hour, minute = (int(part) for part in item["time"].split(":"))
        starts_at = datetime.combine(day, time(hour, minute), tzinfo=local_tz())
        values = {
            k: item[k]
            for k in (
                "title_id",
                "title_en",
                "description_id",
                "description_en",
                "price_idr",
                "recurrence",
            )
            if k in item
        }
        event = Event(
            slug=item["slug"],
            village=village,
            attraction=attractions.get(item.get("attraction", "")),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=item["hours"]),
            **values,
        )
        if Event.objects.filter(slug=event.slug).exists():
            continue
        event.full_clean()
        event.save()
        counts["events"] += 1
