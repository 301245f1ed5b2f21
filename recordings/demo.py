"""Demo recordings: synthesised with NumPy at set-up (recordings.synth), labelled as such,
and processed by the same pipeline as an upload (recordings.services.process).

- a dawn chorus over wind in Amahusu's Music Forest (a soundscape: indices, scorecard);
- an afternoon by the road in Passo, for a contrast (a soundscape with a low NDSI);
- a short pentatonic melody on a bamboo flute at the Molucca Bamboowind Orchestra's base
  in Dusun Tuni (a performance).

Loaded once per database (villages.models.DatasetLoad), like the other demo data.
"""

from __future__ import annotations

import datetime
import os
import tempfile
import uuid

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from tourism.models import Attraction
from villages.logs import audit
from villages.models import DatasetLoad, Village

from . import services, synth
from .models import Recording

DATASET = "recordings_demo"
NOTE_ID = "Rekaman sintetis (dibuat komputer untuk demo, bukan rekaman lapangan)."
NOTE_EN = "Synthesised (made by a computer for the demo, not a field recording)."

RECORDINGS = [
    {
        "key": "dawn-chorus",
        "village": "amahusu",
        "attraction": "hutan-musik-amahusu",
        "kind": "soundscape",
        "title_id": "Paduan suara fajar di Hutan Musik (sintetis)",
        "title_en": "Dawn chorus in the Music Forest (synthesised)",
        "days_ago": 3,
        "time": (5, 45),
        "make": lambda: synth.dawn_chorus(120.0),
        "consent": False,
    },
    {
        "key": "road-afternoon",
        "village": "passo",
        "attraction": "sanggar-pakuala-passo",
        "kind": "soundscape",
        "title_id": "Sore di tepi jalan raya (sintetis)",
        "title_en": "An afternoon by the main road (synthesised)",
        "days_ago": 2,
        "time": (15, 30),
        "make": lambda: synth.road_noise(60.0),
        "consent": False,
        "offset_m": (40, -30),
    },
    {
        "key": "suling-melody",
        "village": "dusun-tuni",
        "attraction": "markas-mbo-tuni",
        "kind": "performance",
        "title_id": "Melodi suling pentatonik (sintetis)",
        "title_en": "Pentatonic bamboo-flute melody (synthesised)",
        "days_ago": 5,
        "time": (16, 0),
        "make": lambda: synth.flute_melody(20.0),
        "consent": True,
    },
]


def _author():
    user, new = get_user_model().objects.get_or_create(
        username="sog-demo", defaults={"first_name": "Demo", "last_name": "coordinator"}
    )
    if new:
        user.set_unusable_password()
        user.save()
    return user


def _place(village: Village, attraction: Attraction | None, offset_m=(0, 0)) -> Point | None:
    base = (
        attraction.location
        if attraction
        else (village.centre or (village.boundary.point_on_surface if village.boundary else None))
    )
    if base is None:
        return None
    # About 1e-5 degree per metre here (near the equator).
    return Point(base.x + offset_m[0] * 9e-6, base.y + offset_m[1] * 9e-6, srid=4326)


def load_demo_recordings() -> str:
    if DatasetLoad.objects.filter(name=DATASET).exists():
        return "recordings demo: already loaded"
    villages = {
        v.slug: v for v in Village.objects.filter(slug__in={item["village"] for item in RECORDINGS})
    }
    attractions = {
        a.slug: a
        for a in Attraction.objects.filter(slug__in={item["attraction"] for item in RECORDINGS})
    }
    author = _author()
    tz = timezone.get_current_timezone()
    made = []
    with transaction.atomic():
        for item in RECORDINGS:
            village = villages.get(item["village"])
            if village is None:
                continue
            attraction = attractions.get(item["attraction"])
            place = _place(village, attraction, item.get("offset_m", (0, 0)))
            if place is None:
                continue
            day = timezone.localdate() - datetime.timedelta(days=item["days_ago"])
            recorded_at = datetime.datetime.combine(day, datetime.time(*item["time"]), tz)
            samples = item["make"]()
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "demo.wav")
                synth.write_wav(path, samples)
                recording = Recording(
                    client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"sog-demo-recording/{item['key']}"),
                    author=author,
                    village=village,
                    attraction=attraction,
                    place=place,
                    slug=f"demo-{item['key']}",
                    kind=item["kind"],
                    title_id=item["title_id"],
                    title_en=item["title_en"],
                    recorded_at=recorded_at,
                    duration_s=round(samples.size / synth.RATE, 3),
                    credit="Sound of Green (demo)",
                    consent=item["consent"],
                    synthesised=True,
                    notes=f"{NOTE_ID}\n{NOTE_EN}",
                    status="verified",
                    size_bytes=os.path.getsize(path),
                    source_codec="pcm_s16le",
                )
                with open(path, "rb") as handle:
                    recording.original.save("original", File(handle), save=False)
            recording.save()
            audit.record(
                actor=author, action="create", obj=recording, changes={"synthesised": [None, True]}
            )
            made.append(recording.pk)
        DatasetLoad.objects.create(name=DATASET, checksum="v1")
    # The same job an upload gets, run here so the demo plays as soon as the site is up.
    states = [services.process(pk) for pk in made]
    return f"recordings demo: {len(made)} synthesised recordings, processing: {states}"
