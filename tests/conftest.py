"""Shared fixtures: the official register and the demo places, loaded through the real services."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
TEST_FILES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _fresh_data_version():
    """Every test starts on a new data version, so a tile built and cached (under its ETag) from
    an earlier test's rows is never served to the next (villages/tile_views.py)."""
    from villages import http_cache

    http_cache.bump()


@pytest.fixture
def register(db):
    """Kota Ambon's districts and 50 villages from the shipped register."""
    from villages.services import import_admin_areas

    return import_admin_areas(path=FIXTURES / "ambon-admin-areas.csv")


@pytest.fixture
def demo_places(register):
    """Positions for every village, Dusun Tuni, and the SoG sites."""
    from villages.services import load_demo_places

    load_demo_places(path=FIXTURES / "sog_places.json")


@pytest.fixture
def make_village(db):
    """Factory: a village with a square boundary of `size_deg` around (lon, lat)."""
    from villages.models import District, Village

    counter = {"n": 0}

    def make(name="Testdesa", *, lon=128.2, lat=-3.7, size_deg=0.01, **kwargs):
        counter["n"] += 1
        district = (
            kwargs.pop("district", None)
            or District.objects.get_or_create(code="81.71.09", defaults={"name": "Testdistrict"})[0]
        )
        half = size_deg / 2
        square = Polygon.from_bbox((lon - half, lat - half, lon + half, lat + half))
        defaults = {
            "slug": kwargs.pop("slug", f"{name.lower()}-{counter['n']}"),
            "kind": "desa",
            "boundary": MultiPolygon(square, srid=4326),
            "centre": Point(lon, lat, srid=4326),
        }
        defaults.update(kwargs)
        return Village.objects.create(name=name, district=district, **defaults)

    return make


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back between tests, but a
    locmem cache is not, and a cached scorecard overview of another test's rows must not be
    read (its version key would still match: a rollback sends no signal)."""
    from django.core.cache import cache

    cache.clear()
    yield
