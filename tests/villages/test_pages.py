import re

import pytest

pytestmark = pytest.mark.django_db


def test_home_is_a_leaflet_map_with_local_assets(client, demo_places):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert 'id="map-config"' in html and "/api/v1/villages/" in html
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert any("leaflet" in s for s in scripts)
    # No CDN: every script and stylesheet is served by us.
    for url in scripts + re.findall(r'<link[^>]+href="([^"]+)"', html):
        assert url.startswith("/"), url


def test_village_page_and_unknown_village(client, demo_places):
    response = client.get("/villages/amahusu/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amahusu" in html and "81.71.01.2004" in html and "Hutan Musik" in html
    assert client.get("/villages/atlantis/").status_code == 404


def test_switching_to_english_is_remembered(client, demo_places):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/villages/amahusu/"})
    assert response.status_code == 302 and response["Location"] == "/villages/amahusu/"
    page = client.get("/villages/amahusu/").content.decode()
    assert '<html lang="en">' in page
    assert "Music Forest" in page and "Sound of Green site" in page
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    page = client.get("/villages/amahusu/").content.decode()
    assert '<html lang="id">' in page and "Situs Sound of Green" in page


def test_hamlet_page_links_to_its_parent(client, demo_places):
    html = client.get("/villages/urimessing/").content.decode()
    assert 'href="/villages/dusun-tuni/"' in html
