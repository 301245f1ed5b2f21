#!/usr/bin/env python3
"""Build static/offline/land-maluku.geojson: Natural Earth 1:10m land (npm package
world-atlas, public domain data, ISC-licensed package) clipped to Maluku, for the map the
offline app draws under the tiles. Uses `npm pack` (the only network) and GEOS (GeoDjango).

    .venv/bin/python scripts/make_land.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, Polygon

PACKAGE = "world-atlas@2.0.2"
BBOX = (
    125.5,
    -8.5,
    134.5,
    -2.5,
)  # Maluku province, with Buru, Seram, Ambon and the Kei/Aru islands
SIMPLIFY_DEG = 0.0005  # about 55 m: a coastline under the tiles, not a chart
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "offline"


def decode_arcs(topology: dict) -> list[list[list[float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append([x * sx + tx, y * sy + ty])
        arcs.append(points)
    return arcs


def ring(arcs: list, indices: list[int]) -> list[list[float]]:
    points: list[list[float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        name = (
            subprocess.run(
                ["npm", "pack", PACKAGE, "--silent", "--pack-destination", tmp],
                check=True,
                capture_output=True,
                text=True,
                cwd=tmp,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        with tarfile.open(Path(tmp) / name) as tar:
            tar.extractall(tmp)  # one npm package, in a temporary folder
        package = Path(tmp) / "package"
        topology = json.loads((package / "land-10m.json").read_text())
        shutil.copyfile(package / "LICENSE", OUT / "LICENSE-world-atlas")
    arcs = decode_arcs(topology)
    clip = Polygon.from_bbox(BBOX)
    polygons = []
    for geometry in topology["objects"]["land"]["geometries"]:
        parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for part in parts:
            coords = [ring(arcs, r) for r in part]
            poly = GEOSGeometry(json.dumps({"type": "Polygon", "coordinates": coords}))
            if not poly.valid:
                poly = poly.buffer(0)
            if poly.intersects(clip):
                polygons.append(poly.intersection(clip))
    land = polygons[0]
    for poly in polygons[1:]:
        land = land.union(poly)
    land = land.simplify(SIMPLIFY_DEG, preserve_topology=True)
    feature = {
        "type": "Feature",
        "properties": {
            "source": f"Natural Earth 1:10m land via npm {PACKAGE} (land-10m.json), clipped to "
            f"{BBOX} and simplified by {SIMPLIFY_DEG} degrees by scripts/make_land.py",
        },
        "geometry": json.loads(land.json),
    }
    text = json.dumps({"type": "FeatureCollection", "features": [feature]}, separators=(",", ":"))
    # Five decimals (about 1 m) are plenty for a coastline drawn under the tiles.
    import re

    text = re.sub(r"(-?\d+\.\d{5})\d+", r"\1", text)
    (OUT / "land-maluku.geojson").write_text(text)
    print(f"wrote {OUT / 'land-maluku.geojson'} ({len(text)} bytes)")


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    main()
