"""Checks on a geometry a coordinator sends: GeoJSON in, a valid GEOS geometry out, or a message.

The structure is checked in Python before anything reaches GDAL/GEOS: the
type, the nesting, every coordinate a finite number in range, a vertex cap.
A "crs" member is accepted only when it names WGS84 (an allow-list); its text
is never handed to GDAL. Only then is the geometry JSON (type and coordinates,
nothing else) parsed, and the result checked for validity, for lying in
Maluku (a hint when latitude and longitude look swapped) and for lying near
its village (metres in UTM 52S, see `check_near_village`).
"""

from __future__ import annotations

import json
import math

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from villages.geo import MALUKU_EXTENT, METRIC_SRID, WGS84

MAX_VERTICES = 5000
# How far outside its village's boundary a log may lie, in metres: boundaries are
# approximate and plantings sit on village edges (beaches, river banks).
BOUNDARY_TOLERANCE_M = 1000
# A village known only by its centre: how far from it a log may lie, in metres.
CENTRE_TOLERANCE_M = 5000
ALLOWED_TYPES = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")
# Names a GeoJSON "crs" member may carry (old GeoJSON 2008 style); all mean WGS84 lon/lat.
ALLOWED_CRS_NAMES = {
    "EPSG:4326",
    "urn:ogc:def:crs:EPSG::4326",
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
}
# Nesting depth of "coordinates" per type (0 = a single position).
_DEPTH = {
    "Point": 0,
    "LineString": 1,
    "MultiPoint": 1,
    "Polygon": 2,
    "MultiLineString": 2,
    "MultiPolygon": 3,
}


def _invalid(message: str, code: str = "invalid") -> ValidationError:
    return ValidationError(message, code=code)


def parse_geometry(value) -> GEOSGeometry:
    """GeoJSON geometry (a dict or JSON text) -> GEOS geometry in SRID 4326, or ValidationError."""
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise _invalid(_("The geometry is not valid JSON."), "parse") from None
    if not isinstance(value, dict):
        raise _invalid(
            _(
                "The geometry must be a GeoJSON geometry object, such as "
                '{"type": "Point", "coordinates": [128.19, -3.69]}.'
            ),
            "parse",
        )
    kind = value.get("type")
    if kind == "Feature":
        raise _invalid(_("Send the feature's geometry, not the whole Feature."), "wrong_type")
    if kind not in ALLOWED_TYPES:
        raise _invalid(
            _("Geometry type %(type)s is not accepted; use one of: %(types)s.")
            % {"type": json.dumps(kind)[:40], "types": ", ".join(ALLOWED_TYPES)},
            "wrong_type",
        )
    _check_crs(value.get("crs"))
    coordinates = value.get("coordinates")
    if not isinstance(coordinates, list):
        raise _invalid(_("The geometry has no coordinates list."), "parse")
    if not coordinates:
        raise _invalid(_("The geometry is empty: it has no coordinates."), "empty")
    positions = []
    _collect_positions(coordinates, _DEPTH[kind], positions)
    if not positions:
        raise _invalid(_("The geometry is empty: it has no coordinates."), "empty")
    if len(positions) > MAX_VERTICES:
        raise _invalid(
            _("The geometry has %(count)d points; the limit is %(limit)d. Simplify it.")
            % {"count": len(positions), "limit": MAX_VERTICES},
            "too_many_vertices",
        )
    _check_in_maluku(positions)
    _check_parts(kind, coordinates)
    clean = json.dumps({"type": kind, "coordinates": coordinates})
    try:
        geom = GEOSGeometry(clean, srid=WGS84)
    except (GDALException, GEOSException, ValueError, TypeError, IndexError):
        raise _invalid(
            _(
                "The geometry could not be read: check rings are closed and have at least "
                "four positions, and lines at least two."
            ),
            "parse",
        ) from None
    if geom.empty:
        raise _invalid(_("The geometry is empty: it has no coordinates."), "empty")
    if not geom.valid:
        raise _invalid(
            _(
                "The geometry is not valid (%(reason)s): a polygon's edges must not cross each other, "
                "and holes must lie inside it."
            )
            % {"reason": geom.valid_reason},
            "not_valid",
        )
    return geom


def _check_crs(crs) -> None:
    if crs is None:
        return
    name = None
    if (
        isinstance(crs, dict)
        and crs.get("type") == "name"
        and isinstance(crs.get("properties"), dict)
    ):
        name = crs["properties"].get("name")
    if not isinstance(name, str) or name not in ALLOWED_CRS_NAMES:
        raise _invalid(
            _(
                'Only WGS84 longitude/latitude (EPSG:4326) is accepted; remove the "crs" member '
                "and send coordinates in degrees."
            ),
            "crs",
        )


