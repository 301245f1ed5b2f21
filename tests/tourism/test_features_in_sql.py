"""The list endpoints' Feature texts written by the database are the Python builder's, exactly."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import Point
from django.utils import translation

from tourism import features
from tourism.models import Attraction, Photo
from villages import geojson

pytestmark = pytest.mark.django_db


def database_texts(rows, queryset):
    in_sql = rows(queryset.order_by("pk"))
    return [in_sql.text(row) for row in in_sql.queryset]


@pytest.fixture
def odd_attractions(make_attraction, instruments):
    made = [
        make_attraction("Plain", price_idr=None),
        make_attraction('Free "quoted" \\ back\nslash', price_idr=0, category="venue"),
        make_attraction(
            "Sanggar Tifa 🥁 Ümlaut",
            price_idr=1_234_567,
            opening_hours="08.00–17.00\tdaily",
            location_is_approximate=True,
            instruments=[instruments["tifa"], instruments["suling"], instruments["tahuri"]],
        ),
        make_attraction("Cheap", price_idr=500, lon=128.123456789, lat=-3.1, category="heritage"),
    ]
    Photo.objects.create(
        content_type=ContentType.objects.get_for_model(Attraction),
        object_id=made[2].pk,
        image="photos/a b.jpg",
        thumbnail="photos/thumbs/a b.jpg",
        width=1,  # dimensions given: the image file is not opened
        height=1,
    )
    return made


@pytest.mark.parametrize("language", ["en", "id"])
def test_attraction_texts_match_the_python_builder(odd_attractions, language):
    queryset = Attraction.objects.filter(published=True).order_by("pk")
    with translation.override(language):
        expected = features.attraction_features(queryset)
        written = database_texts(features.attraction_rows, queryset)
    assert [json.loads(text) for text in written] == [json.loads(text) for text in expected]
    assert written == expected  # the same bytes, not only the same JSON
    assert json.loads(written[2])["properties"]["thumbnail"].endswith("a%20b.jpg")


def test_near_falls_back_to_the_python_builder(odd_attractions):
    from tourism import selectors

    queryset = selectors.attraction_list(near=Point(128.138, -3.727, srid=4326), radius_m=100_000)
    assert features.attraction_rows(queryset) is None


def test_pages_in_sql_follow_next(client, odd_attractions, monkeypatch):
    monkeypatch.setattr(geojson, "CHUNK", 1)
    seen, url = [], "/api/v1/attractions/?limit=3"
    while url:
        response = client.get(url)
        page = json.loads(
            b"".join(response.streaming_content) if response.streaming else response.content
        )
        assert page["numberMatched"] == 4
        seen += [feature["id"] for feature in page["features"]]
        url = page.get("next")
    order = [*Attraction._meta.ordering, "pk"]
    assert seen == list(Attraction.objects.order_by(*order).values_list("slug", flat=True))


@pytest.mark.parametrize("language", ["en", "id"])
def test_homestay_texts_match_the_python_builder(make_homestay, language):
    from tourism.models import Homestay

    make_homestay("Same price", price_from_idr=150_000, price_to_idr=150_000)
    make_homestay("Range", price_from_idr=150_000, price_to_idr=1_250_000, amenities="wifi, AC")
    make_homestay('Free "stay"', price_from_idr=0, price_to_idr=None, location_is_approximate=True)
    make_homestay("Free to paid", price_from_idr=0, price_to_idr=50_000)
    queryset = Homestay.objects.filter(published=True).order_by("pk")
    with translation.override(language):
        expected = features.homestay_features(queryset)
        written = database_texts(features.homestay_rows, queryset)
    assert len(written) == 4
    assert [json.loads(text) for text in written] == [json.loads(text) for text in expected]
    assert written == expected


@pytest.mark.parametrize("language", ["en", "id"])
def test_trail_texts_match_the_python_builder(make_trail, language):
    from tourism.models import Trail

    make_trail("Short")
    make_trail(
        "Long ridge",
        coords=((128.1, -3.7), (128.15, -3.71), (128.2, -3.69)),
        difficulty="hard",
        path_is_approximate=True,
    )
    queryset = Trail.objects.filter(published=True).order_by("pk")
    with translation.override(language):
        expected = features.trail_features(queryset)
        written = database_texts(features.trail_rows, queryset)
    assert len(written) == 2
    assert [json.loads(text) for text in written] == [json.loads(text) for text in expected]
    assert written == expected


def test_streamed_layer_is_compressed_and_revalidated(client, odd_attractions, monkeypatch):
    import gzip

    monkeypatch.setattr(geojson, "CHUNK", 1)  # four chunks: streamed
    plain = client.get("/api/v1/attractions/")
    assert plain.streaming
    text = b"".join(plain.streaming_content)
    packed = client.get("/api/v1/attractions/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    body = b"".join(packed.streaming_content) if packed.streaming else packed.content
    assert json.loads(gzip.decompress(body)) == json.loads(text)
    etag = plain.get("ETag")
    assert etag and "public" in plain["Cache-Control"]
    assert client.get("/api/v1/attractions/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    odd_attractions[0].save()  # a change of data is a new ETag: the whole layer again
    assert client.get("/api/v1/attractions/", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/villages/", "/api/v1/events/", "/api/v1/trails/", "/api/v1/action-sites/"]
)
def test_public_layers_revalidate(client, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url + "?limit=0", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 400


@pytest.mark.parametrize("geometry", ["boundary", "centre"])
def test_village_texts_match_the_python_builder(make_village, geometry):
    from villages import selectors

    parent = make_village('Kota "Lama"', slug="kota", is_sog_site=True, code="81.71.01.2001")
    make_village(
        "Pusat saja", lon=128.3, boundary=None, kind="dusun", parent=parent, tourism_stage="maju"
    )
    make_village("Tanpa tempat", boundary=None, centre=None, geometry_is_approximate=True)
    queryset = selectors.village_list().order_by("pk")
    expected = selectors.village_features(queryset, geometry=geometry)
    written = database_texts(lambda qs: selectors.village_rows(qs, geometry=geometry), queryset)
    assert len(written) == 3
    assert [json.loads(text) for text in written] == [json.loads(text) for text in expected]
    assert written == expected
