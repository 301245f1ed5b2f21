"""import_boundaries on real files built with GDAL's ogr2ogr in UTM zone 52S."""

import json
import shutil
import subprocess

import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command

from villages.geo import METRIC_SRID, metric_area_m2
from villages.models import Village

pytestmark = pytest.mark.django_db

AMAHUSU_CENTRE = Point(128.138, -3.727, srid=4326)


def utm(point):
    return point.transform(METRIC_SRID, clone=True)


def square(cx, cy, half):
    return [
        [
            [cx - half, cy - half],
            [cx + half, cy - half],
            [cx + half, cy + half],
            [cx - half, cy + half],
            [cx - half, cy - half],
        ]
    ]


def write_vector_file(tmp_path, features, driver, suffix):
    """GeoJSON in EPSG:32752 coordinates, converted by ogr2ogr to `driver`."""
    source = tmp_path / "source.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    target = tmp_path / f"villages{suffix}"
    ogr2ogr = shutil.which("ogr2ogr")
    assert ogr2ogr, "gdal-bin must be installed (scripts/test installs it)"
    subprocess.run(
        [
            ogr2ogr,
            "-f",
            driver,
            "-s_srs",
            "EPSG:32752",
            "-a_srs",
            "EPSG:32752",
            "-nln",
            "desa",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    return target


def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}


@pytest.fixture
def utm_features():
    c = utm(AMAHUSU_CENTRE)
    passo = utm(Point(128.255, -3.625, srid=4326))
    bowtie = [
        [
            [passo.x - 500, passo.y - 500],
            [passo.x + 500, passo.y + 500],
            [passo.x + 500, passo.y - 500],
            [passo.x - 500, passo.y + 500],
            [passo.x - 500, passo.y - 500],
        ]
    ]
    return [
        feature(
            {"kode": "81.71.01.2004", "nama": "Amahusu"},
            {"type": "Polygon", "coordinates": square(c.x, c.y, 500)},
        ),
        feature(
            {"kode": "8171032001", "nama": "Passo"}, {"type": "Polygon", "coordinates": bowtie}
        ),
        feature({"kode": "", "nama": "Menara"}, {"type": "Point", "coordinates": [c.x, c.y]}),
        feature(
            {"kode": "81.71.09.2999", "nama": "Atlantis"},
            {"type": "Polygon", "coordinates": square(c.x + 5000, c.y, 100)},
        ),
    ]


@pytest.mark.parametrize("driver,suffix", [("GPKG", ".gpkg"), ("ESRI Shapefile", ".shp")])
def test_projected_file_is_reprojected_matched_and_measured(
    register, tmp_path, utm_features, driver, suffix, capsys
):
    if driver == "ESRI Shapefile":  # a shapefile holds one geometry type: no point
        utm_features = [f for f in utm_features if f["geometry"]["type"] != "Point"]
    path = write_vector_file(tmp_path, utm_features, driver, suffix)
    call_command("import_boundaries", str(path), "--match-field", "kode")
    out = capsys.readouterr().out
    rejected = 0 if driver == "ESRI Shapefile" else 1
    assert f"2 matched, 1 repaired, 1 unmatched, {rejected} rejected, 48 villages without" in out
    if rejected:
        assert "rejected: feature 3" in out and "is a Point, not a polygon" in out
    assert "no village with code 81.71.09.2999" in out
    assert "Self-intersection" in out

    amahusu = Village.objects.get(code="81.71.01.2004")
    assert amahusu.boundary.srid == 4326
    # 1 km x 1 km in UTM 52S comes back as 1,000,000 m² (to 0.1%).
    assert metric_area_m2(amahusu.boundary) == pytest.approx(1_000_000, rel=1e-3)
    assert amahusu.boundary.contains(AMAHUSU_CENTRE)
    assert amahusu.centre.distance(AMAHUSU_CENTRE) < 1e-4
    assert amahusu.geometry_is_approximate is False

    passo = Village.objects.get(code="81.71.03.2001")
    assert passo.boundary.valid
    # The bow-tie's two triangles: half of the 1 km x 1 km square, 500,000 m².
    assert metric_area_m2(passo.boundary) == pytest.approx(500_000, rel=1e-3)


def test_match_by_name_and_ambiguous_names(register, tmp_path, utm_features, capsys):
    urimessing = utm(Point(128.192, -3.716, srid=4326))
    utm_features.append(
        feature(
            {"kode": "", "nama": "Urimessing"},
            {"type": "Polygon", "coordinates": square(urimessing.x, urimessing.y, 300)},
        )
    )
    path = write_vector_file(tmp_path, utm_features, "GPKG", ".gpkg")
    call_command("import_boundaries", str(path), "--match-field", "nama", "--layer", "desa")
    out = capsys.readouterr().out
    assert "name 'Urimessing' is ambiguous" in out
    assert "no village named 'Atlantis'" in out
    assert Village.objects.filter(boundary__isnull=False).count() == 2


def test_dry_run_writes_nothing(register, tmp_path, utm_features, capsys):
    path = write_vector_file(tmp_path, utm_features, "GPKG", ".gpkg")
    call_command("import_boundaries", str(path), "--match-field", "kode", "--dry-run")
    assert "DRY RUN: nothing written. 2 matched" in capsys.readouterr().out
    assert not Village.objects.filter(boundary__isnull=False).exists()


def test_geojson_in_wgs84_and_field_autodetection(register, tmp_path, capsys):
    path = tmp_path / "wgs84.geojson"
    ring = [[128.13, -3.73], [128.14, -3.73], [128.14, -3.72], [128.13, -3.72], [128.13, -3.73]]
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    feature({"code": "81.71.01.2004"}, {"type": "Polygon", "coordinates": [ring]})
                ],
            }
        )
    )
    call_command("import_boundaries", str(path))
    assert "1 matched" in capsys.readouterr().out
    extent = Village.objects.get(code="81.71.01.2004").boundary.extent
    assert extent == pytest.approx((128.13, -3.73, 128.14, -3.72), abs=1e-9)


def test_unreadable_file_layer_or_field_is_one_clear_error(register, tmp_path, utm_features):
    garbage = tmp_path / "garbage.gpkg"
    garbage.write_bytes(b"not a geopackage at all")
    with pytest.raises(CommandError, match="Cannot read .*garbage.gpkg"):
        call_command("import_boundaries", str(garbage))
    path = write_vector_file(tmp_path, utm_features, "GPKG", ".gpkg")
    with pytest.raises(CommandError, match="no layer 'nope'; its layers: desa"):
        call_command("import_boundaries", str(path), "--layer", "nope")
    with pytest.raises(CommandError, match="no field 'kd'"):
        call_command("import_boundaries", str(path), "--match-field", "kd")
