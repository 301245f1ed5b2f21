"""Readers' pages and GeoJSON labels give the paired `_id`/`_en` texts in the asked language
(villages.i18n), falling back to the other language where the asked one is empty."""

import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import Point

pytestmark = pytest.mark.django_db


def page(client, url, lang):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def drums(db):
    from tourism.models import Instrument

    return [
        Instrument.objects.create(slug="tifa", name_id="Gendang tifa", name_en="Tifa drum"),
        Instrument.objects.create(slug="suling", name_id="Suling bambu", name_en=""),
    ]


def test_attraction_page_instruments_captions_and_description(client, make_attraction, drums):
    from tourism.models import Photo

    place = make_attraction(
        "Sanggar",
        slug="sanggar",
        instruments=drums,
        description_id="Tempat latihan",
        description_en="A rehearsal room",
    )
    Photo.objects.create(
        content_type=ContentType.objects.get_for_model(place),
        object_id=place.pk,
        image="photos/a.jpg",
        thumbnail="photos/thumbs/a.jpg",
        width=4,
        height=3,
        caption_id="Latihan sore",
        caption_en="",
    )
    en = page(client, "/attractions/sanggar/", "en")
    assert (
        '<span class="tag">Tifa drum</span>' in en and '<span class="tag">Suling bambu</span>' in en
    )
    assert "A rehearsal room" in en and "Tempat latihan" not in en
    assert 'alt="Latihan sore"' in en and "<figcaption>Latihan sore</figcaption>" in en
    id_ = page(client, "/attractions/sanggar/", "id")
    assert '<span class="tag">Gendang tifa</span>' in id_ and "Tifa drum" not in id_
    assert "Tempat latihan" in id_


def test_instrument_filters_on_the_map_and_the_list(client, make_attraction, drums):
    make_attraction("Sanggar", slug="sanggar", instruments=drums)
    for url in ("/", "/attractions/"):
        assert '<option value="tifa">Tifa drum</option>' in page(client, url, "en")
        html = page(client, url, "id")
        assert '<option value="tifa">Gendang tifa</option>' in html
        assert re.search(
            r'<option value="suling"[^>]*>Suling bambu</option>', page(client, url, "en")
        )


def test_trail_stops_on_the_page_and_in_the_map_config(client, make_trail):
    from tourism.models import TrailStop

    trail = make_trail("Jalur", slug="jalur")
    TrailStop.objects.create(
        trail=trail,
        order=1,
        name_id="Gerbang",
        name_en="Gate",
        location=Point(128.138, -3.727, srid=4326),
    )
    TrailStop.objects.create(
        trail=trail,
        order=2,
        name_id="Pondok",
        name_en="",
        location=Point(128.139, -3.7265, srid=4326),
    )
    for lang, names in (("en", ["Gate", "Pondok"]), ("id", ["Gerbang", "Pondok"])):
        html = page(client, "/trails/jalur/", lang)
        assert re.findall(r"<li>(Gate|Gerbang|Pondok)", html) == names
        config = json.loads(
            re.search(
                r'<script id="map-config" type="application/json">(.*?)</script>', html, re.S
            ).group(1)
        )
        assert [stop["name"] for stop in config["stops"]] == names


def test_event_titles_on_the_page_in_geojson_and_ical(client, make_event):
    make_event("Konser Suling", slug="konser", title_en="Suling concert")
    make_event("Hanya Indonesia", slug="id-only")
    en = page(client, "/events/", "en")
    assert "<strong>Suling concert</strong>" in en and "<strong>Hanya Indonesia</strong>" in en
    assert "<strong>Konser Suling</strong>" in page(client, "/events/", "id")
    features = client.get("/api/v1/events/", HTTP_ACCEPT_LANGUAGE="en").json()["features"]
    assert {f["properties"]["slug"]: f["properties"]["title"] for f in features} == {
        "konser": "Suling concert",
        "id-only": "Hanya Indonesia",
    }
    assert "title_en" not in features[0]["properties"]  # GeoJSON keeps one label, not the pair
    ics = client.get("/events/konser.ics", HTTP_ACCEPT_LANGUAGE="en")
    assert ics.status_code == 200 and "SUMMARY:Suling concert" in ics.content.decode()
