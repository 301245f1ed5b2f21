import re

import pytest
from django.conf import settings as django_settings

from tourism.demo import demo_photo, load_demo
from tourism.models import Attraction, Event, Homestay, Photo, Trail

pytestmark = pytest.mark.django_db

DEMO = django_settings.BASE_DIR / "fixtures" / "tourism" / "demo.json"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_demo_loads_once_and_keeps_user_edits(demo_places, media):
    first = list(load_demo(path=DEMO))
    assert "9 attractions" in first[0] and "6 homestays" in first[0]
    Attraction.objects.filter(slug="sanggar-booyratan").update(name="Sanggar Booyratan (edited)")
    Homestay.objects.filter(slug="rumah-tifa-amahusu").delete()
    again = list(load_demo(path=DEMO))
    assert again == ["tourism demo: already loaded"]
    assert Attraction.objects.get(slug="sanggar-booyratan").name == "Sanggar Booyratan (edited)"
    assert not Homestay.objects.filter(slug="rumah-tifa-amahusu").exists()


def test_demo_content(demo_places, media):
    list(load_demo(path=DEMO))
    by_village = {a.slug: a.village.slug for a in Attraction.objects.select_related("village")}
    assert by_village["markas-mbo-tuni"] == "dusun-tuni" and by_village["sd-tuni"] == "dusun-tuni"
    assert by_village["sanggar-tahuri-hutumury"] == "hutumury"
    assert by_village["sanggar-pakuala-passo"] == "passo"
    assert by_village["sanggar-booyratan"] == "amahusu"
    assert Attraction.objects.filter(location_is_approximate=False).count() == 0
    for slug in ("amahusu", "dusun-tuni"):
        assert 2 <= Homestay.objects.filter(village__slug=slug).count() <= 3
    assert all("invented" in h.description_en for h in Homestay.objects.all())
    trail = Trail.objects.get(slug="jalur-hutan-musik")
    assert trail.length_m == pytest.approx(130, rel=0.05)
    assert [s.name_en for s in trail.stops.all()] == [
        "Music Forest gate",
        "Gazebo",
        "Tree house",
        "Tifa and suling workshop",
    ]
    assert Event.objects.exclude(recurrence="").count() >= 3
    assert Event.objects.count() >= 6
    assert Photo.objects.count() >= 15
    for photo in Photo.objects.all():
        assert re.fullmatch(r"photos/\d{4}/\d\d/[0-9a-f]{32}\.(jpg|png)", photo.image.name)
        assert (media / photo.thumbnail.name).exists()


def test_demo_skips_without_villages(db, media):
    assert "skipped" in list(load_demo(path=DEMO))[0]
    assert Attraction.objects.count() == 0


def test_generated_photo_passes_the_pipeline():
    from villages.images import process_upload

    processed = process_upload(fileobj=demo_photo(title="Tifa", colour=(10, 20, 30)))
    assert (processed.width, processed.height) == (960, 640) and processed.extension == "jpg"


def test_management_command_runs_every_app(demo_places, media, capsys):
    from django.core.management import call_command

    call_command("load_demo")
    out = capsys.readouterr().out
    assert "tourism: tourism demo:" in out