def _collect_positions(node, depth: int, out: list) -> None:
    """Walk `coordinates` to the expected depth, checking every position's shape and numbers."""
    if len(out) > MAX_VERTICES:
        return  # enough to report "too many"; stop walking a huge payload
    if depth == 0:
        if not isinstance(node, list) or len(node) not in (2, 3):
            raise _invalid(_("Each position must be [longitude, latitude]."), "parse")
        numbers = []
        for item in node:
            if (
                isinstance(item, bool)
                or not isinstance(item, (int, float))
                or not math.isfinite(item)
            ):
                raise _invalid(
                    _("Coordinates must be finite numbers, not %(value)s.")
                    % {"value": json.dumps(item)[:40]},
                    "parse",
                )
            numbers.append(float(item))
        out.append((numbers[0], numbers[1]))
        return
    if not isinstance(node, list):
        raise _invalid(_("The coordinates are not nested as this geometry type needs."), "parse")
    for child in node:
        _collect_positions(child, depth - 1, out)


def _inside(lon: float, lat: float) -> bool:
    minlon, minlat, maxlon, maxlat = MALUKU_EXTENT
    return minlon <= lon <= maxlon and minlat <= lat <= maxlat


def _check_in_maluku(positions) -> None:
    """Every position in range and in Maluku; a hint when latitude and longitude look swapped."""
    bad = [(lon, lat) for lon, lat in positions if not _inside(lon, lat)]
    if not bad:
        return
    lon, lat = bad[0]
    if all(_inside(b, a) for a, b in bad):
        raise _invalid(
            _(
                "Coordinate [%(lon)s, %(lat)s] is far outside Maluku. Latitude and longitude look "
                "swapped: GeoJSON wants [longitude, latitude], e.g. [128.19, -3.69]."
            )
            % {"lon": lon, "lat": lat},
            "swapped",
        )
    for lon, lat in bad:
        if not -180 <= lon <= 180 or not -90 <= lat <= 90:
            raise _invalid(
                _(
                    "Coordinate [%(lon)s, %(lat)s] is out of range: longitude must be within "
                    "-180..180 and latitude within -90..90, in the order [longitude, latitude]."
                )
                % {"lon": lon, "lat": lat},
                "out_of_range",
            )
    raise _invalid(
        _("Coordinate [%(lon)s, %(lat)s] is far outside Maluku.") % {"lon": lon, "lat": lat},
        "outside_maluku",
    )


def _check_parts(kind: str, coordinates) -> None:
    """Lines need two positions; polygon rings four, the last equal to the first."""
    if kind in ("LineString", "MultiLineString"):
        lines = [coordinates] if kind == "LineString" else coordinates
        for line in lines:
            if len(line) < 2:
                raise _invalid(_("A line needs at least two positions."), "parse")
    if kind in ("Polygon", "MultiPolygon"):
        polygons = [coordinates] if kind == "Polygon" else coordinates
        for polygon in polygons:
            if not polygon:
                raise _invalid(_("The geometry is empty: it has no coordinates."), "empty")
            for ring in polygon:
                if len(ring) < 4:
                    raise _invalid(
                        _(
                            "A polygon ring needs at least four positions (the last "
                            "repeating the first)."
                        ),
                        "parse",
                    )
                if ring[0][:2] != ring[-1][:2]:
                    raise _invalid(
                        _(
                            "A polygon ring must be closed: its last position must "
                            "repeat the first."
                        ),
                        "parse",
                    )


def distance_to_village_m(geom: GEOSGeometry, village) -> tuple[float, str] | None:
    """Metres (UTM 52S) from the geometry to the village's boundary or centre, and which one."""
    metric = geom.transform(METRIC_SRID, clone=True)
    if village.boundary is not None:
        return metric.distance(village.boundary.transform(METRIC_SRID, clone=True)), "boundary"
    if village.centre is not None:
        return metric.distance(village.centre.transform(METRIC_SRID, clone=True)), "centre"
    return None


def check_near_village(geom: GEOSGeometry, village) -> None:
    """Refuse a geometry more than the tolerance away from its village.

    Against the boundary: BOUNDARY_TOLERANCE_M outside it. A village known only
    by its centre: within CENTRE_TOLERANCE_M of the centre. A village with
    neither is not checked (nothing to check against).
    """
    measured = distance_to_village_m(geom, village)
    if measured is None:
        return
    metres, against = measured
    limit = BOUNDARY_TOLERANCE_M if against == "boundary" else CENTRE_TOLERANCE_M
    if metres > limit:
        if against == "boundary":
            message = _(
                "This place is %(km).1f km outside %(village)s's boundary; the limit is "
                "%(limit).1f km. Check the village or the place."
            )
        else:
            message = _(
                "This place is %(km).1f km from the centre of %(village)s; the limit is "
                "%(limit).1f km. Check the village or the place."
            )
        raise _invalid(
            message % {"km": metres / 1000, "village": village.name, "limit": limit / 1000},
            "outside_village",
        )
