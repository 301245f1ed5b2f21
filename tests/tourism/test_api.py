import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

pytestmark = pytest.mark.django_db

WIT = ZoneInfo("Asia/Jayapura")


def features(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    return data["features"]


def slugs(response):
    return [f["properties"]["slug"] for f in features(response)]


def vincenty_m(lon1, lat1, lon2, lat2):
    """Inverse Vincenty on WGS84: an independent check of the database's metres."""
    a, f = 6378137.0, 1 / 298.257223563
    b = (1 - f) * a
    big_l = math.radians(lon2 - lon1)
    u1 = math.atan((1 - f) * math.tan(math.radians(lat1)))
    u2 = math.atan((1 - f) * math.tan(math.radians(lat2)))
    sin_u1, cos_u1, sin_u2, cos_u2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    lam = big_l
    for _ in range(200):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        if sin_sigma == 0:
            return 0.0
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos_u1 * cos_u2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha**2
        cos_2sm = cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha if cos2_alpha else 0.0
        c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        previous = lam
        lam = big_l + (1 - c) * f * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2))
        )
        if abs(lam - previous) < 1e-12:
            break
    u_sq = cos2_alpha * (a**2 - b**2) / b**2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta = (
        big_b
        * sin_sigma
        * (
            cos_2sm
            + big_b
            / 4
            * (
                cos_sigma * (-1 + 2 * cos_2sm**2)
                - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2)
            )
        )
    )
    return b * big_a * (sigma - delta)


def test_vincenty_itself_against_a_known_answer():
    # One degree of longitude on the equator is 111,319.49 m on WGS84.
    assert vincenty_m(0, 0, 1, 0) == pytest.approx(111_319.49, abs=0.01)


# --- Attractions ------------------------------------------------------------------


def test_only_published_attractions(client, make_attraction):
    make_attraction("Open", slug="open")
    make_attraction("Draft", slug="draft", published=False)
    assert slugs(client.get("/api/v1/attractions/")) == ["open"]
    assert client.get("/api/v1/attractions/draft/").status_code == 404
    feature = client.get("/api/v1/attractions/open/").json()
    assert feature["type"] == "Feature" and feature["properties"]["url"] == "/attractions/open/"


def test_attraction_properties(client, make_attraction, instruments):
    make_attraction(
        "Bengkel Suling",
        slug="bengkel",
        category="workshop",
        price_idr=150_000,
        instruments=[instruments["tifa"], instruments["suling"]],
    )
    (feature,) = features(client.get("/api/v1/attractions/", HTTP_ACCEPT_LANGUAGE="en"))
    props = feature["properties"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [128.138, -3.727]}
    assert props["instruments"] == ["suling", "tifa"]
    assert props["village"] == "amahusu" and props["category"] == "workshop"
    assert props["category_label"] == "instrument workshop"
    assert props["price_label"] == "Rp 150.000" and props["thumbnail"] is None


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"category": "workshop"}, {"bengkel"}),
        ({"instrument": "tahuri"}, {"tahuri"}),
        ({"instrument": "suling", "category": "venue"}, set()),
        ({"q": "CONCH"}, {"tahuri"}),  # English description, any case
        ({"q": "bambu"}, {"bengkel"}),  # Indonesian description
        ({"q": "Bengkel"}, {"bengkel"}),  # name
        ({"village": "passo"}, {"pakuala"}),
        ({"bbox": "128.2,-3.7,128.3,-3.6"}, {"pakuala"}),
        ({"q": ""}, {"bengkel", "tahuri", "pakuala"}),
    ],
)
def test_attraction_filters(client, make_attraction, instruments, other_village, params, expected):
    make_attraction(
        "Bengkel Suling",
        slug="bengkel",
        category="workshop",
        description_id="Suling dari bambu",
        instruments=[instruments["suling"]],
    )
    make_attraction(
        "Sanggar Tahuri",
        slug="tahuri",
        category="sanggar",
        description_en="Conch-shell trumpets",
        instruments=[instruments["tahuri"]],
    )
    make_attraction(
        "Sanggar Pakuala",
        slug="pakuala",
        category="sanggar",
        village=other_village,
        lon=128.255,
        lat=-3.625,
    )
    assert set(slugs(client.get("/api/v1/attractions/", params))) == expected


