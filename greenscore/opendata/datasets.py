"""Open data (/data/): what the public map and scorecard show, as downloads.

Each data set is built in the database by the same GeoJSON builders the API uses (published
places, verified action sites without personal data, current published scorecard snapshots),
then written as GeoJSON, CSV (properties and the geometry as WKT) or GeoPackage (GDAL's
ogr2ogr from the GeoJSON, in a temporary directory).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext_lazy as _

from villages import geojson

ODBL = ("ODbL 1.0", "https://opendatacommons.org/licenses/odbl/1-0/")
CC_BY = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
FORMATS = {
    "geojson": "application/geo+json",
    "csv": "text/csv; charset=utf-8",
    "gpkg": "application/geopackage+sqlite3",
}


class GeoPackageUnavailable(Exception):
    """GDAL's ogr2ogr is not installed or failed."""


@dataclass(frozen=True)
class Dataset:
    name: str
    title: object  # lazy text
    description: object
    licence: tuple[str, str]


DATASETS = {
    d.name: d
    for d in [
        Dataset(
            "villages",
            _("Villages"),
            _(
                "Kota Ambon's villages and Dusun Tuni: codes, "
                "districts, tourism stage, boundary or centre."
            ),
            ODBL,
        ),
        Dataset(
            "attractions",
            _("Music attractions"),
            _("Published attractions: sanggar, forests, stages, with instruments."),
            CC_BY,
        ),
        Dataset(
            "homestays",
            _("Homestays"),
            _("Published homestays: rooms, beds, price per night."),
            CC_BY,
        ),
        Dataset(
            "events",
            _("Events"),
            _("Published events, past and coming (times in ISO 8601 with their offset)."),
            CC_BY,
        ),
        Dataset("trails", _("Trails"), _("Published trails with their length."), CC_BY),
        Dataset(
            "action-sites",
            _("Verified conservation actions"),
            _("Sites of conservation actions AMO verified: kind, date, quantity; no names."),
            CC_BY,
        ),
        Dataset(
            "scorecards",
            _("Published Green Scores"),
            _(
                "Every published scorecard snapshot (current version): composite and pillar scores, "
                "at the village centre."
            ),
            CC_BY,
        ),
    ]
}


def _village_features() -> list[str]:
    from villages.selectors import village_features, village_list

    return village_features(village_list().order_by("code"))


def _tourism_features(name: str) -> list[str]:
    from tourism import features, selectors

    if name == "attractions":
        return features.attraction_features(selectors.attraction_list().order_by("slug"))
    if name == "homestays":
        return features.homestay_features(selectors.homestay_list().order_by("slug"))
    if name == "events":
        return features.event_features(selectors.events_with_place().order_by("starts_at", "pk"))
    return features.trail_features(selectors.trail_list().order_by("slug"))


def scorecard_payloads() -> list[tuple[object, dict]]:
    """(snapshot, payload) of every current published snapshot, by village and period."""
    from ..scorecard import services as scorecard
    from ..scorecard.models import ScorecardSnapshot

    names = scorecard._names()
    snaps = (
        ScorecardSnapshot.objects.current()
        .select_related("village")
        .order_by("village__slug", "period", "aggregation")
    )
    out = []
    for snap in snaps:
        data = scorecard.payload(
            village=snap.village,
            results=snap.results,
            status="published",
            names=names,
            snapshot=snap,
        )
        data["period"] = snap.period
        out.append((snap, data))
    return out


def _scorecard_features() -> list[str]:
    from villages.models import Village

    rows = scorecard_payloads()
    centres = dict(
        geojson.with_geojson(
            Village.objects.filter(pk__in={s.village_id for s, _ in rows}), "centre", "_c"
        ).values_list("pk", "_c")
    )
    features = []
    for snap, data in rows:
        props = {
            "village": data["village"],
            "village_name": data["village_name"],
            "period": data["period"],
            "aggregation": data["aggregation"],
            "method_version": data["method_version"],
            "published_at": data["published_at"],
            "composite": data["composite"],
            "suggested_stage": data["suggested_stage"],
        }
        for pillar, values in data["pillars"].items():
            props[f"{pillar}_score"] = values["score"]
            props[f"{pillar}_coverage"] = values["coverage"]
        features.append(
            geojson.feature_text(centres.get(snap.village_id), props, feature_id=snap.pk)
        )
    return features


def feature_texts(name: str) -> list[str]:
    if name == "villages":
        return _village_features()
    if name == "action-sites":
        from ..actions.selectors import action_site_features

        return action_site_features()
    if name == "scorecards":
        return _scorecard_features()
    return _tourism_features(name)


def to_geojson(name: str) -> str:
    dataset = DATASETS[name]
    return geojson.collection_text(
        feature_texts(name),
        extra={"name": name, "licence": dataset.licence[0], "licence_url": dataset.licence[1]},
    )


def _flat(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def to_csv(name: str) -> str:
    """Properties as columns (lists and objects as JSON) and the geometry as WKT (WGS84)."""
    features = json.loads(geojson.collection_text(feature_texts(name)))["features"]
    columns: list[str] = []
    for feature in features:
        columns += [k for k in feature["properties"] if k not in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*columns, "geometry_wkt"])
    for feature in features:
        props, geom = feature["properties"], feature["geometry"]
        wkt = GEOSGeometry(json.dumps(geom)).wkt if geom else ""
        writer.writerow([_flat(props.get(c)) for c in columns] + [wkt])
    return buffer.getvalue()


def to_geopackage(name: str, *, workdir: Path) -> Path:
    """A GeoPackage with one layer named after the data set, built by ogr2ogr in workdir."""
    ogr2ogr = shutil.which("ogr2ogr")
    if ogr2ogr is None:
        raise GeoPackageUnavailable("ogr2ogr (gdal-bin) is not installed")
    features = json.loads(geojson.collection_text(feature_texts(name)))["features"]
    for feature in features:  # GeoPackage columns are flat: lists and objects as JSON text
        feature["properties"] = {k: _flat(v) for k, v in feature["properties"].items()}
        feature.pop("id", None)
    source = workdir / f"{name}.geojson"
    source.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        encoding="utf-8",
    )
    target = workdir / f"{name}.gpkg"
    layer = name.replace("-", "_")
    result = subprocess.run(
        [ogr2ogr, "-f", "GPKG", str(target), str(source), "-nln", layer, "-a_srs", "EPSG:4326"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0 or not target.exists():
        raise GeoPackageUnavailable(result.stderr.strip()[:300] or "ogr2ogr failed")
    return target


def geopackage_file(name: str):
    """An open binary file of the GeoPackage; its temporary directory is already removed
    (the open handle keeps the data readable until the response closes it)."""
    workdir = Path(tempfile.mkdtemp(prefix="sog-opendata-"))
    try:
        return to_geopackage(name, workdir=workdir).open("rb")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
