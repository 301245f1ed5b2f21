import re

import pytest
from django.contrib.gis.geos import Point

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_places, settings, tmp_path):
    """The villages' demo places and the tourism demo, photos under a temporary MEDIA_ROOT."""
    from tourism.demo import load_demo

    settings.MEDIA_ROOT = tmp_path
    lines = list(load_demo(path=settings.BASE_DIR / "fixtures" / "tourism" / "demo.json"))
    assert "already" not in lines[0]


def page(client, url, lang="en"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_home_is_the_full_map_with_filters_and_every_layer(client, demo):
    html = page(client, "/")
    assert '<html lang="en">' in html
    config = re.search(
        r'<script id="map-config" type="application/json">(.*?)</script>', html, re.S
    ).group(1)
    for url in [
        "/api/v1/villages/",
        "/api/v1/attractions/",
        "/api/v1/homestays/",
        "/api/v1/events/",
        "/api/v1/trails/",
    ]:
        assert url in config
    assert 'type="module"' in html and "js/map-app.js" in html
    assert '<option value="workshop">instrument workshop</option>' in html
    assert '<option value="tahuri">' in html and '<option value="dusun-tuni">' in html
    assert 'id="near-me"' in html
    for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html):
        assert url.startswith("/"), url  # no CDN


def test_home_in_indonesian_by_default(client, demo):
    assert '<html lang="id">' in page(client, "/", lang="id")


def test_attraction_page_both_languages(client, demo):
    en = page(client, "/attractions/hutan-musik-amahusu/")
    assert "The Music Forest" in en and "music forest or nature site" in en
    assert "Free" in en and 'href="/villages/amahusu/"' in en
    assert re.search(r'<img src="/media/photos/thumbs/\d{4}/\d\d/[0-9a-f]{32}\.jpg"', en)
    assert "Upcoming events" in en and "Music Forest festival" in en
    id_ = page(client, "/attractions/hutan-musik-amahusu/", lang="id")
    assert '<html lang="id">' in id_ and "Hutan Musik seluas sekitar 5 hektare" in id_
    assert "Festival Hutan Musik" in id_
    workshop = page(client, "/attractions/bengkel-tifa-suling-amahusu/")
    assert "Rp 75.000" in workshop and 'href="https://wa.me/6281100000301"' in workshop
    assert "contact number is invented" in workshop


def test_homestay_page_has_contact_links_and_rupiah(client, demo):
    html = page(client, "/homestays/homestay-bambu-tui-amahusu/")
    assert 'href="tel:+6281100000101"' in html
    assert 'href="https://wa.me/6281100000101"' in html
    assert "Rp 200.000 – Rp 300.000" in html and "invented" in html
    assert "3 rooms, 5 beds" in html


def test_trail_page_lists_stops_and_metric_length(client, demo):
    html = page(client, "/trails/jalur-hutan-musik/")
    assert "129 m" in html or "130 m" in html or "131 m" in html
    stops = re.findall(r"<li>(Music Forest gate|Gazebo|Tree house|Tifa and suling workshop)", html)
    assert stops == ["Music Forest gate", "Gazebo", "Tree house", "Tifa and suling workshop"]


def test_unpublished_and_unknown_places_are_404(client, demo):
    from tourism.models import Attraction

    Attraction.objects.filter(slug="sd-tuni").update(published=False)
    for url in [
        "/attractions/sd-tuni/",
        "/attractions/nowhere/",
        "/homestays/nowhere/",
        "/trails/nowhere/",
        "/villages/atlantis/events.ics",
    ]:
        assert client.get(url).status_code == 404, url


def test_events_page_shows_upcoming_in_wit(client, demo):
    html = page(client, "/events/")
    assert "WIT" in html and "Molucca Bamboowind Orchestra concert" in html
    assert 'href="/events.ics"' in html
    assert "Konser Molucca Bamboowind Orchestra" in page(client, "/events/", lang="id")


def test_event_times_are_shown_in_wit(client, make_event):
    from datetime import UTC, datetime

    # 10:00 UTC is 19:00 in Ambon.
    make_event("Konser", title_en="Concert", starts_at=datetime(2099, 1, 9, 10, 0, tzinfo=UTC))
    html = page(client, "/events/")
    assert "7 p.m. WIT" in html


def test_an_event_has_its_page_in_both_languages(client, make_event):
    from datetime import UTC, datetime

    make_event(
        "Konser",
        slug="konser",
        title_en="Concert",
        starts_at=datetime(2099, 1, 9, 10, 0, tzinfo=UTC),
    )
    assert 'href="/events/konser/"' in page(client, "/events/")
    en, id_ = page(client, "/events/konser/"), page(client, "/events/konser/", lang="id")
    assert "<h1>Concert</h1>" in en and "<h1>Konser</h1>" in id_
    assert "7 p.m. WIT" in en and 'href="/events/konser.ics"' in en
    assert "/api/v1/events/konser/" in en  # the small map of its place
    assert "This event is over." not in en
    assert client.get("/events/nowhere/").status_code == 404


def test_village_page_lists_what_it_offers(client, demo):
    html = page(client, "/villages/amahusu/")
    assert 'href="/attractions/hutan-musik-amahusu/"' in html
    assert 'href="/homestays/rumah-tifa-amahusu/"' in html
    assert 'href="/trails/jalur-hutan-musik/"' in html
    assert 'href="/villages/amahusu/events.ics"' in html
    assert "Planting bamboo with music" in html
    # The village's small map also shows its places.
    assert "/api/v1/attractions/?village=amahusu" in html and "js/tourism-village-offer.js" in html
    tuni = page(client, "/villages/dusun-tuni/")
    assert "Markas Molucca Bamboowind Orchestra" in tuni and "Hutan Musik" not in tuni


def test_place_map_config(client, demo):
    html = page(client, "/trails/jalur-hutan-musik/")
    assert "/api/v1/trails/jalur-hutan-musik/" in html and "js/tourism-place-map.js" in html


def test_event_without_attraction_uses_village(client, village, make_event):
    make_event("Village party", slug="party", location=Point(128.14, -3.73, srid=4326))
    assert "Village party" in page(client, "/events/")


def test_a_running_series_is_listed_by_its_next_session(client, make_event):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    make_event(
        "Latihan harian",
        slug="weekly",
        starts_at=now - timedelta(days=20),
        recurrence="FREQ=DAILY;COUNT=40",
    )
    make_event("Konser", slug="concert", starts_at=now + timedelta(days=3))
    html = page(client, "/events/")
    assert html.index("Latihan harian") < html.index("Konser")
