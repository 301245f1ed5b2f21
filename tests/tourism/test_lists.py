"""The list pages beside the map: filters (the API's), sorting, pages, bad values, languages."""

import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest

from tests.tourism.test_api import vincenty_m

pytestmark = pytest.mark.django_db

CARD_TITLE = re.compile(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a></h2>')


def get(client, url, lang="en", status=200):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == status, (url, response.status_code)
    return unescape(response.content.decode())


def titles(html):
    return CARD_TITLE.findall(html)


def distances(html):
    return re.findall(r'<p class="card-distance">([^<]+) away</p>', html)


def link(html, css_class):
    return unescape(re.search(rf'<a class="{css_class}" href="([^"]+)"', html).group(1))


@pytest.fixture
def demo(demo_places, settings, tmp_path):
    from tourism.demo import load_demo

    settings.MEDIA_ROOT = tmp_path
    list(load_demo(path=settings.BASE_DIR / "fixtures" / "tourism" / "demo.json"))


def test_homestays_sorted_by_price_and_filtered_like_the_api(client, make_homestay, other_village):
    make_homestay("Mid", price_from_idr=200_000, beds=4)
    make_homestay("Dear", price_from_idr=300_000, price_to_idr=350_000, beds=8)
    make_homestay("Cheap", price_from_idr=100_000, beds=2)
    make_homestay("Hidden", price_from_idr=50_000, published=False)
    make_homestay(
        "Passo stay", price_from_idr=120_000, village=other_village, lon=128.255, lat=-3.625
    )

    html = get(client, "/homestays/?sort=price")
    assert titles(html) == [
        "Cheap",
        "Passo stay",
        "Mid",
        "Dear",
    ]  # the unpublished one is not listed
    assert "Rp 300.000 – Rp 350.000" in html and "8 beds" in html and "per night" in html
    assert titles(get(client, "/homestays/")) == ["Cheap", "Dear", "Mid", "Passo stay"]  # by name
    assert titles(get(client, "/homestays/?max_price=200000&sort=price")) == [
        "Cheap",
        "Passo stay",
        "Mid",
    ]
    assert titles(get(client, "/homestays/?min_beds=4&sort=price")) == ["Mid", "Dear"]
    assert titles(get(client, "/homestays/?village=passo")) == ["Passo stay"]
    assert titles(get(client, "/homestays/?q=dear")) == ["Dear"]
    # Empty fields of the GET form mean "not set".
    assert titles(
        get(client, "/homestays/?q=&village=&min_beds=&max_price=&near=&radius_m=&sort=price")
    ) == ["Cheap", "Passo stay", "Mid", "Dear"]


def test_sorted_by_distance_computed_in_the_database(client, make_homestay):
    origin = (128.1380, -3.7270)
    spots = {
        "Alpha far": (128.1560, -3.7270),
        "Beta near": (128.1385, -3.7272),
        "Gamma mid": (128.1380, -3.7350),
    }
    for name, (lon, lat) in spots.items():
        make_homestay(name, lon=lon, lat=lat)
    near = f"{origin[0]},{origin[1]}"
    html = get(client, f"/homestays/?near={near}")
    assert titles(html) == ["Beta near", "Gamma mid", "Alpha far"]  # nearest first, by default
    expected = sorted(vincenty_m(*origin, *spot) for spot in spots.values())
    shown = distances(html)
    assert shown[0].endswith(" m") and abs(float(shown[0][:-2]) - expected[0]) <= 1
    assert shown[1].endswith(" m") and abs(float(shown[1][:-2]) - expected[1]) <= 1
    assert (
        shown[2].endswith(" km")
        and abs(float(shown[2][:-3].replace(",", ".")) * 1000 - expected[2]) <= 50
    )
    # Sorted by name, the distances are still shown; a radius leaves the far one out.
    assert titles(get(client, f"/homestays/?near={near}&sort=name")) == [
        "Alpha far",
        "Beta near",
        "Gamma mid",
    ]
    assert titles(get(client, f"/homestays/?near={near}&radius_m=1000&sort=distance")) == [
        "Beta near",
        "Gamma mid",
    ]


def test_pages_keep_the_filters(client, make_homestay):
    for n in range(15):
        make_homestay(f"Stay {n:02d}", price_from_idr=100_000 + n * 1000)
    make_homestay("Too dear", price_from_idr=900_000)
    first = get(client, "/homestays/?max_price=200000&sort=price")
    assert titles(first) == [f"Stay {n:02d}" for n in range(12)]
    assert "15 results" in first
    next_url = unescape(re.search(r'<a rel="next" href="([^"]+)"', first).group(1))
    assert parse_qs(urlparse(next_url).query) == {
        "max_price": ["200000"],
        "sort": ["price"],
        "page": ["2"],
    }
    second = get(client, "/homestays/" + next_url)
    assert titles(second) == ["Stay 12", "Stay 13", "Stay 14"]
    previous_url = unescape(re.search(r'<a rel="prev" href="([^"]+)"', second).group(1))
    assert parse_qs(urlparse(previous_url).query)["max_price"] == ["200000"]
    assert '<span aria-current="page">2</span>' in second


@pytest.mark.parametrize(
    "url, field, words",
    [
        ("/homestays/?max_price=cheap", "At most (Rp per night)", "valid integer"),
        ("/homestays/?min_beds=0", "At least this many beds", "greater than or equal to 1"),
        ("/homestays/?village=atlantis", "Village", "No village with slug 'atlantis'"),
        ("/homestays/?near=200,-3.7", "Distance from", "Longitude 200.0 is outside"),
        ("/homestays/?near=128.1,-3.7&radius_m=0", "Within", "greater than or equal to 1"),
        (
            "/homestays/?radius_m=5000",
            "Distance from",
            "Choose a place to measure the distance from",
        ),
        ("/homestays/?sort=distance", "Sort by", "Choose a place to measure the distance from"),
        ("/attractions/?sort=price", "Sort by", "not a valid choice"),
        ("/attractions/?instrument=kazoo", "Instrument", "No instrument with slug 'kazoo'"),
        ("/attractions/?category=disco", "Category", "not a valid choice"),
        ("/villages/?district=nowhere", "District", "No district with code or name 'nowhere'"),
        ("/villages/?is_sog_site=perhaps", "Sound of Green site", "valid boolean"),
        ("/trails/?sort=price", "Sort by", "not a valid choice"),
        ("/homestays/?page=two", "Page", "not an integer"),
        ("/homestays/?page=9", "Page", "no results"),
    ],
)
def test_bad_values_answer_400_with_a_message(client, make_homestay, url, field, words):
    make_homestay("Somewhere")
    html = get(client, url, status=400)
    alert = re.search(r'<div class="list-errors" role="alert">(.*?)</div>', html, re.S).group(1)
    assert f"<strong>{field}</strong>:" in alert and words in alert, alert
    assert 'class="card"' not in html
    assert '<form id="list-filters"' in html  # the form stays, to correct the value


def test_bad_value_message_in_indonesian(client, make_homestay):
    html = get(client, "/homestays/?sort=distance", lang="id", status=400)
    assert "<strong>Urutkan menurut</strong>: Pilih tempat untuk mengukur jarak." in html


def test_empty_result_says_so_and_offers_to_clear(client, make_homestay):
    make_homestay("Somewhere")
    html = get(client, "/homestays/?q=nothing-like-this")
    assert "Nothing matches these filters." in html and "0 results" in html
    assert re.search(
        r'<div class="list-empty">.*<a href="/homestays/">Clear the filters</a>', html, re.S
    )


def test_attractions_filters_instruments_and_languages(client, demo):
    from tourism.models import Attraction

    html = get(client, "/attractions/?instrument=suling")
    assert len(titles(html)) == 6
    assert "Suling (bamboo flute)" in html and "Tifa (hand drum)" in html
    assert titles(get(client, "/attractions/?category=workshop")) == [
        "Bengkel Tifa dan Suling Hutan Musik"
    ]
    assert set(titles(get(client, "/attractions/?village=passo"))) == {"Sanggar Pakuala"}
    Attraction.objects.filter(slug="sd-tuni").update(published=False)
    assert len(titles(get(client, "/attractions/?instrument=suling"))) == 5
    id_html = get(client, "/attractions/?instrument=suling", lang="id")
    assert '<html lang="id">' in id_html and "<h1>Atraksi musik</h1>" in id_html
    assert "Suling (seruling bambu)" in id_html and "Suling (bamboo flute)" not in id_html
    assert "Tampilkan di peta" in id_html
    # Thumbnails of the photos, as img elements with no inline style or script anywhere.
    assert re.search(
        r'<img class="card-photo" src="/media/photos/thumbs/\d{4}/\d\d/[0-9a-f]{32}\.jpg"', html
    )
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_show_on_the_map_carries_the_filters(client, demo):
    html = get(client, "/homestays/?max_price=175000&village=amahusu&sort=price&page=1")
    query = parse_qs(urlparse(link(html, "show-on-map")).query)
    assert urlparse(link(html, "show-on-map")).path == "/"
    assert query["layers"] == ["villages,homestays"]
    assert query["max_price"] == ["175000"] and query["village"] == ["amahusu"]
    assert "sort" not in query and "page" not in query
    assert query["z"] == ["15"] and abs(float(query["lon"][0]) - 128.138) < 0.05
    near = get(client, "/attractions/?near=128.138,-3.727&instrument=suling")
    query = parse_qs(urlparse(link(near, "show-on-map")).query)
    # near alone is measured up to 100 km: the map's API needs the radius spelt out.
    assert query["near"] == ["128.138,-3.727"] and query["radius_m"] == ["100000"]
    assert query["instrument"] == ["suling"] and query["layers"] == ["villages,attractions"]
    # The map's API answers the same filters.
    api = client.get("/api/v1/homestays/?max_price=175000&village=amahusu").json()
    assert len(api["features"]) == len(titles(html)) == 1


def test_trails_length_and_sort(client, make_trail):
    make_trail("Short", coords=((128.138, -3.727), (128.139, -3.727)))
    make_trail("Long", coords=((128.138, -3.727), (128.158, -3.727)))
    make_trail("Draft", published=False)
    html = get(client, "/trails/?sort=length")
    assert titles(html) == ["Short", "Long"]
    assert re.search(r"Length: 11\d m", html) and re.search(r"Length: 2.2 km", html)
    assert titles(get(client, "/trails/")) == ["Long", "Short"]


def test_villages_list_filters_and_distance(client, demo):
    html = get(client, "/villages/?is_sog_site=true")
    sog = titles(html)
    assert "Amahusu" in sog and "Tuni" in sog and len(sog) < 10
    assert html.count('<span class="badge-sog">') == len(sog)
    everything = get(client, "/villages/")
    assert "51 results" in everything and len(titles(everything)) == 12
    assert re.search(r'<a href="\?page=5">5</a>', everything)
    assert titles(get(client, "/villages/?kind=dusun")) == ["Tuni"]
    nusaniwe = get(client, "/villages/?district=Nusaniwe")
    assert "Amahusu" in titles(nusaniwe) and "Passo" not in titles(nusaniwe)
    from villages.models import Village

    amahusu = Village.objects.get(slug="amahusu").centre
    nearest = get(client, f"/villages/?near={amahusu.x},{amahusu.y}&radius_m=5000")
    assert titles(nearest)[0] == "Amahusu" and distances(nearest)[0] == "0 m"
    # The chosen village is the selected place in the form.
    assert re.search(r'<option value="[\d.,-]+" selected>Amahusu</option>', nearest)
    assert titles(get(client, "/villages/?q=tuni")) == ["Tuni"]


def test_tabs_and_pages_in_both_languages(client, demo):
    for path, en, id_ in [
        ("/attractions/", "Music attractions", "Atraksi musik"),
        ("/homestays/", "Homestays", "Homestay"),
        ("/trails/", "Trails", "Jalur"),
        ("/villages/", "Villages", "Desa"),
    ]:
        assert f"<h1>{en}</h1>" in get(client, path)
        assert f"<h1>{id_}</h1>" in get(client, path, lang="id")
    html = get(client, "/homestays/")
    assert '<a href="/homestays/" aria-current="page">Homestays</a>' in html
    assert "js/list-near-me.js" in html and 'id="list-near-me" hidden' in html


def test_villages_sharing_a_name_are_told_apart_in_the_menus(client, demo):
    html = get(client, "/homestays/")
    assert ">Nusaniwe (desa)</option>" in html and ">Nusaniwe (kelurahan)</option>" in html
    assert html.count(">Amahusu</option>") == 2  # the village filter and "distance from"
