"""Shared fixtures: the official register and the demo places, loaded through the real services."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
TEST_FILES = Path(__file__).parent / "fixtures"


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
def _fresh_caches_and_language():
    """Each test starts with empty caches and in the default language.

    The database is rolled back between tests, but a locmem cache is not: a cached scorecard
    overview or a built tile of another test's rows must not be read (their version keys would
    still match: a rollback sends no signal), so every cache is emptied (the data version
    starts anew with it). And a request through the test client activates its language in the
    test's thread and leaves it there; without a reset, the next test would compute in it."""
    from django.core.cache import caches
    from django.utils import translation

    for cache in caches.all():
        cache.clear()
    translation.deactivate()
    yield
    translation.deactivate()
