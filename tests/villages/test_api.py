import pytest
from django.contrib.gis.geos import GEOSGeometry

pytestmark = pytest.mark.django_db

URL = "/api/v1/villages/"


def features(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    return data["features"]


def slugs(response):
    return {f["properties"]["slug"] for f in features(response)}


def test_all_fifty_villages_and_dusun_tuni(client, demo_places):
    found = features(client.get(URL))
    assert len(found) == 51
    by_slug = {f["properties"]["slug"]: f for f in found}
    amahusu = by_slug["amahusu"]["properties"]
    assert amahusu["code"] == "81.71.01.2004"
    assert amahusu["kind"] == "negeri" and amahusu["is_sog_site"] is True
    assert amahusu["geometry_is_approximate"] is True
    assert amahusu["district"] == "Nusaniwe"
    tuni = by_slug["dusun-tuni"]["properties"]
    assert (tuni["kind"], tuni["parent"], tuni["code"]) == ("dusun", "urimessing", None)
    assert by_slug["benteng"]["properties"]["parent"] is None


def test_boundary_or_centre_geometry(client, demo_places):
    by_slug = {f["properties"]["slug"]: f for f in features(client.get(URL))}
    assert by_slug["amahusu"]["geometry"]["type"] == "MultiPolygon"
    assert by_slug["amahusu"]["properties"]["geometry_source"] == "boundary"
    assert by_slug["benteng"]["geometry"]["type"] == "Point"
    centres = {
        f["properties"]["slug"]: f for f in features(client.get(URL, {"geometry": "centre"}))
    }
    point = GEOSGeometry(str(centres["amahusu"]["geometry"]).replace("'", '"'))
    assert (point.x, point.y) == pytest.approx((128.138, -3.727), abs=1e-6)


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"is_sog_site": "true"}, {"amahusu", "dusun-tuni"}),
        ({"kind": "dusun"}, {"dusun-tuni"}),
        ({"tourism_stage": "rintisan"}, {"hutumury", "passo"}),
        ({"district": "Leitimur Selatan", "tourism_stage": "rintisan"}, {"hutumury"}),
        ({"district": "81.71.03", "kind": "negeri"}, {"passo"}),
        # A box around Amahusu only (its boundary reaches ~128.151 east).
        ({"bbox": "128.125,-3.74,128.145,-3.715"}, {"amahusu"}),
    ],
)
def test_filters(client, demo_places, params, expected):
    assert slugs(client.get(URL, params)) == expected


def test_geojson_accept_header_is_honoured(client, demo_places):
    response = client.get(URL, {"kind": "dusun"}, HTTP_ACCEPT="application/geo+json")
    assert len(features(response)) == 1
    bad = client.get(URL, {"kind": "x"}, HTTP_ACCEPT="application/geo+json")
    assert bad.status_code == 400 and "kind" in bad.json()


def test_bbox_matches_villages_by_centre_when_no_boundary(client, demo_places):
    # Benteng has only a centre (128.168, -3.706).
    assert "benteng" in slugs(client.get(URL, {"bbox": "128.165,-3.708,128.170,-3.704"}))
    assert "benteng" not in slugs(client.get(URL, {"bbox": "128.170,-3.708,128.175,-3.704"}))


@pytest.mark.parametrize(
    "params,field,fragment",
    [
        ({"bbox": "128,-4,129"}, "bbox", "Expected 4"),
        ({"bbox": "128,-200,129,-3"}, "bbox", "Latitude"),
        ({"bbox": "129,-4,128,-3"}, "bbox", "min < max"),
        ({"bbox": "a,b,c,d"}, "bbox", "not a number"),
        ({"bbox": "nan,-4,129,-3"}, "bbox", "finite"),
        ({"is_sog_site": "maybe"}, "is_sog_site", ""),
        ({"kind": "city"}, "kind", "city"),
        ({"district": "Atlantis"}, "district", "Atlantis"),
        ({"geometry": "hexagon"}, "geometry", "hexagon"),
    ],
)
def test_bad_parameters_give_400_with_a_message(client, demo_places, params, field, fragment):
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    messages = response.json()[field]
    assert messages and fragment in messages[0]


def test_messages_are_in_bahasa_indonesia_by_default(client, demo_places):
    response = client.get(URL, {"bbox": "128,-200,129,-3"})
    assert response.status_code == 400
    assert response.json()["bbox"] == ["Lintang -200.0 di luar rentang -90..90."]


def test_detail_is_one_feature(client, demo_places):
    response = client.get(URL + "dusun-tuni/")
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "Feature" and data["properties"]["name"] == "Tuni"
    boundary = GEOSGeometry(__import__("json").dumps(data["geometry"]))
    assert boundary.contains(GEOSGeometry("POINT(128.195 -3.700)"))
    assert client.get(URL + "atlantis/").status_code == 404
    assert client.get(URL + "dusun-tuni/", {"geometry": "x"}).status_code == 400


def test_openapi_schema_and_docs_without_cdn(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/villages/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "unpkg" not in html
