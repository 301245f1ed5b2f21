"""Factories for tourism tests, wrapped as fixtures."""

from datetime import timedelta

import pytest
from django.contrib.gis.geos import LineString, Point
from django.utils import timezone

# The coordinators' log fixtures (villages A and B, one user per role, API clients).
from tests.greenscore.conftest import api, payload, people, species, village_a, village_b  # noqa: F401


@pytest.fixture
def instruments(db):
    from tourism.models import Instrument

    return {
        slug: Instrument.objects.create(slug=slug, name_id=name, name_en=name)
        for slug, name in [("suling", "Suling"), ("tifa", "Tifa"), ("tahuri", "Tahuri")]
    }


@pytest.fixture
def village(make_village):
    return make_village("Amahusu", lon=128.138, lat=-3.727, slug="amahusu")


@pytest.fixture
def other_village(make_village):
    return make_village("Passo", lon=128.255, lat=-3.625, slug="passo")


@pytest.fixture
def make_attraction(village):
    from tourism.models import Attraction

    counter = {"n": 0}

    def make(name=None, *, lon=128.138, lat=-3.727, instruments=(), **fields):
        counter["n"] += 1
        name = name or f"Attraction {counter['n']}"
        fields.setdefault("village", village)
        fields.setdefault("category", "workshop")
        fields.setdefault("slug", f"attraction-{counter['n']}")
        attraction = Attraction.objects.create(
            name=name, location=Point(lon, lat, srid=4326), **fields
        )
        attraction.instruments.set(instruments)
        return attraction

    return make


@pytest.fixture
def make_homestay(village):
    from tourism.models import Homestay

    counter = {"n": 0}

    def make(name=None, *, lon=128.139, lat=-3.728, **fields):
        counter["n"] += 1
        fields.setdefault("village", village)
        fields.setdefault("slug", f"homestay-{counter['n']}")
        fields.setdefault("rooms", 2)
        fields.setdefault("beds", 3)
        fields.setdefault("price_from_idr", 150_000)
        return Homestay.objects.create(
            name=name or f"Homestay {counter['n']}", location=Point(lon, lat, srid=4326), **fields
        )

    return make


@pytest.fixture
def make_event(village):
    from tourism.models import Event

    counter = {"n": 0}

    def make(title="Concert", *, starts_at=None, hours=2, **fields):
        counter["n"] += 1
        starts_at = starts_at or timezone.now() + timedelta(days=3)
        fields.setdefault("village", village)
        fields.setdefault("slug", f"event-{counter['n']}")
        return Event.objects.create(
            title_id=title,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            **fields,
        )

    return make


@pytest.fixture
def make_trail(village):
    from tourism.models import Trail

    counter = {"n": 0}

    def make(name=None, *, coords=((128.138, -3.727), (128.139, -3.7265)), **fields):
        counter["n"] += 1
        fields.setdefault("village", village)
        fields.setdefault("slug", f"trail-{counter['n']}")
        return Trail.objects.create(
            name=name or f"Trail {counter['n']}", path=LineString(list(coords), srid=4326), **fields
        )

    return make
