"""Open data (/data/): every download answers with its content type; GeoJSON, CSV and
GeoPackage hold the public features only (unpublished places, unverified actions and
unpublished scorecards never appear)."""

import csv
import io
import json
import tempfile
import uuid
from pathlib import Path

import pytest
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import Point

from greenscore.models import ConservationAction
from greenscore.opendata.datasets import DATASETS, FORMATS
from villages import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_village, django_user_model):
    from greenscore.scorecard import services as scorecard
    from greenscore.scorecard.periods import Period
    from tourism.models import Homestay

    village = make_village("Amahusu", lon=128.14, lat=-3.72)
    other = make_village("Latuhalat", lon=128.10, lat=-3.78)
    for slug, published in (("open", True), ("hidden", False)):
        Homestay.objects.create(
            name=f"Rumah {slug}",
            slug=slug,
            village=village,
            rooms=1,
            beds=2,
            price_from_idr=100_000,
            published=published,
            location=Point(128.14, -3.72, srid=4326),
        )
    user = django_user_model.objects.create_user("amo")
    roles.grant_reviewer(user=user)  # AMO publishes scorecards
    for n, status in enumerate(["verified", "verified", "submitted", "rejected"]):
        ConservationAction.objects.create(
            client_uuid=uuid.uuid4(),
            village=village,
            kind="cleanup",
            date=f"2026-0{n + 1}-10",
            status=status,
            author=user,
            geometry=Point(128.14 + n / 1000, -3.72, srid=4326),
            participants_total=5,
            notes="private note",
        )
    scorecard.publish(village=village, period=Period("year", 2026), user=user)
    # republished: the older snapshot is kept but is no longer current, so it is not open data
    scorecard.publish(village=village, period=Period("year", 2026), user=user)
    return {"village": village, "other": other}


def _get(client, name, fmt):
    response = client.get(f"/data/{name}.{fmt}")
    assert response.status_code == 200, (name, fmt, response.status_code)
    assert response["Content-Type"] == FORMATS[fmt]
    assert f"sound-of-green-{name}.{fmt}" in response["Content-Disposition"]
    return response


def test_index_lists_every_download_with_licence_and_citation(client, world):
    html = client.get("/data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for name in DATASETS:
        for fmt in FORMATS:
            assert f'href="/data/{name}.{fmt}"' in html
    blocks = {b.split('"', 1)[0]: b for b in html.split('class="dataset" id="')[1:]}
    assert set(blocks) == set(DATASETS)
    for name, block in blocks.items():
        licence = "ODbL 1.0" if name == "villages" else "CC BY 4.0"
        other = "CC BY 4.0" if name == "villages" else "ODbL 1.0"
        assert f'rel="license">{licence}</a>' in block and other not in block
        assert "Cite as" in block and f"/data/#{name} (retrieved" in block
    assert "<script>" not in html and "style=" not in html


def test_geojson_counts_and_only_public_data(client, world):
    counts = {}
    for name in DATASETS:
        data = json.loads(_get(client, name, "geojson").content)
        assert data["type"] == "FeatureCollection"
        counts[name] = len(data["features"])
        if name == "homestays":
            assert [f["properties"]["slug"] for f in data["features"]] == ["open"]
        if name == "action-sites":
            assert {f["properties"]["date"] for f in data["features"]} == {
                "2026-01-10",
                "2026-02-10",
            }
            assert "private note" not in json.dumps(data)
        if name == "scorecards":
            props = data["features"][0]["properties"]
            assert (props["village"], props["period"]) == (world["village"].slug, "2026")
            assert data["features"][0]["geometry"]["type"] == "Point"
    assert counts == {
        "villages": 2,
        "attractions": 0,
        "homestays": 1,
        "events": 0,
        "trails": 0,
        "action-sites": 2,
        "scorecards": 1,
    }
    assert json.loads(_get(client, "villages", "geojson").content)["licence"] == "ODbL 1.0"


def test_csv_has_header_and_rows(client, world):
    rows = list(csv.reader(io.StringIO(_get(client, "homestays", "csv").content.decode())))
    header = rows[0]
    assert {"name", "slug", "village", "beds", "price_from_idr", "geometry_wkt"} <= set(header)
    assert len(rows) == 2 and rows[1][header.index("slug")] == "open"
    assert rows[1][header.index("geometry_wkt")].startswith("POINT (128.14 -3.72")
    actions = list(
        csv.DictReader(io.StringIO(_get(client, "action-sites", "csv").content.decode()))
    )
    assert len(actions) == 2
    scores = list(csv.DictReader(io.StringIO(_get(client, "scorecards", "csv").content.decode())))
    assert [(r["village"], r["period"]) for r in scores] == [(world["village"].slug, "2026")]
    villages = _get(client, "villages", "csv").content.decode().splitlines()
    assert villages[0].startswith("code,name,slug") and len(villages) == 3


@pytest.mark.parametrize(
    "name,count", [("homestays", 1), ("action-sites", 2), ("villages", 2), ("scorecards", 1)]
)
def test_geopackage_opens_with_gdal(client, world, name, count):
    response = _get(client, name, "gpkg")
    body = b"".join(response.streaming_content)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.gpkg"
        path.write_bytes(body)
        source = DataSource(str(path))
        layer = source[0]
        assert layer.name == name.replace("-", "_")
        assert len(layer) == count
        assert layer.srs.srid == 4326
        if name == "homestays":
            feature = next(iter(layer))
            assert feature.get("slug") == "open"
            assert feature.geom.x == pytest.approx(128.14, abs=1e-6)


def test_unknown_download_is_a_404(client, world):
    assert client.get("/data/secrets.csv").status_code == 404
    assert client.get("/data/villages.shp").status_code == 404