@pytest.mark.parametrize(
    "params,field",
    [
        ({"category": "disco"}, "category"),
        ({"instrument": "theremin"}, "instrument"),
        ({"village": "atlantis"}, "village"),
        ({"village": "no spaces"}, "village"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "129,-3,128,-4"}, "bbox"),
        ({"near": "128.1,-3.7"}, "radius_m"),
        ({"radius_m": "500"}, "near"),
        ({"near": "128.1", "radius_m": "5"}, "near"),
        ({"near": "-3.7,200", "radius_m": "5"}, "near"),
        ({"near": "128.1,-3.7", "radius_m": "0"}, "radius_m"),
        ({"near": "128.1,-3.7", "radius_m": "100001"}, "radius_m"),
        ({"near": "128.1,-3.7", "radius_m": "nan"}, "radius_m"),
        ({"near": "128.1,-3.7", "radius_m": "inf"}, "radius_m"),
        ({"near": "128.1,-3.7", "radius_m": "far"}, "radius_m"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_attraction_bad_parameters_give_400_with_a_message(
    client, make_attraction, instruments, params, field
):
    make_attraction()
    response = client.get("/api/v1/attractions/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    messages = response.json()[field]
    assert messages and all(isinstance(m, str) and m for m in messages)


# --- Distances ----------------------------------------------------------------------

# Around Amahusu; offsets in every direction, 60 m to 9 km away.
ORIGIN = (128.138, -3.727)
POINTS = {
    "p60": (128.1385, -3.7268),
    "p900": (128.146, -3.727),
    "p2k": (128.138, -3.745),
    "p5k": (128.17, -3.70),
    "p9k": (128.058, -3.727),
    "p20k": (128.3, -3.65),
}


@pytest.fixture
def spread(make_attraction):
    for slug, (lon, lat) in POINTS.items():
        make_attraction(slug, slug=slug, lon=lon, lat=lat)


@pytest.mark.parametrize("layer", ["attractions", "homestays"])
def test_near_orders_nearest_first_and_agrees_with_vincenty(client, spread, make_homestay, layer):
    if layer == "homestays":
        for slug, (lon, lat) in POINTS.items():
            make_homestay(slug, slug=f"h-{slug}", lon=lon, lat=lat)
    found = features(
        client.get(f"/api/v1/{layer}/", {"near": "128.138,-3.727", "radius_m": "10000"})
    )
    names = [f["properties"]["name"] for f in found]
    expected = sorted(
        (n for n in POINTS if vincenty_m(*ORIGIN, *POINTS[n]) <= 10_000),
        key=lambda n: vincenty_m(*ORIGIN, *POINTS[n]),
    )
    assert names == expected and "p20k" not in names
    for feature in found:
        truth = vincenty_m(*ORIGIN, *POINTS[feature["properties"]["name"]])
        assert feature["properties"]["distance_m"] == pytest.approx(truth, rel=0.01, abs=0.5)


def test_radius_is_metres_not_degrees(client, spread):
    # 5.5 km takes p5k (4.6 km) but not p9k (8.9 km).
    inside = {
        f["properties"]["name"]
        for f in features(
            client.get("/api/v1/attractions/", {"near": "128.138,-3.727", "radius_m": "5500"})
        )
    }
    assert inside == {"p60", "p900", "p2k", "p5k"}
    just_short = vincenty_m(*ORIGIN, *POINTS["p2k"]) * 0.99
    inside = [
        f["properties"]["name"]
        for f in features(
            client.get(
                "/api/v1/attractions/", {"near": "128.138,-3.727", "radius_m": str(just_short)}
            )
        )
    ]
    assert inside == ["p60", "p900"]


def test_near_combines_with_other_filters(client, spread, make_attraction):
    make_attraction("Venue", slug="venue", category="venue", lon=128.1381, lat=-3.7271)
    found = features(
        client.get(
            "/api/v1/attractions/",
            {"near": "128.138,-3.727", "radius_m": "3000", "category": "venue"},
        )
    )
    assert [f["properties"]["slug"] for f in found] == ["venue"]
    assert found[0]["properties"]["distance_m"] == pytest.approx(
        vincenty_m(*ORIGIN, 128.1381, -3.7271), rel=0.01, abs=0.5
    )


def test_trail_distance_is_to_the_closest_point_of_the_path(client, make_trail):
    make_trail("Ridge", slug="ridge", coords=((128.15, -3.70), (128.15, -3.76)))
    (feature,) = features(
        client.get("/api/v1/trails/", {"near": "128.138,-3.727", "radius_m": "5000"})
    )
    # The closest point of a north-south path at lon 128.15 is due east of the origin.
    assert feature["properties"]["distance_m"] == pytest.approx(
        vincenty_m(*ORIGIN, 128.15, -3.727), rel=0.01
    )
    assert (
        features(client.get("/api/v1/trails/", {"near": "128.138,-3.727", "radius_m": "1000"}))
        == []
    )


# --- Homestays ------------------------------------------------------------------------


def test_homestay_filters(client, make_homestay):
    make_homestay("Small", slug="small", beds=2, price_from_idr=100_000)
    make_homestay("Big", slug="big", beds=8, price_from_idr=400_000, price_to_idr=600_000)
    make_homestay("Hidden", slug="hidden", beds=8, published=False)
    assert set(slugs(client.get("/api/v1/homestays/"))) == {"small", "big"}
    assert slugs(client.get("/api/v1/homestays/", {"min_beds": "3"})) == ["big"]
    assert slugs(client.get("/api/v1/homestays/", {"max_price": "150000"})) == ["small"]
    assert slugs(client.get("/api/v1/homestays/", {"max_price": "99999"})) == []
    big = client.get("/api/v1/homestays/big/").json()["properties"]
    assert big["price_label"] == "Rp 400.000 – Rp 600.000" and big["beds"] == 8
    for bad in ({"min_beds": "0"}, {"min_beds": "two"}, {"max_price": "-1"}, {"max_price": "1e3"}):
        assert client.get("/api/v1/homestays/", bad).status_code == 400, bad


# --- Events ---------------------------------------------------------------------------


def wit(*args):
    return datetime(*args, tzinfo=WIT)


def test_events_default_to_those_not_over(client, make_event):
    now = timezone.now()
    make_event("Past", slug="past", starts_at=now - timedelta(days=2))
    make_event("Running", slug="running", starts_at=now - timedelta(hours=1))
    make_event("Soon", slug="soon", starts_at=now + timedelta(days=1))
    make_event("Draft", slug="draft", starts_at=now + timedelta(days=1), published=False)
    assert slugs(client.get("/api/v1/events/")) == ["running", "soon"]


def test_events_overlapping_a_date_range_in_wit(client, make_event):
    make_event("A", slug="a", starts_at=wit(2027, 1, 9, 19))
    # 23:30 WIT on 10 January is 14:30 UTC the same day: still the 10th in Ambon.
    make_event("B", slug="b", starts_at=wit(2027, 1, 10, 23, 30), hours=0.5)
    make_event("C", slug="c", starts_at=wit(2027, 1, 11, 0, 30))
    make_event("Long", slug="long", starts_at=wit(2027, 1, 1, 9), hours=24 * 20)
    assert slugs(client.get("/api/v1/events/", {"from": "2027-01-10", "to": "2027-01-10"})) == [
        "long",
        "b",
    ]
    assert slugs(client.get("/api/v1/events/", {"from": "2027-01-11"})) == ["long", "c"]
    assert slugs(client.get("/api/v1/events/", {"to": "2027-01-09"})) == ["long", "a"]


def test_recurring_event_series_and_next_occurrence(client, make_event):
    make_event(
        "Weekly practice",
        slug="weekly",
        starts_at=wit(2027, 1, 2, 16),  # a Saturday
        recurrence="FREQ=WEEKLY;BYDAY=SA;COUNT=4",
    )
    assert slugs(client.get("/api/v1/events/", {"from": "2027-01-20", "to": "2027-01-25"})) == [
        "weekly"
    ]
    assert (
        slugs(client.get("/api/v1/events/", {"from": "2027-01-24"})) == []
    )  # last one is 23 January
    props = client.get("/api/v1/events/weekly/").json()["properties"]
    assert props["starts_at"] == "2027-01-02T16:00:00+09:00"
    assert props["recurrence"] == "FREQ=WEEKLY;BYDAY=SA;COUNT=4"


def test_event_place_falls_back_to_attraction_then_village(client, make_event, make_attraction):
    attraction = make_attraction("Stage", lon=128.14, lat=-3.73)
    make_event("At stage", slug="at-stage", attraction=attraction)
    make_event("Own place", slug="own", location=Point(128.15, -3.74, srid=4326))
    make_event("Village", slug="village-wide")
    coords = {
        f["properties"]["slug"]: f["geometry"]["coordinates"]
        for f in features(client.get("/api/v1/events/"))
    }
    assert coords == {
        "at-stage": [128.14, -3.73],
        "own": [128.15, -3.74],
        "village-wide": [128.138, -3.727],
    }
    near = features(client.get("/api/v1/events/", {"near": "128.15,-3.74", "radius_m": "1000"}))
    assert [f["properties"]["slug"] for f in near] == ["own"] and near[0]["properties"][
        "distance_m"
    ] < 1


def test_event_bilingual_title(client, make_event):
    make_event("Konser Suling", slug="konser", title_en="Suling concert")
    make_event("Hanya Indonesia", slug="id-only")
    en = {
        f["properties"]["slug"]: f["properties"]["title"]
        for f in features(client.get("/api/v1/events/", HTTP_ACCEPT_LANGUAGE="en"))
    }
    assert en == {"konser": "Suling concert", "id-only": "Hanya Indonesia"}
    id_ = {
        f["properties"]["slug"]: f["properties"]["title"]
        for f in features(client.get("/api/v1/events/"))
    }
    assert id_["konser"] == "Konser Suling"


def test_an_events_url_is_its_own_page(client, make_event):
    make_event("Konser Suling", slug="konser", title_en="Suling concert")
    (feature,) = features(client.get("/api/v1/events/"))
    assert feature["properties"]["url"] == "/events/konser/"
    page = client.get(feature["properties"]["url"])
    assert page.status_code == 200 and "Konser Suling" in page.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2027-13-01"},
        {"from": "yesterday"},
        {"from": "2027-02-01", "to": "2027-01-01"},
        {"to": "01/02/2027"},
    ],
)
def test_bad_event_dates(client, params):
    assert client.get("/api/v1/events/", params).status_code == 400


# --- Trails ----------------------------------------------------------------------------


def test_trails_with_metric_length(client, make_trail):
    make_trail("Music Forest path", slug="forest", coords=((128.138, -3.727), (128.1392, -3.7266)))
    make_trail("Hidden", slug="hidden", published=False)
    (feature,) = features(client.get("/api/v1/trails/"))
    assert feature["geometry"]["type"] == "LineString"
    expected = vincenty_m(128.138, -3.727, 128.1392, -3.7266)
    assert feature["properties"]["length_m"] == pytest.approx(expected, rel=0.01)
    assert slugs(client.get("/api/v1/trails/", {"q": "forest"})) == ["forest"]
    assert client.get("/api/v1/trails/hidden/").status_code == 404


def test_openapi_schema_lists_the_tourism_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/attractions/",
        "/api/v1/attractions/{slug}/",
        "/api/v1/homestays/",
        "/api/v1/events/",
        "/api/v1/trails/{slug}/",
    ]:
        assert path in paths, path
    names = {p["name"] for p in paths["/api/v1/events/"]["get"]["parameters"]}
    assert {"from", "to", "near", "radius_m", "bbox", "village", "q"} <= names


def test_geojson_accept_header(client, make_attraction):
    make_attraction()
    response = client.get("/api/v1/attractions/", HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
